"""Background job: remind companies of supervision events coming soon."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.supervision.models import EventStatus, SupervisionEvent
from luvat.supervision.notify import notify_company

BATCH = 100


def remind_upcoming_batch() -> int:
    """Notify each open event's company once, ``LUVAT_SUPERVISION_REMINDER_DAYS`` ahead."""
    now = timezone.now()
    horizon = now + timedelta(days=settings.LUVAT_SUPERVISION_REMINDER_DAYS)
    with transaction.atomic():
        due = SupervisionEvent.objects.filter(
            status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED],
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=horizon,
        ).order_by("starts_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        events = list(due[:BATCH])
        for event in events:
            notify_company(event, change=_("Supervision event coming"))
        SupervisionEvent.objects.filter(pk__in=[e.pk for e in events]).update(reminder_sent_at=now)
    return len(events)
