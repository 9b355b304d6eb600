"""Background jobs: fan published events out to people, send the e-mails.

Both take bounded batches, are safe to run in several workers at once (rows are claimed with
``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it) and cap their retries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

import structlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from luvat.notifications.models import (
    EmailState,
    Notification,
    NotificationEvent,
    NotificationPreference,
    NotificationSettings,
)
from luvat.notifications.recipients import Audience, UnresolvableAudience, resolve

log = structlog.get_logger(__name__)

Claimed = TypeVar("Claimed", NotificationEvent, Notification)

BATCH = 50
MAX_EMAIL_ATTEMPTS = 5


def _claim(queryset: QuerySet[Claimed]) -> QuerySet[Claimed]:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def fan_out_batch() -> int:
    """Turn up to BATCH published events into one notification per person."""
    handled = 0
    for _ in range(BATCH):
        with transaction.atomic():
            event = _claim(
                NotificationEvent.objects.filter(fanned_out_at__isnull=True).order_by("id")
            ).first()
            if event is None:
                break
            try:
                count = _fan_out(event)
            except UnresolvableAudience:
                log.exception("notifications.unresolvable_audience", notification_event=event.pk)
                count = 0
            event.fanned_out_at = timezone.now()
            event.recipients = count
            event.save(update_fields=["fanned_out_at", "recipients"])
            handled += 1
    return handled


def _fan_out(event: NotificationEvent) -> int:
    user_ids = resolve(Audience.from_json(event.audience))
    if not user_ids:
        return 0
    languages = dict(
        NotificationSettings.objects.filter(user_id__in=user_ids).values_list("user_id", "language")
    )
    prefs = {
        user_id: (in_service, email)
        for user_id, in_service, email in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=event.kind
        ).values_list("user_id", "in_service", "email")
    }
    emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    texts = event.params["texts"]
    rows = []
    for user_id in sorted(user_ids):
        if user_id not in emails:
            continue
        in_service, by_email = prefs.get(user_id, (True, True))
        if not in_service and not by_email:
            continue
        text = texts.get(languages.get(user_id, "fi")) or texts[settings.LANGUAGE_CODE]
        wants_email = by_email and bool(emails[user_id])
        rows.append(
            Notification(
                event=event,
                recipient_id=user_id,
                kind=event.kind,
                title=text["title"],
                body=text["body"],
                url=event.url,
                in_list=in_service,
                email_state=EmailState.PENDING if wants_email else EmailState.NOT_WANTED,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def send_email_batch() -> int:
    """Send up to BATCH pending e-mails; a failure is retried later, at most 5 times."""
    handled = 0
    for _ in range(BATCH):
        with transaction.atomic():
            notification = (
                _claim(
                    Notification.objects.filter(
                        email_state=EmailState.PENDING, email_next_attempt_at__lte=timezone.now()
                    ).order_by("email_next_attempt_at", "id")
                )
                .select_related("recipient")
                .first()
            )
            if notification is None:
                break
            _send(notification)
            handled += 1
    return handled


def _send(notification: Notification) -> None:
    link = f"\n\n{settings.LUVAT_PUBLIC_URL}{notification.url}" if notification.url else ""
    message = EmailMessage(
        subject=notification.title,
        body=notification.body + link,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )
    notification.email_attempts += 1
    try:
        message.send(fail_silently=False)
    except Exception:
        log.exception("notifications.email_failed", notification_id=notification.pk)
        if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            notification.email_state = EmailState.FAILED
        else:
            backoff = timedelta(minutes=2**notification.email_attempts)
            notification.email_next_attempt_at = timezone.now() + backoff
    else:
        notification.email_state = EmailState.SENT
        notification.emailed_at = timezone.now()
    notification.save(
        update_fields=["email_attempts", "email_state", "email_next_attempt_at", "emailed_at"]
    )
