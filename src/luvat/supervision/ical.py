"""A company's supervision events as an RFC 5545 calendar (the ``icalendar`` package)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luvat.catalogue.models import Authority
from luvat.supervision.models import EventKind, EventStatus, SupervisionEvent
from luvat.supervision.recurrence import HELSINKI

PRODID = "-//Luvat//Supervision events//EN"
ICAL_STATUS = {
    EventStatus.PLANNED: "TENTATIVE",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.DONE: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def _description(event: SupervisionEvent, authorities: dict[str, Authority]) -> str:
    authority = authorities.get(event.authority_code)
    lines = [
        f"{_('Type')}: {EventKind(event.kind).label}",
        f"{_('Authority')}: {authority.name if authority else event.authority_code}",
    ]
    if event.preparation:
        lines.append(f"{_('What to prepare')}: {event.preparation}")
    if event.site:
        lines.append(f"{_('Site')}: {event.site}")
    if event.permit_reference:
        lines.append(f"{_('Permit')}: {event.permit_reference}")
    if event.status == EventStatus.DONE and event.result_note:
        lines.append(f"{_('Result')}: {event.result_note}")
    return "\n".join(lines)


def company_calendar(
    business_id: str, events: list[SupervisionEvent], *, language: str = "fi"
) -> bytes:
    """The VCALENDAR with one VEVENT per event, times in Europe/Helsinki."""
    authorities = {
        a.code: a
        for a in Authority.objects.filter(code__in=sorted({e.authority_code for e in events}))
    }
    with translation.override(language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add(
            "x-wr-calname", _("Supervision events %(business_id)s") % {"business_id": business_id}
        )
        calendar.add("x-wr-timezone", "Europe/Helsinki")
        stamp = timezone.now()
        for event in events:
            vevent = icalendar.Event()
            vevent.add("uid", f"{event.uid}@luvat")
            vevent.add("dtstamp", stamp)
            vevent.add("dtstart", event.starts_at.astimezone(HELSINKI))
            vevent.add("dtend", event.ends_at.astimezone(HELSINKI))
            vevent.add("summary", event.title)
            vevent.add("description", _description(event, authorities))
            if event.place:
                vevent.add("location", event.place)
            vevent.add("status", ICAL_STATUS[EventStatus(event.status)])
            vevent.add("sequence", event.sequence)
            vevent.add("last-modified", event.updated_at)
            vevent.add("categories", [EventKind(event.kind).label])
            calendar.add_component(vevent)
        if events:
            first = min(e.starts_at for e in events).astimezone(HELSINKI).date()
            last = max(e.ends_at for e in events).astimezone(HELSINKI).date()
            calendar.add_missing_timezones(
                first_date=first - timedelta(days=1), last_date=last + timedelta(days=366)
            )
        return bytes(calendar.to_ical())
