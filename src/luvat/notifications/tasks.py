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
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from luvat.notifications.addresses import email_address_refused, verification_path
from luvat.notifications.mailer import AddressRefused, DeliveryError, MessageRefused, send_one
from luvat.notifications.models import (
    ALWAYS_IN_SERVICE,
    EmailAddress,
    EmailState,
    Letter,
    MessagesChannel,
    Notification,
    NotificationEvent,
    NotificationPreference,
    NotificationSettings,
)
from luvat.notifications.recipients import Audience, UnresolvableAudience, resolve

log = structlog.get_logger(__name__)

Claimed = TypeVar("Claimed", NotificationEvent, Notification, EmailAddress)

BATCH = 50


def _claim(queryset: QuerySet[Claimed]) -> QuerySet[Claimed]:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def fan_out_batch() -> int:
    """Turn up to BATCH published events into one notification per person."""
    handled = 0
    for _round in range(BATCH):
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
    existing = set(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True))
    reachable = set(
        EmailAddress.objects.filter(
            user_id__in=user_ids, verified_at__isnull=False, undeliverable_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    texts = event.params["texts"]
    held = _letter_for(event)
    rows = []
    for user_id in sorted(user_ids):
        if user_id not in existing:
            continue
        in_service, by_email = prefs.get(user_id, (True, True))
        in_service = in_service or event.kind in ALWAYS_IN_SERVICE
        if not in_service and not by_email:
            continue
        text = texts.get(languages.get(user_id, "fi")) or texts[settings.LANGUAGE_CODE]
        wants_email = by_email and user_id in reachable
        rows.append(
            Notification(
                event=event,
                recipient_id=user_id,
                kind=event.kind,
                title=text["title"],
                body=text["body"],
                url=event.url,
                in_list=in_service,
                email_state=(
                    (EmailState.HELD if held else EmailState.PENDING)
                    if wants_email
                    else EmailState.NOT_WANTED
                ),
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _letter_for(event: NotificationEvent) -> bool:
    """Queue the authority's letter to the company's Suomi.fi mailbox if it has the channel
    on; then the e-mails of this event wait for the letter (True)."""
    letter = event.letter or {}
    if not letter.get("authority_code") or not letter.get("business_id"):
        return False
    channel = MessagesChannel.objects.filter(
        authority_code=letter["authority_code"], enabled=True
    ).first()
    if channel is None:
        return False
    texts = event.params["texts"]
    first = texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()))
    # One letter for the company, in every language of the service (fi first).
    body = "\n\n― ― ―\n\n".join(
        f"{text['title']}\n\n{text['body']}" if code != settings.LANGUAGE_CODE else text["body"]
        for code, text in sorted(texts.items(), key=lambda kv: kv[0] != settings.LANGUAGE_CODE)
    )
    if event.url:
        body += f"\n\n{_link(event.url, settings.LANGUAGE_CODE)}"
    Letter.objects.get_or_create(
        event=event,
        defaults={
            "business_id": letter["business_id"],
            "authority_code": letter["authority_code"],
            "service_id": channel.service_id,
            "title": first["title"][:300],
            "body": body,
        },
    )
    return True


def send_email_batch() -> int:
    """Send up to BATCH pending e-mails (verification links first, then notifications)."""
    handled = 0
    while handled < BATCH:
        with transaction.atomic():
            row = _claim(
                EmailAddress.objects.filter(
                    verification_state=EmailState.PENDING,
                    verification_next_attempt_at__lte=timezone.now(),
                ).order_by("verification_next_attempt_at", "id")
            ).first()
            if row is None:
                break
            _send_verification(row)
            handled += 1
    while handled < BATCH:
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


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)


def _link(path: str, language: str) -> str:
    """Notification links are language-neutral; the e-mail opens in the person's language."""
    first = path.lstrip("/").split("/", 1)[0]
    if first not in dict(settings.LANGUAGES):
        path = f"/{language}{path}"
    return f"{settings.LUVAT_PUBLIC_URL}{path}"


def _send_verification(row: EmailAddress) -> None:
    with translation.override(row.language):
        subject = str(_("Confirm your e-mail address for Luvat"))
        body = str(
            _(
                "Someone (we hope you) gave this address to Luvat for notifications about "
                "permit applications. To start receiving them, open this link within "
                "%(days)s days and confirm:\n\n%(link)s\n\nIf it was not you, ignore this "
                "message: nothing is sent to this address before it is confirmed."
            )
        ) % {
            "days": settings.LUVAT_EMAIL_VERIFY_DAYS,
            "link": f"{settings.LUVAT_PUBLIC_URL}{verification_path(row)}",
        }
    row.verification_attempts += 1
    try:
        send_one(to=row.address, subject=subject, body=body)
    except AddressRefused as refused:
        log.warning("notifications.address_refused", user_id=row.user_id)
        row.verification_state = EmailState.BOUNCED
        row.verification_error = refused.reason
        row.save(
            update_fields=["verification_attempts", "verification_state", "verification_error"]
        )
        email_address_refused(row=row, reason=refused.reason)
        return
    except DeliveryError as failure:
        log.warning("notifications.verification_failed", user_id=row.user_id)
        row.verification_error = failure.reason
        if isinstance(failure, MessageRefused) or (
            row.verification_attempts >= settings.LUVAT_EMAIL_MAX_ATTEMPTS
        ):
            row.verification_state = EmailState.FAILED
        else:
            row.verification_next_attempt_at = timezone.now() + _backoff(row.verification_attempts)
    else:
        row.verification_state = EmailState.SENT
        row.verification_sent_at = timezone.now()
        row.verification_error = ""
    row.save(
        update_fields=[
            "verification_attempts",
            "verification_state",
            "verification_next_attempt_at",
            "verification_sent_at",
            "verification_error",
        ]
    )


def _send(notification: Notification) -> None:
    fields = ["email_attempts", "email_state", "email_next_attempt_at", "emailed_at", "email_error"]
    address = EmailAddress.objects.filter(user_id=notification.recipient_id).first()
    if address is None or not address.usable:
        # The address was removed, replaced or refused after the fan-out.
        notification.email_state = EmailState.NOT_WANTED
        notification.email_error = str(_("no verified e-mail address"))
        notification.save(update_fields=fields)
        return
    language = (
        NotificationSettings.objects.filter(user_id=notification.recipient_id)
        .values_list("language", flat=True)
        .first()
        or settings.LANGUAGE_CODE
    )
    link = f"\n\n{_link(notification.url, language)}" if notification.url else ""
    notification.email_attempts += 1
    try:
        send_one(to=address.address, subject=notification.title, body=notification.body + link)
    except AddressRefused as refused:
        log.warning("notifications.address_refused", notification_id=notification.pk)
        notification.email_state = EmailState.BOUNCED
        notification.email_error = refused.reason
        notification.save(update_fields=fields)
        email_address_refused(row=address, reason=refused.reason)
        return
    except DeliveryError as failure:
        log.warning("notifications.email_failed", notification_id=notification.pk)
        notification.email_error = failure.reason
        if isinstance(failure, MessageRefused) or (
            notification.email_attempts >= settings.LUVAT_EMAIL_MAX_ATTEMPTS
        ):
            notification.email_state = EmailState.FAILED
        else:
            notification.email_next_attempt_at = timezone.now() + _backoff(
                notification.email_attempts
            )
    else:
        notification.email_state = EmailState.SENT
        notification.emailed_at = timezone.now()
        notification.email_error = ""
    notification.save(update_fields=fields)
