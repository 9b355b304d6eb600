"""The built-in backend: messages live in the service's own database."""

from __future__ import annotations

from luvat.discussion.backends.base import ShownMessage
from luvat.discussion.models import DiscussionRoom, Message, Thread


def shown(message: Message) -> ShownMessage:
    return ShownMessage(
        backend_id=message.backend_id,
        author_label=message.author_label,
        author_kind=message.author_kind,
        author_party=message.author_party,
        body=message.body,
        sent_at=message.created_at,
        attachments=[(a.filename, a.pk) for a in message.attachments.all()],
        mentioned_authorities=list(message.mentioned_authorities),
    )


class BuiltinBackend:
    name = "builtin"

    def open_room(self, room: DiscussionRoom) -> str:
        return ""

    def open_authority_room(self, room: DiscussionRoom, *, members: list[str]) -> str:
        return ""

    def post(self, message: Message) -> int | None:
        return None  # the saved row is the message

    def messages(self, thread: Thread, *, limit: int) -> list[ShownMessage]:
        """Two queries: the messages and their attachments."""
        latest = list(
            Message.objects.filter(thread=thread)
            .prefetch_related("attachments")
            .order_by("-id")[:limit]
        )
        return [shown(m) for m in reversed(latest)]
