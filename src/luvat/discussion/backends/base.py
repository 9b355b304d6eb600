"""The interface every discussion backend implements, and the backend chosen by settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from luvat.discussion.models import DiscussionRoom, Message, Thread


class BackendUnavailable(Exception):
    """The backend could not be reached or refused the request; nothing was saved."""


@dataclass(frozen=True)
class ShownMessage:
    """A message as the service shows it, whichever backend holds it."""

    backend_id: int
    author_label: str
    author_kind: str
    author_party: str
    body: str
    sent_at: datetime
    attachments: list[tuple[str, int]] = field(default_factory=list)  # (file name, id)
    mentioned_authorities: list[str] = field(default_factory=list)


class DiscussionBackend(Protocol):
    name: str

    def open_room(self, room: DiscussionRoom) -> str:
        """Make sure the room exists in the backend; return its external channel name."""
        ...

    def open_authority_room(self, room: DiscussionRoom, *, members: list[str]) -> str:
        """Make sure the room's authorities-only channel exists with ``members`` (the project's
        officials' addresses) subscribed; return its external name."""
        ...

    def post(self, message: Message) -> int | None:
        """Publish a message already saved locally; return the backend's id, if it has one."""
        ...

    def messages(self, thread: Thread, *, limit: int) -> list[ShownMessage]:
        """The thread's latest ``limit`` messages, oldest first."""
        ...
