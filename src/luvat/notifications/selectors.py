"""Reads of the notifications context, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from luvat.notifications.models import (
    EmailAddress,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)


@dataclass(frozen=True)
class NotificationList:
    notifications: list[Notification]
    unread: int
    total: int


def notification_list(*, user_id: int, limit: int = 50) -> NotificationList:
    """The person's in-service notifications, newest first, with counts (two queries)."""
    visible = Notification.objects.filter(recipient_id=user_id, in_list=True)
    counts = visible.aggregate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True))
    )
    return NotificationList(
        notifications=list(visible.order_by("-created_at", "-id")[:limit]),
        unread=counts["unread"],
        total=counts["total"],
    )


def notification_unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(
        recipient_id=user_id, in_list=True, read_at__isnull=True
    ).count()


@dataclass(frozen=True)
class Preferences:
    language: str
    channels: dict[str, tuple[bool, bool]]  # kind → (in service, by e-mail)


def notification_preferences(*, user_id: int) -> Preferences:
    """The person's preferences with defaults filled in (two queries)."""
    stored = NotificationSettings.objects.filter(user_id=user_id).first()
    channels = {kind.value: (True, True) for kind in NotificationKind}
    for pref in NotificationPreference.objects.filter(user_id=user_id):
        channels[pref.kind] = (pref.in_service, pref.email)
    return Preferences(language=stored.language if stored else "fi", channels=channels)


def email_address_of(*, user_id: int) -> EmailAddress | None:
    """The person's notification address, verified or not (one query)."""
    return EmailAddress.objects.filter(user_id=user_id).first()


@dataclass(frozen=True)
class DeadLetters:
    notifications: list[Notification]
    verifications: list[EmailAddress]


def dead_letters(*, limit: int = 200) -> DeadLetters:
    """E-mails given up on after their last attempt, newest first (two queries)."""
    return DeadLetters(
        notifications=list(
            Notification.objects.filter(email_state=EmailState.FAILED)
            .select_related("recipient__notification_email")
            .order_by("-email_next_attempt_at", "-id")[:limit]
        ),
        verifications=list(
            EmailAddress.objects.filter(verification_state=EmailState.FAILED).order_by(
                "-verification_next_attempt_at", "-id"
            )[:limit]
        ),
    )
