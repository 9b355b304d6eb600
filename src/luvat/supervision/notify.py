"""Telling a company about its supervision events (through the notifications context)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.functional import Promise

from luvat.catalogue.models import Authority
from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import notification_publish
from luvat.supervision.models import EventKind, SupervisionEvent

# Without a language prefix: the reader's language is chosen when the link is opened.
COMPANY_PAGE = "/supervision/"


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


def authority_name(code: str) -> Callable[[], str]:
    """The authority's name from the catalogue in the active language (its code if unknown)."""
    authority = Authority.objects.filter(code=code).first()
    return lambda: authority.name if authority else code


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
            "authority": authority_name(event.authority_code),
        },
        url=COMPANY_PAGE,
    )
