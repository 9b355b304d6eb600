import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from luvat.audit.actors import Actor, ActorKind
from luvat.notifications import recipients as recipients_module
from luvat.notifications.models import EmailState, Notification, NotificationKind
from luvat.notifications.recipients import Audience, register_audience_resolver
from luvat.notifications.selectors import notification_list, notification_preferences
from luvat.notifications.services import (
    notification_mark_read,
    notification_preferences_update,
    notification_publish,
)
from luvat.notifications.tasks import fan_out_batch, send_email_batch
from tests.notifications.factories import EmailAddressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(monkeypatch):
    monkeypatch.setattr(recipients_module, "_resolvers", {})
    model = get_user_model()
    users = {
        "cecilia": model.objects.create_user("cecilia", "cecilia@company.example"),
        "carl": model.objects.create_user("carl", "carl@company.example"),
        "olli": model.objects.create_user("olli", "olli@rescue.example"),
        "nomail": model.objects.create_user("nomail", ""),
    }
    for user in users.values():
        if user.email:
            EmailAddressFactory.create(user=user, address=user.email)
    company = {"1234567-1": {users["cecilia"].pk, users["carl"].pk, users["nomail"].pk}}
    authority = {"hki-rescue": {users["olli"].pk}}
    register_audience_resolver(
        "company", lambda ids: set().union(*(company.get(i, set()) for i in ids))
    )
    register_audience_resolver(
        "authority", lambda codes: set().union(*(authority.get(c, set()) for c in codes))
    )
    return users


def publish(**audience):
    return notification_publish(
        kind=NotificationKind.DECISION_MADE,
        audience=Audience(**audience),
        params={"application": "Rescue plan", "authority": "Helsinki rescue", "outcome": "granted"},
        url="/fi/projects/41/",
    )


def actor(user):
    return Actor(kind=ActorKind.CUSTOMER, ref=f"user:{user.pk}", on_behalf_of="1234567-1")


def test_nothing_is_sent_until_the_worker_runs_then_each_person_gets_one_in_their_language(people):
    notification_preferences_update(
        actor=actor(people["carl"]), user_id=people["carl"].pk, language="en", channels={}
    )
    publish(business_ids=("1234567-1",), exclude_user_ids=(people["nomail"].pk,))
    assert not Notification.objects.exists() and mail.outbox == []

    assert fan_out_batch() == 1
    assert fan_out_batch() == 0  # idempotent
    assert Notification.objects.count() == 2
    assert send_email_batch() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"cecilia@company.example", "carl@company.example"}
    assert by_address["carl@company.example"].subject == "Decision made: Rescue plan"
    assert by_address["cecilia@company.example"].subject != "Decision made: Rescue plan"
    assert "http://localhost:8000/fi/projects/41/" in by_address["carl@company.example"].body
    assert send_email_batch() == 0


def test_per_person_preferences_choose_the_channels(people):
    notification_preferences_update(
        actor=actor(people["cecilia"]),
        user_id=people["cecilia"].pk,
        language="fi",
        channels={NotificationKind.DECISION_MADE: (True, False)},
    )
    notification_preferences_update(
        actor=actor(people["carl"]),
        user_id=people["carl"].pk,
        language="fi",
        channels={NotificationKind.DECISION_MADE: (False, False)},
    )
    publish(business_ids=("1234567-1",))
    fan_out_batch()
    send_email_batch()
    assert mail.outbox == []
    cecilia = Notification.objects.get(recipient=people["cecilia"])
    assert cecilia.in_list and cecilia.email_state == EmailState.NOT_WANTED
    assert not Notification.objects.filter(recipient=people["carl"]).exists()
    nomail = Notification.objects.get(recipient=people["nomail"])
    assert nomail.email_state == EmailState.NOT_WANTED  # no address, list only
    prefs = notification_preferences(user_id=people["carl"].pk)
    assert prefs.channels[NotificationKind.DECISION_MADE] == (False, False)
    assert prefs.channels[NotificationKind.NEW_MESSAGE] == (True, True)


def test_failed_email_is_retried_later_and_given_up_after_five_attempts(
    people, settings, monkeypatch
):
    publish(user_ids=(people["olli"].pk,))
    fan_out_batch()

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert send_email_batch() == 1
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.PENDING and notification.email_attempts == 1
    assert send_email_batch() == 0  # backing off
    for _ in range(4):
        Notification.objects.update(email_next_attempt_at=notification.created_at)
        send_email_batch()
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED and notification.email_attempts == 5


def test_the_list_shows_own_notifications_newest_first_and_marks_them_read(
    people, django_assert_num_queries
):
    publish(authority_codes=("hki-rescue",))
    publish(business_ids=("1234567-1",))
    fan_out_batch()
    olli = people["olli"].pk
    with django_assert_num_queries(2):
        listed = notification_list(user_id=olli)
    assert (listed.total, listed.unread) == (1, 1)
    other = Notification.objects.filter(recipient=people["cecilia"]).get()
    assert notification_mark_read(user_id=olli, notification_ids=[other.pk]) == 0
    assert notification_mark_read(user_id=olli) == 1
    assert notification_list(user_id=olli).unread == 0


def test_an_audience_nobody_can_resolve_is_logged_not_retried_forever(people, monkeypatch):
    monkeypatch.setattr(recipients_module, "_resolvers", {})
    publish(business_ids=("1234567-1",))
    assert fan_out_batch() == 1
    assert not Notification.objects.exists()


def test_texts_are_rendered_in_every_language_when_published():
    event = notification_publish(
        kind=NotificationKind.STATUS_CHANGED,
        audience=Audience(user_ids=(1,)),
        params={"application": "Rescue plan", "project": "Festival", "status": "received"},
    )
    assert set(event.params["texts"]) == {"fi", "sv", "en"}
    assert event.params["texts"]["en"]["title"] == "Rescue plan: received"
