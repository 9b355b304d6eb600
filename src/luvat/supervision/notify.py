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
    return authority_names([code])


def authority_names(codes: list[str]) -> Callable[[], str]:
    """The authorities' names in the given order, in the active language, comma-separated
    (a joint inspection names every participant)."""
    found = Authority.objects.in_bulk(codes, field_name="code")
    return lambda: ", ".join(found[c].name if c in found else c for c in codes)


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
            "authority": authority_names(event.authority_codes()),
        },
        url=COMPANY_PAGE,
    )


# The officials' supervision page, without a language prefix like the company's.
OFFICIAL_PAGE = "/backoffice/supervision/"


def notify_participants(
    event: SupervisionEvent, *, codes: list[str], change: Promise | str
) -> None:
    """Tell the officials of the other authorities of a joint inspection."""
    if not codes:
        return
    notification_publish(
        kind=NotificationKind.SUPERVISION_EVENT,
        audience=Audience(authority_codes=tuple(codes)),
        params={
            "change": change,
            "title": event.title,
            "kind": EventKind(event.kind).label,
            "when": event_when(event),
            "place": event.place or "-",
            "preparation": event.preparation or "-",
            "authority": authority_names(event.authority_codes()),
        },
        url=OFFICIAL_PAGE,
    )
