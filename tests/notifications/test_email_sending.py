"""Notification e-mail really leaves through SMTP and arrives at a local SMTP server.

The address comes from the log-in service or the person enters it; nothing is sent to it
before the person follows the confirmation link; a permanent refusal marks it undeliverable
and tells the person in the service; temporary failures are retried and then dead-lettered.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from luvat.identity.identities import VerifiedIdentity
from luvat.identity.models import LoginMethod
from luvat.identity.services import person_actor, person_login
from luvat.notifications.models import (
    AddressSource,
    EmailAddress,
    EmailState,
    Notification,
    NotificationKind,
)
from luvat.notifications.recipients import Audience
from luvat.notifications.services import notification_preferences_update, notification_publish
from luvat.notifications.tasks import fan_out_batch, send_email_batch
from tests.identity.factories import PersonFactory
from tests.identity.helpers import act_as_administrator, login_test_idp
from tests.mailserver import mail_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def decision_for(user_id: int) -> None:
    notification_publish(
        kind=NotificationKind.DECISION_MADE,
        audience=Audience(user_ids=(user_id,)),
        params={"application": "Rescue plan", "authority": "Helsinki rescue", "outcome": "granted"},
        url="/projects/41/",
    )
    fan_out_batch()


def follow(client: Client, link: str) -> str:
    path = link.split("localhost:8000", 1)[1]
    confirmed_before = EmailAddress.objects.filter(verified_at__isnull=False).count()
    asked = client.get(path)  # mail scanners open links: opening confirms nothing
    assert asked.status_code == 200 and 'method="post"' in asked.content.decode()
    assert EmailAddress.objects.filter(verified_at__isnull=False).count() == confirmed_before
    return client.post(path).content.decode()


def test_the_address_from_suomifi_is_confirmed_by_its_link_before_any_notification_goes(
    mail_server,  # noqa: F811
):
    person = person_login(
        identity=VerifiedIdentity(
            method=LoginMethod.SUOMIFI,
            given_name="Maija",
            family_name="Meikäläinen",
            email="maija@festivaali.example",
            national_id="010280-952L",
        )
    )
    row = EmailAddress.objects.get(user_id=person.user_id)
    assert row.source == AddressSource.LOGIN and row.verified_at is None
    decision_for(person.user_id)
    assert Notification.objects.get().email_state == EmailState.NOT_WANTED

    assert send_email_batch() == 1
    (confirmation,) = mail_server.to("maija@festivaali.example")
    assert "Luvat" in confirmation.subject
    page = follow(Client(), confirmation.links()[0])
    assert "maija@festivaali.example" in page
    row.refresh_from_db()
    assert row.usable

    notification_preferences_update(
        actor=person_actor(person), user_id=person.user_id, language="en", channels={}
    )
    decision_for(person.user_id)
    assert send_email_batch() == 1
    arrived = mail_server.to("maija@festivaali.example")
    assert len(arrived) == 2
    assert arrived[1].subject == "Decision made: Rescue plan"
    assert "http://localhost:8000/en/projects/41/" in arrived[1].body
    # A later log-in with the same address changes nothing and sends nothing.
    person_login(
        identity=VerifiedIdentity(
            method=LoginMethod.SUOMIFI, email="maija@festivaali.example", national_id="010280-952L"
        )
    )
    assert send_email_batch() == 0
    assert EmailAddress.objects.get(user_id=person.user_id).usable


def test_the_person_enters_an_address_on_their_page_in_their_language(mail_server):  # noqa: F811
    person = PersonFactory.create(email="")
    client = Client()
    login_test_idp(client, person)
    assert not EmailAddress.objects.exists()
    page = client.get("/sv/notifications/email/").content.decode()
    assert 'name="address"' in page
    client.post("/sv/notifications/email/", {"action": "set", "address": "not an address"})
    assert not EmailAddress.objects.exists()
    client.post("/sv/notifications/email/", {"action": "set", "address": "carl@Firma.Example"})
    row = EmailAddress.objects.get()
    assert (row.address, row.source, row.language) == ("carl@firma.example", "entered", "sv")
    send_email_batch()
    (confirmation,) = mail_server.to("carl@firma.example")
    assert "/sv/notifications/email/verify/" in confirmation.links()[0]
    assert "Bekräfta" in confirmation.subject
    # A forged or stale link verifies nothing.
    assert Client().post("/sv/notifications/email/verify/forged/").status_code == 400
    follow(Client(), confirmation.links()[0])
    assert EmailAddress.objects.get().usable
    # The address the log-in service gives later does not replace the one the person chose.
    person.email = "carl@elsewhere.example"
    person.save()
    login_test_idp(Client(), person)
    assert EmailAddress.objects.get().address == "carl@firma.example"

    client.post("/sv/notifications/email/", {"action": "remove"})
    assert not EmailAddress.objects.exists()


def test_a_permanent_refusal_marks_the_address_undeliverable_and_tells_the_person(
    mail_server,  # noqa: F811
):
    person = PersonFactory.create()
    EmailAddress.objects.create(
        user_id=person.user_id,
        address="gone@company.example",
        source=AddressSource.ENTERED,
        verified_at=timezone.now(),
        verification_state=EmailState.SENT,
    )
    mail_server.refuse["gone@company.example"] = "550 5.1.1 <gone@company.example>: no such user"
    decision_for(person.user_id)
    decision_for(person.user_id)
    assert send_email_batch() == 1  # the second is not tried once the address is refused
    assert mail_server.arrived == []
    row = EmailAddress.objects.get()
    assert row.undeliverable_at is not None and "550" in row.undeliverable_reason
    assert set(
        Notification.objects.filter(kind=NotificationKind.DECISION_MADE).values_list(
            "email_state", flat=True
        )
    ) == {EmailState.BOUNCED}
    fan_out_batch()
    told = Notification.objects.get(kind=NotificationKind.EMAIL_UNDELIVERABLE)
    assert told.in_list and told.email_state == EmailState.NOT_WANTED
    assert "gone@company.example" in told.title
    client = Client()
    login_test_idp(client, person)
    page = client.get("/en/notifications/email/").content.decode()
    assert "cannot be delivered" in page and "no such user" in page
    assert send_email_batch() == 0


def test_temporary_failures_are_retried_then_left_for_an_administrator_to_send_again(
    mail_server,  # noqa: F811
    settings,
):
    person = PersonFactory.create()
    EmailAddress.objects.create(
        user_id=person.user_id,
        address="busy@company.example",
        source=AddressSource.ENTERED,
        verified_at=timezone.now(),
        verification_state=EmailState.SENT,
    )
    mail_server.refuse["busy@company.example"] = "451 4.3.0 mailbox busy, try again later"
    decision_for(person.user_id)
    for _attempt in range(settings.LUVAT_EMAIL_MAX_ATTEMPTS):
        Notification.objects.update(email_next_attempt_at=timezone.now())
        assert send_email_batch() == 1
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.FAILED
    assert notification.email_attempts == settings.LUVAT_EMAIL_MAX_ATTEMPTS
    assert "451" in notification.email_error
    assert EmailAddress.objects.get().usable  # a temporary failure says nothing of the address

    admin = PersonFactory.create(administrator=True)
    client = Client()
    act_as_administrator(client, admin)
    page = client.get("/en/notifications/undelivered/").content.decode()
    assert "busy@company.example" in page and "mailbox busy" in page
    customer = Client()
    login_test_idp(customer, person)
    assert customer.get("/en/notifications/undelivered/").status_code == 403

    del mail_server.refuse["busy@company.example"]
    client.post("/en/notifications/undelivered/", {"notification": [notification.pk]})
    send_email_batch()
    (arrived,) = mail_server.to("busy@company.example")
    assert arrived.subject == "Päätös tehty: Rescue plan"
    assert Notification.objects.get().email_state == EmailState.SENT
