"""The Zulip backend against responses recorded in Zulip's real format (see recorded/)."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.discussion.backends import get_backend
from luvat.discussion.backends.base import BackendUnavailable
from luvat.discussion.backends.zulip import ZulipBackend, ZulipClient
from luvat.discussion.models import AuthorKind, Message, ThreadKind
from luvat.discussion.selectors import thread_messages
from luvat.discussion.services import message_post
from luvat.discussion.text import render_message
from tests.discussion.factories import COMPANY, customer, festival_room
from tests.samples import MINIMAL_PDF

pytestmark = pytest.mark.django_db
RECORDED = Path(__file__).parent / "recorded"


def recorded(name):
    return json.loads((RECORDED / name).read_text())


class FakeZulip:
    """Answers like a Zulip server from recorded bodies and remembers what it was asked."""

    def __init__(self, overrides=None):
        self.requests = []
        self.overrides = overrides or {}

    def __call__(self, request):
        self.requests.append(request)
        key = (request.method, request.url.path)
        if key in self.overrides:
            status, body = self.overrides[key]
            return httpx.Response(status, json=body)
        files = {
            ("POST", "/api/v1/users/me/subscriptions"): "post_subscriptions.json",
            ("POST", "/api/v1/messages"): "post_messages.json",
            ("GET", "/api/v1/messages"): "get_messages.json",
            ("POST", "/api/v1/user_uploads"): "post_user_uploads.json",
        }
        body = recorded(files[key])
        if key == ("POST", "/api/v1/messages"):  # each message gets the next id
            body["id"] += sum(1 for r in self.requests if r.url.path == request.url.path) - 1
        return httpx.Response(200, json=body)


@pytest.fixture
def zulip(settings, monkeypatch):
    settings.LUVAT_DISCUSSION_BACKEND = "zulip"
    fake = FakeZulip()

    def backend():
        client = ZulipClient(
            site="https://chat.example.fi",
            email="luvat-bot@chat.example.fi",
            api_key="k3y",
            transport=httpx.MockTransport(fake),
        )
        return ZulipBackend(client, channel_prefix="luvat")

    monkeypatch.setattr("luvat.discussion.services.get_backend", backend)
    monkeypatch.setattr("luvat.discussion.selectors.get_backend", backend)
    return fake


def form(request):
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_settings_choose_the_backend(settings):
    settings.LUVAT_DISCUSSION_BACKEND = "builtin"
    assert get_backend().name == "builtin"
    settings.LUVAT_DISCUSSION_BACKEND = "zulip"
    settings.LUVAT_ZULIP_SITE = "https://chat.example.fi"
    assert get_backend().name == "zulip"


def test_the_first_post_creates_a_private_channel_and_posts_to_the_threads_topic(zulip):
    room = festival_room()
    thread = room.threads.get(kind=ThreadKind.CUSTOMER)

    message = message_post(
        actor=customer(), user_id=None, thread=thread, body="When is the inspection?"
    )

    subscribe, post = zulip.requests
    assert subscribe.headers["Authorization"].startswith("Basic ")
    assert subscribe.url.path == "/api/v1/users/me/subscriptions"
    sub = form(subscribe)
    assert json.loads(sub["subscriptions"]) == [
        {"name": "luvat-41 Helsinki Summer Festival", "description": "Helsinki Summer Festival"}
    ]
    assert sub["invite_only"] == "true"
    sent = form(post)
    assert sent["type"] == "stream" and sent["to"] == "luvat-41 Helsinki Summer Festival"
    assert sent["topic"] == f"#{thread.pk} Yritys ja viranomaiset"  # service default language
    assert len(sent["topic"]) <= 60
    assert sent["content"] == f"**Cecilia Customer** ({COMPANY}):\nWhen is the inspection?"
    assert message.external_id == 3301
    room.refresh_from_db()
    assert room.external_channel == "luvat-41 Helsinki Summer Festival"
    thread.refresh_from_db()
    assert thread.last_message_id == 3301

    message_post(actor=customer(), user_id=None, thread=thread, body="Another")
    assert [r.url.path for r in zulip.requests[2:]] == ["/api/v1/messages"]  # channel exists


def test_attachments_are_uploaded_and_linked(zulip, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    room = festival_room()
    thread = room.threads.get(kind=ThreadKind.APPLICATION, application_id=501)
    pdf = SimpleUploadedFile("rescue-plan.pdf", MINIMAL_PDF, content_type="application/pdf")
    message_post(actor=customer(), user_id=None, thread=thread, body="Plan", attachments=[pdf])
    upload = next(r for r in zulip.requests if r.url.path == "/api/v1/user_uploads")
    assert b'filename="rescue-plan.pdf"' in upload.content and MINIMAL_PDF in upload.content
    post = next(r for r in zulip.requests if r.url.path == "/api/v1/messages")
    assert form(post)["content"].endswith(
        "[rescue-plan.pdf](/user_uploads/2/4e/m2A3MSqFnWRLUf9SaPzQ0Up_/rescue-plan.pdf)"
    )


def test_reading_a_thread_asks_for_its_topic_and_merges_local_authorship(zulip):
    room = festival_room()
    thread = room.threads.get(kind=ThreadKind.CUSTOMER)
    message_post(actor=customer(), user_id=None, thread=thread, body="When is the inspection?")
    thread.refresh_from_db()

    view = thread_messages(customer(), thread=thread, user_id=None)

    get = zulip.requests[-1]
    params = {k: v[0] for k, v in parse_qs(get.url.query.decode()).items()}
    assert params["anchor"] == "newest" and params["num_after"] == "0"
    assert params["apply_markdown"] == "false"
    assert json.loads(params["narrow"]) == [
        {"operator": "stream", "operand": "luvat-41 Helsinki Summer Festival"},
        {"operator": "topic", "operand": thread.topic},
    ]
    mine, theirs = view.messages
    assert (mine.author_label, mine.body, mine.backend_id) == (
        "Cecilia Customer",
        "When is the inspection?",
        3301,
    )
    assert theirs.author_kind == AuthorKind.EXTERNAL and theirs.author_label == "Olli Official"
    assert theirs.sent_at.timestamp() == 1796115600
    html = render_message(theirs.body)
    assert "<script>" not in html and 'href="https://pelastustoimi.example/ohje"' in html


@pytest.mark.parametrize(
    ("status", "body", "text"),
    [
        (401, "error_invalid_api_key.json", "Invalid API key"),
        (429, "error_rate_limit.json", "rate limit"),
    ],
)
def test_zulip_errors_refuse_the_post_and_save_nothing(settings, monkeypatch, status, body, text):
    settings.LUVAT_DISCUSSION_BACKEND = "zulip"
    fake = FakeZulip({("POST", "/api/v1/users/me/subscriptions"): (status, recorded(body))})
    client = ZulipClient(
        site="https://chat.example.fi",
        email="b@x",
        api_key="k",
        transport=httpx.MockTransport(fake),
    )
    monkeypatch.setattr(
        "luvat.discussion.services.get_backend",
        lambda: ZulipBackend(client, channel_prefix="luvat"),
    )
    thread = festival_room().threads.get(kind=ThreadKind.CUSTOMER)
    with pytest.raises(BackendUnavailable, match=text):
        message_post(actor=customer(), user_id=None, thread=thread, body="Hello")
    assert not Message.objects.exists()


def test_an_unreachable_server_is_reported():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    client = ZulipClient(
        site="https://chat.example.fi",
        email="b@x",
        api_key="k",
        transport=httpx.MockTransport(refuse),
    )
    with pytest.raises(BackendUnavailable, match="not reachable"):
        client.send_channel_message(channel="c", topic="t", content="x")


def test_validation_happens_before_zulip_is_called(zulip):
    thread = festival_room().threads.get(kind=ThreadKind.CUSTOMER)
    with pytest.raises(ValidationError):
        message_post(actor=customer(), user_id=None, thread=thread, body=" ")
    assert zulip.requests == []


def test_the_zulip_backend_without_credentials_fails_the_configuration_check(settings):
    from luvat.discussion.checks import zulip_settings

    settings.LUVAT_DISCUSSION_BACKEND = "zulip"
    settings.LUVAT_ZULIP_SITE = "https://chat.example.fi"
    settings.LUVAT_ZULIP_EMAIL = ""
    settings.LUVAT_ZULIP_API_KEY = ""
    [error] = zulip_settings()
    assert error.id == "luvat.E101" and "LUVAT_ZULIP_API_KEY" in error.msg
    settings.LUVAT_DISCUSSION_BACKEND = "builtin"
    assert zulip_settings() == []
