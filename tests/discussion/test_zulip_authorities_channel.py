"""Authorities-only threads live in a Zulip channel of their own, whose members are only the
project's officials: an authorities-only message is never sent to a channel a customer can
read (recorded Zulip responses)."""

from __future__ import annotations

import json

import httpx
import pytest

from luvat.discussion.backends.base import BackendUnavailable
from luvat.discussion.backends.zulip import ZulipBackend, ZulipClient
from luvat.discussion.models import Message, ThreadKind
from luvat.discussion.selectors import thread_messages
from luvat.discussion.services import message_post
from tests.discussion.factories import POLICE, RESCUE, customer, festival_room, official
from tests.discussion.test_zulip_backend import FakeZulip, form
from tests.identity.factories import OfficialRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db

BOT = "luvat-bot@chat.example.fi"


@pytest.fixture
def zulip(settings, monkeypatch):
    settings.LUVAT_DISCUSSION_BACKEND = "zulip"
    fake = FakeZulip()

    def backend():
        client = ZulipClient(
            site="https://chat.example.fi",
            email=BOT,
            api_key="k3y",
            transport=httpx.MockTransport(fake),
        )
        return ZulipBackend(client, channel_prefix="luvat", bot_email=BOT)

    monkeypatch.setattr("luvat.discussion.services.get_backend", backend)
    monkeypatch.setattr("luvat.discussion.selectors.get_backend", backend)
    return fake


def test_an_authorities_only_message_goes_only_to_the_officials_channel(zulip):
    room = festival_room()
    rescue = OfficialRoleFactory.create(
        authority_code=RESCUE, person=PersonFactory.create(email="riikka@hel.example")
    )
    OfficialRoleFactory.create(
        authority_code=POLICE, person=PersonFactory.create(email="pekka@poliisi.example")
    )
    OfficialRoleFactory.create(
        authority_code="elsewhere", person=PersonFactory.create(email="x@elsewhere.example")
    )
    customer_person = PersonFactory.create(email="cecilia@company.example")

    shared = room.threads.get(kind=ThreadKind.CUSTOMER)
    message_post(actor=customer(), user_id=None, thread=shared, body="When is the inspection?")
    internal = room.threads.get(kind=ThreadKind.AUTHORITIES)
    riikka = official(RESCUE, ref="", label="Riikka Pelastaja")
    assert riikka.ref == f"person:{rescue.person_id}"
    message_post(actor=riikka, user_id=None, thread=internal, body="Internal: risk assessment")

    room.refresh_from_db()
    assert room.external_channel == "luvat-41 Helsinki Summer Festival"
    assert room.external_authority_channel == "luvat-41-auth Helsinki Summer Festival"
    subscriptions = [form(r) for r in zulip.requests if r.url.path.endswith("/subscriptions")]
    shared_sub, internal_sub = subscriptions
    assert "principals" not in shared_sub  # the bot alone: customers are not Zulip users
    assert json.loads(internal_sub["subscriptions"])[0]["name"] == room.external_authority_channel
    assert internal_sub["invite_only"] == "true"
    members = json.loads(internal_sub["principals"])
    assert members == sorted([BOT, "pekka@poliisi.example", "riikka@hel.example"])
    assert customer_person.email not in members

    posts = [form(r) for r in zulip.requests if r.url.path.endswith("/messages")]
    by_channel = {post["to"]: post["content"] for post in posts}
    assert "Internal: risk assessment" in by_channel[room.external_authority_channel]
    assert "Internal" not in by_channel[room.external_channel]
    assert by_channel[room.external_authority_channel].startswith(
        "**Riikka Pelastaja** (hki-rescue):"
    )  # the real author, not the bot

    zulip.requests.clear()
    thread_messages(riikka, thread=internal, user_id=None)
    (read,) = zulip.requests
    narrow = json.loads(dict(read.url.params)["narrow"])
    assert narrow[0] == {"operator": "stream", "operand": room.external_authority_channel}


def test_without_its_own_channel_an_authorities_message_is_not_sent_at_all(zulip):
    room = festival_room()
    internal = room.threads.get(kind=ThreadKind.AUTHORITIES)
    room.external_channel = "luvat-41 Helsinki Summer Festival"
    room.save()
    message = Message(thread=internal, author_label="Riikka", author_party=RESCUE, body="x")
    client = ZulipClient(
        site="https://chat.example.fi",
        email=BOT,
        api_key="k3y",
        transport=httpx.MockTransport(zulip),
    )
    with pytest.raises(BackendUnavailable):
        ZulipBackend(client, channel_prefix="luvat").post(message)
    assert zulip.requests == []
