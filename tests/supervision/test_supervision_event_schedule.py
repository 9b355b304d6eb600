from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from luvat.audit.selectors import audit_events_for
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.supervision.models import EventStatus, SupervisionEvent
from luvat.supervision.selectors import past_events, upcoming_events
from luvat.supervision.services import (
    business_id_is_valid,
    supervision_event_reschedule,
    supervision_event_schedule,
    supervision_event_set_status,
)
from tests.supervision.factories import (
    COMPANY,
    OTHER_COMPANY,
    POLICE,
    RESCUE,
    SupervisionEventFactory,
    customer,
    details,
    official,
)

pytestmark = pytest.mark.django_db


def test_an_official_schedules_an_event_the_company_sees_and_is_told_about():
    event = supervision_event_schedule(actor=official(), business_id=COMPANY, details=details())

    assert event.authority_code == RESCUE and event.status == EventStatus.PLANNED
    assert [e.pk for e in upcoming_events(customer(), business_id=COMPANY)] == [event.pk]
    assert upcoming_events(customer(OTHER_COMPANY), business_id=COMPANY) == []
    assert [a.action for a in audit_events_for(event)] == ["supervision.event_schedule"]
    published = NotificationEvent.objects.get()
    assert published.kind == NotificationKind.SUPERVISION_EVENT
    assert published.audience["business_ids"] == [COMPANY]
    assert "Fire inspection" in published.params["texts"]["fi"]["title"]
    assert "Palotarkastus" not in published.params["texts"]["en"]["title"]


def test_officials_see_only_their_own_authoritys_events_of_a_company():
    mine = SupervisionEventFactory.create(authority_code=RESCUE)
    SupervisionEventFactory.create(authority_code=POLICE)

    assert [e.pk for e in upcoming_events(official(RESCUE), business_id=COMPANY)] == [mine.pk]
    assert len(upcoming_events(customer(), business_id=COMPANY)) == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"starts_at": timezone.now() - timedelta(days=1)}, "starts_at"),
    ],
)
def test_bad_event_details_are_refused_naming_the_field(overrides, field):
    with pytest.raises(ValidationError) as refused:
        supervision_event_schedule(
            actor=official(), business_id=COMPANY, details=details(**overrides)
        )
    assert field in refused.value.message_dict
    assert not SupervisionEvent.objects.exists()
    assert not NotificationEvent.objects.exists()


def test_an_event_must_end_after_it_starts():
    bad = details()
    bad = details(ends_at=bad.starts_at)
    with pytest.raises(ValidationError) as refused:
        supervision_event_schedule(actor=official(), business_id=COMPANY, details=bad)
    assert "ends_at" in refused.value.message_dict


def test_a_malformed_business_id_is_refused():
    with pytest.raises(ValidationError) as refused:
        supervision_event_schedule(actor=official(), business_id="1234567-2", details=details())
    assert "business_id" in refused.value.message_dict


def test_customers_cannot_schedule_supervision():
    with pytest.raises(PermissionDenied):
        supervision_event_schedule(actor=customer(), business_id=COMPANY, details=details())


def test_another_authority_cannot_change_the_event():
    event = SupervisionEventFactory.create(authority_code=RESCUE)
    with pytest.raises(PermissionDenied):
        supervision_event_set_status(actor=official(POLICE), event=event, status="cancelled")
    with pytest.raises(PermissionDenied):
        supervision_event_reschedule(actor=official(POLICE), event=event, details=details())
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED and event.sequence == 0


def test_status_goes_through_the_transition_table_and_done_needs_a_result():
    event = SupervisionEventFactory.create()
    event = supervision_event_set_status(actor=official(), event=event, status="confirmed")
    assert event.status == EventStatus.CONFIRMED and event.sequence == 1

    with pytest.raises(ValidationError) as refused:
        supervision_event_set_status(actor=official(), event=event, status="done")
    assert "result_note" in refused.value.message_dict

    event = supervision_event_set_status(
        actor=official(), event=event, status="done", result_note="No remarks."
    )
    assert event.status == EventStatus.DONE
    with pytest.raises(ValidationError) as refused:
        supervision_event_set_status(actor=official(), event=event, status="planned")
    assert "status" in refused.value.message_dict
    assert [e.pk for e in past_events(customer(), business_id=COMPANY)] == [event.pk]


def test_rescheduling_raises_the_calendar_sequence_and_rearms_the_reminder():
    event = SupervisionEventFactory.create(reminder_sent_at=timezone.now())
    later = details(days_ahead=20)
    event = supervision_event_reschedule(actor=official(), event=event, details=later)
    assert event.sequence == 1 and event.reminder_sent_at is None
    assert event.starts_at == later.starts_at


def test_cancelled_events_cannot_be_rescheduled():
    event = SupervisionEventFactory.create(cancelled=True)
    with pytest.raises(ValidationError):
        supervision_event_reschedule(actor=official(), event=event, details=details())


def test_upcoming_events_is_two_queries(django_assert_num_queries):
    SupervisionEventFactory.create_batch(5)
    with django_assert_num_queries(2):  # the events, their joint inspections' participants
        upcoming_events(customer(), business_id=COMPANY)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1234567-1", True),
        ("7654321-2", True),
        ("0000000-0", True),
        ("1234567-2", False),
        ("123456-1", False),
        ("12345671", False),
    ],
)
def test_business_id_check_digit(value, valid):
    assert business_id_is_valid(value) is valid


def test_the_company_is_reminded_once_of_an_event_coming_within_the_reminder_window(settings):
    from luvat.supervision.tasks import remind_upcoming_batch

    settings.LUVAT_SUPERVISION_REMINDER_DAYS = 7
    soon = SupervisionEventFactory.create(starts_at=timezone.now() + timedelta(days=3))
    SupervisionEventFactory.create(starts_at=timezone.now() + timedelta(days=30))
    SupervisionEventFactory.create(starts_at=timezone.now() + timedelta(days=2), cancelled=True)

    assert remind_upcoming_batch() == 1
    assert remind_upcoming_batch() == 0
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert NotificationEvent.objects.get().audience["business_ids"] == [COMPANY]
