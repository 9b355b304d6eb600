"""Authorities' letters to companies through Suomi.fi Messages (REST API, recorded answers).

The real client (``django-helsinki-suomifi-messages`` under our adapter) talks to a local
HTTP server that answers with responses in the real format; a decision notice of an
authority with the channel on goes to the company's mailbox, and by e-mail (arriving at the
local SMTP server) when the company has no active mailbox.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from luvat.notifications.letters.base import (
    MessageRejected,
    MessagesUnavailable,
    PaperCopy,
    PostalAddress,
)
from luvat.notifications.letters.local import LocalMessages
from luvat.notifications.letters.sending import send_letters_batch
from luvat.notifications.letters.suomifi import SuomifiMessages
from luvat.notifications.models import (
    EmailState,
    Letter,
    LetterState,
    MessagesChannel,
    Notification,
    NotificationKind,
)
from luvat.notifications.recipients import Audience
from luvat.notifications.services import notification_publish
from luvat.notifications.tasks import fan_out_batch, send_email_batch
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official
from tests.identity.recorded_server import Answer, RecordedServer, Seen, recorded_server
from tests.mailserver import mail_server  # noqa: F401  (fixture)
from tests.notifications.factories import EmailAddressFactory

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str, status: int = 200) -> Answer:
    return Answer(status, (RECORDED / name).read_bytes())


def answering(server: RecordedServer, mailboxes: str = "messages_mailboxes_active.json") -> None:
    server.answer("POST", "/v1/token", lambda _seen: recorded("messages_token.json"))
    server.answer("POST", "/v1/mailboxes/active", lambda _seen: recorded(mailboxes))
    server.answer(
        "POST", "/v2/messages/electronic", lambda _s: recorded("messages_electronic.json")
    )
    server.answer("POST", "/v2/messages", lambda _seen: recorded("messages_electronic.json"))
    server.answer("POST", "/v2/attachments", lambda _seen: recorded("messages_attachment.json"))


def client_for(server: RecordedServer) -> SuomifiMessages:
    return SuomifiMessages(base_url=server.url, username="luvat-qa", password="secret-1")


def sent_json(seen: Seen) -> Any:
    return json.loads(seen.body)


def test_the_adapter_speaks_the_rest_api_mailbox_check_message_attachment_multichannel():
    with recorded_server() as server:
        answering(server)
        messages = client_for(server)
        assert messages.active_mailboxes([FESTIVAALI, TERAS]) == {FESTIVAALI}
        attachment = messages.upload_attachment(filename="paatos.pdf", content=b"%PDF-1.7 ...")
        message_id = messages.send_electronic(
            external_id="luvat-letter-1",
            recipient_id=FESTIVAALI,
            service_id="1234567-8_LuvatHki",
            title="Päätös tehty",
            body="Pelastuslaitos on tehnyt päätöksen.",
            attachment_ids=[attachment],
        )
        paper = PaperCopy(
            recipient=PostalAddress("Festivaali Oy", "Mannerheimintie 1", "00100", "Helsinki"),
            sender=PostalAddress("Pelastuslaitos", "Agricolankatu 15", "00530", "Helsinki"),
            attachment_id=attachment,
        )
        with pytest.raises(MessageRejected, match="Posti"):
            messages.send_multichannel(
                external_id="luvat-letter-2",
                recipient_id=TERAS,
                service_id="1234567-8_LuvatHki",
                title="Päätös",
                body="…",
                paper=paper,
            )
    assert message_id == "94531807" and attachment == "0d5f1b7e-3c1a-4b8e-9f2d-6a7c8e9b0a12"
    token, check, upload, electronic = server.seen[:4]
    assert sent_json(token) == {"username": "luvat-qa", "password": "secret-1"}
    assert sent_json(check) == {"endUsers": [{"id": FESTIVAALI}, {"id": TERAS}]}
    assert (
        check.headers["Authorization"]
        == json.loads((RECORDED / "messages_token.json").read_text())["access_token"]
    )
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="file"; filename="paatos.pdf"' in upload.body
    body = sent_json(electronic)
    assert body["externalId"] == "luvat-letter-1"
    assert body["recipient"] == {"id": FESTIVAALI}
    assert body["sender"] == {"serviceId": "1234567-8_LuvatHki"}
    assert body["electronic"]["title"] == "Päätös tehty"
    assert body["electronic"]["bodyFormat"] == "Text"
    assert body["electronic"]["attachments"] == [{"attachmentId": attachment}]
    assert electronic.path == "/v2/messages/electronic"
    assert len(server.seen) == 4  # no paper mail without the printing contract


def test_the_multichannel_message_carries_the_paper_copy(settings):
    settings.SUOMIFI_POSTI_EMAIL = "posti@luvat.example"
    settings.SUOMIFI_POSTI_USERNAME = "posti-user"
    settings.SUOMIFI_POSTI_PASSWORD = "posti-pass"
    with recorded_server() as server:
        answering(server)
        message_id = client_for(server).send_multichannel(
            external_id="luvat-letter-2",
            recipient_id=TERAS,
            service_id="1234567-8_LuvatHki",
            title="Päätös",
            body="Päätös liitteenä.",
            paper=PaperCopy(
                recipient=PostalAddress("Teräs Oy", "Teollisuuskatu 5", "00510", "Helsinki"),
                sender=PostalAddress("Pelastuslaitos", "Agricolankatu 15", "00530", "Helsinki"),
                attachment_id="0d5f1b7e-3c1a-4b8e-9f2d-6a7c8e9b0a12",
            ),
        )
    assert message_id == "94531807"
    body = sent_json(server.seen[-1])
    assert server.seen[-1].path == "/v2/messages"
    assert body["paperMail"]["recipient"]["address"]["name"] == "Teräs Oy"
    assert body["paperMail"]["attachments"] == [
        {"attachmentId": "0d5f1b7e-3c1a-4b8e-9f2d-6a7c8e9b0a12"}
    ]
    assert body["paperMail"]["printingAndEnvelopingService"]["postiMessaging"]["username"] == (
        "posti-user"
    )


def test_errors_of_the_service_are_sorted_into_retry_and_refusal():
    with recorded_server() as server:
        answering(server)
        server.answer(
            "POST", "/v2/messages/electronic", lambda _s: recorded("messages_duplicate.json", 409)
        )
        messages = client_for(server)
        # A repeated externalId sends nothing new: the first message's id comes back.
        assert (
            messages.send_electronic(
                external_id="luvat-letter-1",
                recipient_id=FESTIVAALI,
                service_id="s",
                title="t",
                body="b",
            )
            == "94531807"
        )
        server.answer(
            "POST", "/v2/messages/electronic", lambda _s: recorded("messages_bad_request.json", 400)
        )
        with pytest.raises(MessageRejected, match="active mailbox"):
            messages.send_electronic(
                external_id="x", recipient_id=TERAS, service_id="s", title="t", body="b"
            )
        server.answer("POST", "/v1/mailboxes/active", lambda _s: Answer(503, b"unavailable"))
        with pytest.raises(MessagesUnavailable):
            messages.active_mailboxes([FESTIVAALI])
    with pytest.raises(MessagesUnavailable):
        SuomifiMessages(base_url=server.url, username="u", password="p").active_mailboxes(["x"])


def test_the_stand_in_refuses_as_the_real_one_does(settings):
    settings.LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES = [FESTIVAALI]
    local = LocalMessages()
    assert local.active_mailboxes([FESTIVAALI, TERAS]) == {FESTIVAALI}
    first = local.send_electronic(
        external_id="stand-in-1", recipient_id=FESTIVAALI, service_id="s", title="t", body="b"
    )
    again = local.send_electronic(
        external_id="stand-in-1", recipient_id=FESTIVAALI, service_id="s", title="t", body="b"
    )
    assert first == again
    with pytest.raises(MessageRejected):
        local.send_electronic(
            external_id="stand-in-2", recipient_id=TERAS, service_id="s", title="t", body="b"
        )


def decision(business_id: str) -> None:
    notification_publish(
        kind=NotificationKind.DECISION_MADE,
        audience=Audience(business_ids=(business_id,)),
        params={
            "application": "Pelastussuunnitelma",
            "authority": "Pelastuslaitos",
            "outcome": "myönnetty",
        },
        url="/projects/p1/applications/a1/",
        letter_from="HKI-RESCUE",
    )
    fan_out_batch()


def test_a_decision_goes_to_the_companys_mailbox_and_by_e_mail_when_it_has_none(
    settings,
    mail_server,  # noqa: F811
):
    maija = LocalMandateFactory.create(business_id=FESTIVAALI).person
    EmailAddressFactory.create(user=maija.user, address="maija@festivaali.example")
    timo = LocalMandateFactory.create(business_id=TERAS).person
    EmailAddressFactory.create(user=timo.user, address="timo@teras.example")
    MessagesChannel.objects.create(authority_code="HKI-RESCUE", service_id="1234567-8_LuvatHki")
    with recorded_server() as server:
        settings.LUVAT_SUOMIFI_MESSAGES_BACKEND = "suomifi"
        settings.LUVAT_SUOMIFI_MESSAGES_URL = server.url
        answering(server)
        decision(FESTIVAALI)
        assert Notification.objects.get(recipient=maija.user).email_state == EmailState.HELD
        assert send_email_batch() == 0  # held until the letter is settled
        assert send_letters_batch() == 1
        letter = Letter.objects.get()
        assert (letter.state, letter.message_id) == (LetterState.SENT, "94531807")
        sent = sent_json(server.seen[-1])
        assert sent["recipient"] == {"id": FESTIVAALI}
        assert sent["sender"] == {"serviceId": "1234567-8_LuvatHki"}
        assert sent["electronic"]["title"] == "Päätös tehty: Pelastussuunnitelma"
        assert "Beslut fattat" in sent["electronic"]["body"]  # every language of the service
        assert "http://localhost:8000/fi/projects/p1/applications/a1/" in sent["electronic"]["body"]
        notification = Notification.objects.get(recipient=maija.user)
        assert notification.email_state == EmailState.VIA_MESSAGES and notification.in_list
        send_email_batch()
        assert mail_server.to("maija@festivaali.example") == []

        answering(server, mailboxes="messages_mailboxes_none.json")
        decision(TERAS)
        assert send_letters_batch() == 1
        assert Letter.objects.get(business_id=TERAS).state == LetterState.NO_MAILBOX
        assert server.seen[-1].path == "/v1/mailboxes/active"  # nothing sent to Suomi.fi
        assert send_email_batch() == 1
        (arrived,) = mail_server.to("timo@teras.example")
        assert arrived.subject == "Päätös tehty: Pelastussuunnitelma"


def test_without_the_channel_or_while_the_service_is_down_the_e_mail_still_goes(
    settings,
    mail_server,  # noqa: F811
):
    maija = LocalMandateFactory.create(business_id=FESTIVAALI).person
    EmailAddressFactory.create(user=maija.user, address="maija@festivaali.example")
    decision(FESTIVAALI)  # HKI-RESCUE has no channel
    assert not Letter.objects.exists()
    assert send_email_batch() == 1
    MessagesChannel.objects.create(authority_code="HKI-RESCUE", service_id="s")
    with recorded_server() as server:
        settings.LUVAT_SUOMIFI_MESSAGES_BACKEND = "suomifi"
        settings.LUVAT_SUOMIFI_MESSAGES_URL = server.url
        server.answer("POST", "/v1/token", lambda _seen: Answer(502, b"bad gateway"))
        decision(FESTIVAALI)
        for _attempt in range(settings.LUVAT_EMAIL_MAX_ATTEMPTS):
            Letter.objects.update(next_attempt_at=Letter.objects.get().created_at)
            send_letters_batch()
    letter = Letter.objects.get()
    assert letter.state == LetterState.FAILED and "502" in letter.error
    send_email_batch()
    assert len(mail_server.to("maija@festivaali.example")) == 2


def test_only_the_authority_administrator_turns_the_channel_on():
    admin = OfficialRoleFactory.create(authority_code="HKI-RESCUE", is_authority_admin=True)
    official = OfficialRoleFactory.create(authority_code="HKI-RESCUE")
    client = Client()
    act_as_official(client, official.person, "HKI-RESCUE")
    assert (
        "Only your authority" in client.get("/en/notifications/suomifi-messages/").content.decode()
    )
    client.post("/en/notifications/suomifi-messages/", {"service_id": "x", "enabled": "on"})
    assert not MessagesChannel.objects.exists()
    client = Client()
    act_as_official(client, admin.person, "HKI-RESCUE")
    client.post("/en/notifications/suomifi-messages/", {"service_id": "", "enabled": "on"})
    assert not MessagesChannel.objects.exists()
    client.post(
        "/en/notifications/suomifi-messages/", {"service_id": "1234567-8_LuvatHki", "enabled": "on"}
    )
    channel = MessagesChannel.objects.get()
    assert (channel.authority_code, channel.enabled) == ("HKI-RESCUE", True)
    page = client.get("/en/notifications/suomifi-messages/").content.decode()
    assert "In use, sender service 1234567-8_LuvatHki" in page
