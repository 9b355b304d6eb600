"""The interface of Suomi.fi Messages (viestit.suomi.fi REST API) as notifications use it.

Recipients are business IDs (companies) or personal identity codes; the sender is the
authority's service ID registered in Suomi.fi Messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class LetterError(Exception):
    """The message did not go; ``reason`` is safe to log and show an administrator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class MessagesUnavailable(LetterError):
    """The service did not answer or failed (5xx, connection): try again later."""


class MessageRejected(LetterError):
    """The service refused this message (4xx: e.g. no active mailbox, bad service ID)."""


@dataclass(frozen=True)
class PostalAddress:
    name: str
    street_address: str
    zip_code: str
    city: str
    country_code: str = "FI"


@dataclass(frozen=True)
class PaperCopy:
    """What a multichannel message needs to go on paper when there is no active mailbox."""

    recipient: PostalAddress
    sender: PostalAddress
    attachment_id: str  # the letter as an uploaded PDF


class MessagesService(Protocol):
    def active_mailboxes(self, recipient_ids: Sequence[str]) -> set[str]:
        """Which of the recipients have an active Suomi.fi mailbox."""
        ...

    def upload_attachment(self, *, filename: str, content: bytes) -> str:
        """Upload a file for a message (used within 24 hours); returns its attachment ID."""
        ...

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
        """Send to the recipient's mailbox; returns the message ID. Repeating an
        ``external_id`` returns the first message's ID and sends nothing new."""
        ...

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
        """Send to the mailbox, or on paper through the printing service if there is none."""
        ...
