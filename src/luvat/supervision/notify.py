"""Telling a company about its supervision events (through the notifications context)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.functional import Promise

from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import notification_publish
from luvat.supervision.models import EventKind, SupervisionEvent


def event_when(event: SupervisionEvent) -> Callable[[], str]:
    """The event's time window in Helsinki time, formatted in the active language."""

    def render() -> str:
        start = timezone.localtime(event.starts_at)
        end = timezone.localtime(event.ends_at)
        text = formats.date_format(start, "SHORT_DATETIME_FORMAT")
        if start.date() == end.date():
            return f"{text}\u2013{formats.time_format(end, 'TIME_FORMAT')}"
        return f"{text} \u2013 {formats.date_format(end, 'SHORT_DATETIME_FORMAT')}"

    return render


def notify_company(event: SupervisionEvent, *, change: Promise | str) -> None:
    """Publish a supervision notification to the people of the event's company."""
    notification_publish(
        kind=NotificationKind.SUPERVISION_EVENT,
        audience=Audience(business_ids=(event.business_id,)),
        params={
            "change": change,
            "title": event.title,
            "kind": EventKind(event.kind).label,
            "when": event_when(event),
            "place": event.place or "-",
            "preparation": event.preparation or "-",
            "authority": event.authority_code,
        },
        url="/fi/supervision/",
    )
