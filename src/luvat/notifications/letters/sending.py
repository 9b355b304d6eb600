"""The worker job that sends official letters to companies' Suomi.fi mailboxes.

A letter is created at fan-out when the authority has the channel on; the e-mails of the
same notification wait (``held``) until the letter is settled: in the mailbox → they are not
sent (Suomi.fi Messages tells the company itself); no active mailbox, refused, or still
failing after the last attempt → they are sent as usual.
"""

from __future__ import annotations

from datetime import timedelta

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from luvat.notifications.letters import messages_service
from luvat.notifications.letters.base import MessageRejected, MessagesService, MessagesUnavailable
from luvat.notifications.models import EmailState, Letter, LetterState, Notification

log = structlog.get_logger(__name__)

BATCH = 20


def _release(letter: Letter, *, delivered: bool) -> None:
    held = Notification.objects.filter(event_id=letter.event_id, email_state=EmailState.HELD)
    if delivered:
        held.update(email_state=EmailState.VIA_MESSAGES)
    else:
        held.update(email_state=EmailState.PENDING, email_next_attempt_at=timezone.now())


def send_letters_batch() -> int:
    """Send up to BATCH pending letters; one client (one log-in) for the batch."""
    service: MessagesService | None = None
    handled = 0
    for _round in range(BATCH):
        with transaction.atomic():
            pending = Letter.objects.filter(
                state=LetterState.PENDING, next_attempt_at__lte=timezone.now()
            ).order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            letter = pending.first()
            if letter is None:
                break
            service = service or messages_service()
            _send(service, letter)
            handled += 1
    return handled


def _send(service: MessagesService, letter: Letter) -> None:
    letter.attempts += 1
    fields = ["attempts", "state", "next_attempt_at", "message_id", "error", "sent_at"]
    try:
        if letter.business_id not in service.active_mailboxes([letter.business_id]):
            letter.state = LetterState.NO_MAILBOX
            letter.save(update_fields=fields)
            _release(letter, delivered=False)
            return
        letter.message_id = service.send_electronic(
            external_id=f"luvat-letter-{letter.pk}",
            recipient_id=letter.business_id,
            service_id=letter.service_id,
            title=letter.title,
            body=letter.body,
        )
    except MessageRejected as refused:
        log.warning("suomifi_messages.rejected", letter_id=letter.pk)
        letter.state = LetterState.FAILED
        letter.error = refused.reason
        letter.save(update_fields=fields)
        _release(letter, delivered=False)
        return
    except MessagesUnavailable as failure:
        log.warning("suomifi_messages.unavailable", letter_id=letter.pk)
        letter.error = failure.reason
        if letter.attempts >= settings.LUVAT_EMAIL_MAX_ATTEMPTS:
            letter.state = LetterState.FAILED
            letter.save(update_fields=fields)
            _release(letter, delivered=False)
        else:
            letter.next_attempt_at = timezone.now() + timedelta(minutes=2**letter.attempts)
            letter.save(update_fields=fields)
        return
    letter.state = LetterState.SENT
    letter.sent_at = timezone.now()
    letter.error = ""
    letter.save(update_fields=fields)
    _release(letter, delivered=True)
