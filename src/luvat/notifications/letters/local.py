"""Stand-in for Suomi.fi Messages (demo, development, tests that are not about the protocol).

Companies in ``LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES`` have an active mailbox; a message to
any other is refused as the real service refuses it (a 4xx "mailbox not active"). What was
"sent" is kept in :data:`SENT` of this process and logged.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from django.conf import settings

from luvat.notifications.letters.base import MessageRejected, PaperCopy

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class LocalMessage:
    message_id: str
    external_id: str
    recipient_id: str
    service_id: str
    title: str
    body: str
    attachment_ids: tuple[str, ...]
    paper: PaperCopy | None = None


SENT: list[LocalMessage] = []
_ids = itertools.count(1)


class LocalMessages:
    def active_mailboxes(self, recipient_ids: Sequence[str]) -> set[str]:
        active = set(settings.LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES)
        return {recipient for recipient in recipient_ids if recipient in active}

    def upload_attachment(self, *, filename: str, content: bytes) -> str:
        return f"local-attachment-{next(_ids)}"

    def _send(
        self,
        external_id: str,
        recipient_id: str,
        service_id: str,
        title: str,
        body: str,
        attachment_ids: Sequence[str],
        paper: PaperCopy | None,
    ) -> str:
        for sent in SENT:
            if sent.external_id == external_id:
                return sent.message_id
        if not service_id:
            raise MessageRejected("400 unknown sender service")
        if paper is None and not self.active_mailboxes([recipient_id]):
            raise MessageRejected("400 the recipient has no active mailbox")
        message = LocalMessage(
            str(next(_ids)),
            external_id,
            recipient_id,
            service_id,
            title,
            body,
            tuple(attachment_ids),
            paper,
        )
        SENT.append(message)
        log.info("suomifi_messages.local_sent", message_id=message.message_id, title=title)
        return message.message_id

    def send_electronic(
        self,
        *,
        external_id: str,
        recipient_id: str,
        service_id: str,
        title: str,
        body: str,
        attachment_ids: Sequence[str] = (),
    ) -> str:
        return self._send(external_id, recipient_id, service_id, title, body, attachment_ids, None)

    def send_multichannel(
        self,
        *,
        external_id: str,
        recipient_id: str,
        service_id: str,
        title: str,
        body: str,
        paper: PaperCopy,
        attachment_ids: Sequence[str] = (),
    ) -> str:
        return self._send(external_id, recipient_id, service_id, title, body, attachment_ids, paper)
