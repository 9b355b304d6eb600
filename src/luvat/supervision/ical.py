"""A company's supervision events as an RFC 5545 calendar (the ``icalendar`` package)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luvat.catalogue.models import Authority
from luvat.supervision.models import EventKind, EventStatus, SupervisionEvent
from luvat.supervision.recurrence import HELSINKI

TIMEZONE_RANGE = (date(1970, 1, 2), date(2200, 1, 1))
PRODID = "-//Luvat//Supervision events//EN"
ICAL_STATUS = {
    EventStatus.PLANNED: "TENTATIVE",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.DONE: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def _description(event: SupervisionEvent, authorities: dict[str, Authority]) -> str:
    def name(code: str) -> str:
        authority = authorities.get(code)
        return authority.name if authority else code

    codes = event.authority_codes()
    lines = [f"{_('Type')}: {EventKind(event.kind).label}"]
    if len(codes) == 1:
        lines.append(f"{_('Authority')}: {name(codes[0])}")
    else:
        names = ", ".join(name(code) for code in codes)
        lines.append(f"{_('Joint inspection of the authorities')}: {names}")
    if event.preparation:
        lines.append(f"{_('What to prepare')}: {event.preparation}")
    if event.site:
        lines.append(f"{_('Site')}: {event.site}")
    if event.permit_reference:
        lines.append(f"{_('Permit')}: {event.permit_reference}")
    if event.status == EventStatus.DONE and event.result_note:
        lines.append(f"{_('Result')}: {event.result_note}")
    for participant in event.participants.all():
        if participant.findings:
            lines.append(
                _("Findings of %(authority)s: %(findings)s")
                % {"authority": name(participant.authority_code), "findings": participant.findings}
            )
    return "\n".join(lines)


def _local(moment: datetime) -> datetime:
    """Helsinki time, or UTC for a moment so close to the end of the calendar that Helsinki's
    offset would carry it past year 9999."""
    try:
        return moment.astimezone(HELSINKI)
    except OverflowError:
        return moment.astimezone(UTC)


def company_calendar(
    business_id: str, events: list[SupervisionEvent], *, language: str = "fi"
) -> bytes:
    """The VCALENDAR with one VEVENT per event, times in Europe/Helsinki; a joint inspection
    of several authorities is one event naming them all."""
    codes = sorted({code for e in events for code in e.authority_codes()})
    authorities = {a.code: a for a in Authority.objects.filter(code__in=codes)}
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
            vevent.add("dtstart", _local(event.starts_at))
            vevent.add("dtend", _local(event.ends_at))
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
            first = _local(min(e.starts_at for e in events)).date()
            last = _local(max(e.ends_at for e in events)).date()
            # Bounded both ways: an event stored at the edge of the calendar (year 1 or 9999)
            # must not overflow the date arithmetic, nor make the zone's rules run for ages.
            first = max(first, TIMEZONE_RANGE[0])
            last = min(max(last, first), TIMEZONE_RANGE[1])
            calendar.add_missing_timezones(
                first_date=first - timedelta(days=1), last_date=last + timedelta(days=366)
            )
        return bytes(calendar.to_ical())
