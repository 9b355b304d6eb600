"""The Zulip backend: a private channel per project, a topic per thread, through Zulip's REST
API (HTTP Basic with the bot's e-mail and API key, base ``{site}/api/v1``).

The service posts as one bot, so each message starts with its author; the service keeps its
own record of who wrote what (``Message.external_id``). Messages that officials write in Zulip
directly are shown with their Zulip sender's name.

Two private channels per project: customer-facing threads (the company with all authorities,
or with one) in one, whose only member is the bot (customers are not Zulip users), and
authorities-only threads in another whose members are the bot and the project's officials
(their Zulip accounts by e-mail address). An authorities-only message goes only to the
second; if it does not exist, the post fails rather than falling back to the first.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog

from luvat.discussion.backends.base import BackendUnavailable, ShownMessage
from luvat.discussion.backends.builtin import shown
from luvat.discussion.models import AuthorKind, DiscussionRoom, Message, Thread, ThreadKind

log = structlog.get_logger(__name__)

MAX_NAME = 60  # Zulip's limit for channel names and topics


class ZulipClient:
    """The few endpoints of Zulip's REST API the discussion needs."""

    def __init__(
        self,
        *,
        site: str,
        email: str,
        api_key: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.http = httpx.Client(
            base_url=f"{site.rstrip('/')}/api/v1",
            auth=(email, api_key),
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": "Luvat discussion backend"},
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise BackendUnavailable(f"Zulip is not reachable: {error}") from error
        try:
            payload: dict[str, Any] = response.json()
        except ValueError:
            raise BackendUnavailable(
                f"Zulip answered {response.status_code} without JSON"
            ) from None
        if response.status_code == 429 or payload.get("code") == "RATE_LIMIT_HIT":
            retry = payload.get("retry-after") or response.headers.get("Retry-After", "?")
            raise BackendUnavailable(f"Zulip rate limit hit; retry after {retry} s")
        if response.status_code >= 400 or payload.get("result") != "success":
            raise BackendUnavailable(
                f"Zulip refused {method} {path}: {payload.get('code', response.status_code)} "
                f"{payload.get('msg', '')}".strip()
            )
        return payload

    def create_channel(
        self, name: str, *, description: str, principals: list[str] | None = None
    ) -> None:
        """Subscribe the bot (and ``principals``, e-mail addresses) to ``name``, creating it as
        a private channel if it is new."""
        data = {
            "subscriptions": json.dumps([{"name": name, "description": description}]),
            "invite_only": "true",
        }
        if principals is not None:
            data["principals"] = json.dumps(principals)
        self._call("POST", "/users/me/subscriptions", data=data)

    def send_channel_message(self, *, channel: str, topic: str, content: str) -> int:
        payload = self._call(
            "POST",
            "/messages",
            data={"type": "stream", "to": channel, "topic": topic, "content": content},
        )
        return int(payload["id"])

    def topic_messages(self, *, channel: str, topic: str, limit: int) -> list[dict[str, Any]]:
        narrow = [
            {"operator": "stream", "operand": channel},
            {"operator": "topic", "operand": topic},
        ]
        payload = self._call(
            "GET",
            "/messages",
            params={
                "anchor": "newest",
                "num_before": limit,
                "num_after": 0,
                "narrow": json.dumps(narrow),
                "apply_markdown": "false",
            },
        )
        messages: list[dict[str, Any]] = payload["messages"]
        return messages

    def upload_file(self, *, filename: str, content: bytes, content_type: str) -> str:
        payload = self._call(
            "POST", "/user_uploads", files={"filename": (filename, content, content_type)}
        )
        return str(payload.get("url") or payload["uri"])


def _markdown_escape(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_").replace("[", "\\[").replace("`", "\\`")


class ZulipBackend:
    name = "zulip"

    def __init__(self, client: ZulipClient, *, channel_prefix: str, bot_email: str = "") -> None:
        self.client = client
        self.channel_prefix = channel_prefix
        self.bot_email = bot_email

    def channel_name(self, room: DiscussionRoom) -> str:
        return f"{self.channel_prefix}-{room.project_id} {room.title}"[:MAX_NAME].strip()

    def authority_channel_name(self, room: DiscussionRoom) -> str:
        return f"{self.channel_prefix}-{room.project_id}-auth {room.title}"[:MAX_NAME].strip()

    def open_room(self, room: DiscussionRoom) -> str:
        name = room.external_channel or self.channel_name(room)
        self.client.create_channel(name, description=room.title)
        return name

    def open_authority_room(self, room: DiscussionRoom, *, members: list[str]) -> str:
        name = room.external_authority_channel or self.authority_channel_name(room)
        principals = sorted({*members, *([self.bot_email] if self.bot_email else [])})
        self.client.create_channel(
            name, description=f"{room.title} - authorities only", principals=principals
        )
        return name

    @staticmethod
    def channel_of(thread: Thread) -> str:
        """The channel a thread lives in; an authorities-only thread never in the shared one."""
        room = thread.room
        if thread.kind == ThreadKind.AUTHORITIES:
            return room.external_authority_channel
        return room.external_channel

    def post(self, message: Message) -> int | None:
        thread = message.thread
        channel = self.channel_of(thread)
        if not channel:
            raise BackendUnavailable("the thread has no Zulip channel yet")
        author = f"**{_markdown_escape(message.author_label)}** ({message.author_party})"
        lines = [f"{author}:", message.body]
        for attachment in message.attachments.all():
            with attachment.file.open("rb") as handle:
                url = self.client.upload_file(
                    filename=attachment.filename,
                    content=handle.read(),
                    content_type=attachment.content_type,
                )
            attachment.external_url = url
            attachment.save(update_fields=["external_url"])
            lines.append(f"[{_markdown_escape(attachment.filename)}]({url})")
        return self.client.send_channel_message(
            channel=channel, topic=thread.topic, content="\n".join(lines)
        )

    def messages(self, thread: Thread, *, limit: int) -> list[ShownMessage]:
        channel = self.channel_of(thread)
        if not channel:
            return []
        raw = self.client.topic_messages(channel=channel, topic=thread.topic, limit=limit)
        ids = [int(m["id"]) for m in raw]
        local = {
            m.external_id: m
            for m in Message.objects.filter(external_id__in=ids).prefetch_related("attachments")
        }
        result = []
        for item in raw:
            mine = local.get(int(item["id"]))
            if mine is not None and mine.thread_id == thread.pk:
                result.append(shown(mine))
                continue
            result.append(
                ShownMessage(
                    backend_id=int(item["id"]),
                    author_label=str(item.get("sender_full_name", "")),
                    author_kind=AuthorKind.EXTERNAL,
                    author_party="",
                    body=str(item.get("content", "")),
                    sent_at=datetime.fromtimestamp(int(item["timestamp"]), tz=UTC),
                )
            )
        return result
