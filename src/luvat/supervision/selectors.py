"""Reads of the supervision context, each a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.models import Authority
from luvat.identity.policy import authority_codes_for, can_act_for_company
from luvat.supervision.models import CalendarFeed, EventStatus, SupervisionEvent

FEED_HISTORY = timedelta(days=365)


def events_visible_to(actor: Actor, *, business_id: str) -> QuerySet[SupervisionEvent]:
    """A company's events as ``actor`` may see them (one query when evaluated).

    The company's own people see every event; an official sees their own authority's events;
    anyone else (administrators included: they do not read customers' content) sees nothing.
    """
    events = SupervisionEvent.objects.filter(business_id=business_id)
    if can_act_for_company(actor, business_id):
        return events
    codes = authority_codes_for(actor)
    if codes:
        return events.filter(authority_code__in=sorted(codes))
    return events.none()


def upcoming_events(
    actor: Actor, *, business_id: str, now: datetime | None = None
) -> list[SupervisionEvent]:
    """Open events that have not ended yet, soonest first (one query)."""
    now = now or timezone.now()
    return list(
        events_visible_to(actor, business_id=business_id)
        .filter(ends_at__gte=now, status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED])
        .order_by("starts_at", "id")
    )


def past_events(actor: Actor, *, business_id: str, limit: int = 50) -> list[SupervisionEvent]:
    """Done, cancelled and ended events, newest first (one query)."""
    now = timezone.now()
    visible = events_visible_to(actor, business_id=business_id)
    return list(
        visible.exclude(
            ends_at__gte=now, status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED]
        ).order_by("-starts_at", "-id")[:limit]
    )


def authority_events(
    *, authority_code: str, since: datetime | None = None, limit: int = 200
) -> list[SupervisionEvent]:
    """An authority's events from ``since`` on (default: today), soonest first (one query)."""
    since = since or timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        SupervisionEvent.objects.filter(authority_code=authority_code, ends_at__gte=since).order_by(
            "starts_at", "id"
        )[:limit]
    )


def calendar_feed_for(business_id: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(business_id=business_id).first()


def calendar_feed_events(token: str) -> tuple[CalendarFeed, list[SupervisionEvent]] | None:
    """The feed with this secret token and its events of the last year onwards (two queries)."""
    feed = CalendarFeed.objects.filter(token=token).first()
    if feed is None:
        return None
    since = timezone.now() - FEED_HISTORY
    events = list(
        SupervisionEvent.objects.filter(business_id=feed.business_id, ends_at__gte=since).order_by(
            "starts_at", "id"
        )
    )
    return feed, events


def authority_names_of(business_id: str) -> dict[str, str]:
    """Names of the authorities with events for the company, in the active language."""
    codes = SupervisionEvent.objects.filter(business_id=business_id).values("authority_code")
    return {a.code: a.name for a in Authority.objects.filter(code__in=codes)}
