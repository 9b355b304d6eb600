"""Reads of the supervision context, each a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.models import Authority
from luvat.identity.policy import authority_codes_for, can_act_for_company
from luvat.supervision.models import CalendarFeed, EventStatus, JointParticipant, SupervisionEvent

FEED_HISTORY = timedelta(days=365)


def _with_participants(events: QuerySet[SupervisionEvent]) -> QuerySet[SupervisionEvent]:
    """One more query: the joint inspections' other authorities, in code order."""
    return events.prefetch_related(
        Prefetch("participants", queryset=JointParticipant.objects.order_by("authority_code"))
    )


def of_authorities(codes: frozenset[str] | set[str]) -> Q:
    """Events an authority leads or takes part in as a joint inspection's participant."""
    ordered = sorted(codes)
    return Q(authority_code__in=ordered) | Q(
        pk__in=JointParticipant.objects.filter(authority_code__in=ordered).values("event_id")
    )


def events_visible_to(actor: Actor, *, business_id: str) -> QuerySet[SupervisionEvent]:
    """A company's events as ``actor`` may see them (one query when evaluated).

    The company's own people see every event; an official sees the events their authority
    leads or takes part in (joint inspections); anyone else (administrators included: they do
    not read customers' content) sees nothing. Participants come prefetched (one more query).
    """
    events = _with_participants(SupervisionEvent.objects.filter(business_id=business_id))
    if can_act_for_company(actor, business_id):
        return events
    codes = authority_codes_for(actor)
    if codes:
        return events.filter(of_authorities(codes))
    return events.none()


def upcoming_events(
    actor: Actor, *, business_id: str, now: datetime | None = None
) -> list[SupervisionEvent]:
    """Open events that have not ended yet, soonest first (two queries)."""
    now = now or timezone.now()
    return list(
        events_visible_to(actor, business_id=business_id)
        .filter(ends_at__gte=now, status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED])
        .order_by("starts_at", "id")
    )


def past_events(actor: Actor, *, business_id: str, limit: int = 50) -> list[SupervisionEvent]:
    """Done, cancelled and ended events, newest first (two queries)."""
    now = timezone.now()
    visible = events_visible_to(actor, business_id=business_id)
    return list(
        visible.exclude(
            ends_at__gte=now, status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED]
        ).order_by("-starts_at", "-id")[:limit]
    )


def authority_events(
    viewer: Actor, *, since: datetime | None = None, limit: int = 200
) -> list[SupervisionEvent]:
    """The events the authority ``viewer`` works for leads or takes part in (none once the
    role is gone) from ``since`` on (default: today), soonest first (two queries, plus the
    policy's role check)."""
    since = since or timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    codes = authority_codes_for(viewer)
    if not codes:
        return []
    return list(
        _with_participants(
            SupervisionEvent.objects.filter(of_authorities(codes), ends_at__gte=since)
        ).order_by("starts_at", "id")[:limit]
    )


def calendar_feed_for(business_id: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(business_id=business_id).first()


def calendar_feed_events(token: str) -> tuple[CalendarFeed, list[SupervisionEvent]] | None:
    """The feed with this secret token and its events of the last year onwards, one entry per
    event however many authorities take part (three queries)."""
    feed = CalendarFeed.objects.filter(token=token).first()
    if feed is None:
        return None
    since = timezone.now() - FEED_HISTORY
    events = list(
        _with_participants(
            SupervisionEvent.objects.filter(business_id=feed.business_id, ends_at__gte=since)
        ).order_by("starts_at", "id")
    )
    return feed, events


def authority_names_of(business_id: str) -> dict[str, str]:
    """Names of the authorities with events for the company (joint inspections' participants
    included), in the active language."""
    codes = SupervisionEvent.objects.filter(business_id=business_id).values("authority_code")
    partners = JointParticipant.objects.filter(event__business_id=business_id).values(
        "authority_code"
    )
    return {
        a.code: a.name for a in Authority.objects.filter(Q(code__in=codes) | Q(code__in=partners))
    }


def authority_choices() -> list[tuple[str, str]]:
    """Every authority of the catalogue as (code, name in the active language), by name."""
    return sorted(
        ((a.code, a.name) for a in Authority.objects.all()), key=lambda pair: pair[1].casefold()
    )
