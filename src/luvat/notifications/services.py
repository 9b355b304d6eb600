"""Writes of the notifications context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.identity.policy import authorise, is_administrator, is_authority_administrator
from luvat.notifications.models import (
    MessagesChannel,
    Notification,
    NotificationEvent,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)
from luvat.notifications.recipients import Audience
from luvat.notifications.texts import render_all


@dataclass(frozen=True)
class Notice:
    """Something ``audience`` should hear about, for :func:`notifications_publish`."""

    kind: NotificationKind
    audience: Audience
    params: Mapping[str, Any]
    url: str = ""
    # The authority code when this is the authority's official letter to the company of the
    # audience (a decision, a supplement request): it then goes to the company's Suomi.fi
    # mailbox if the authority has that channel on, and by e-mail only if it cannot.
    letter_from: str = ""


def notification_publish(
    *,
    kind: NotificationKind,
    audience: Audience,
    params: Mapping[str, Any],
    url: str = "",
    letter_from: str = "",
) -> NotificationEvent:
    """Record that ``audience`` should hear about something; the worker sends it after commit.

    Called inside the caller's transaction, so nothing is announced that did not happen.
    """
    return notifications_publish([Notice(kind, audience, params, url, letter_from)])[0]


def _letter(notice: Notice) -> dict[str, str]:
    if not notice.letter_from or len(notice.audience.business_ids) != 1:
        return {}
    return {
        "authority_code": notice.letter_from,
        "business_id": notice.audience.business_ids[0],
    }


def notifications_publish(notices: Sequence[Notice]) -> list[NotificationEvent]:
    """Record several notices in one statement (as :func:`notification_publish`)."""
    rows = [
        NotificationEvent(
            kind=notice.kind,
            params={"texts": render_all(notice.kind, notice.params)},
            url=notice.url,
            audience=notice.audience.as_json(),
            letter=_letter(notice),
        )
        for notice in notices
    ]
    if len(rows) == 1:
        rows[0].save(force_insert=True)
        return rows
    return NotificationEvent.objects.bulk_create(rows)


@transaction.atomic
def notification_mark_read(*, user_id: int, notification_ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all unread ones when ``notification_ids`` is None).

    Only the person's own notifications are touched; returns how many changed.
    """
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(
    *,
    actor: Actor,
    user_id: int,
    language: str,
    channels: Mapping[str, tuple[bool, bool]],
) -> None:
    """Store the person's language and, per kind, (in service, by e-mail)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    NotificationSettings.objects.update_or_create(user_id=user_id, defaults={"language": language})
    for kind, (in_service, email) in channels.items():
        NotificationKind(kind)  # refuses unknown kinds
        NotificationPreference.objects.update_or_create(
            user_id=user_id, kind=kind, defaults={"in_service": in_service, "email": email}
        )
    audit_record(
        actor=actor,
        action="notification.preferences_update",
        target=("auth.user", user_id),
        details={"language": language, "channels": {k: list(v) for k, v in channels.items()}},
    )


@transaction.atomic
def messages_channel_set(
    *, actor: Actor, authority_code: str, service_id: str, enabled: bool
) -> MessagesChannel:
    """Turn the authority's Suomi.fi Messages channel on (with its service ID) or off.

    Only the authority's own administrator (or a service administrator) may.
    """
    authorise(
        actor,
        is_administrator(actor) or is_authority_administrator(actor, authority_code),
        object_type="notifications.messages_channel",
        object_id=authority_code,
        purpose="messages_channel_set",
    )
    service_id = service_id.strip()
    if enabled and not service_id:
        raise ValueError("a service ID is needed to turn the channel on")
    channel, _created = MessagesChannel.objects.update_or_create(
        authority_code=authority_code,
        defaults={"service_id": service_id, "enabled": enabled, "changed_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action="notification.messages_channel_set",
        target=channel,
        details={"authority_code": authority_code, "service_id": service_id, "enabled": enabled},
    )
    return channel
