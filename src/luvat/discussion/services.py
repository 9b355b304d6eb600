"""Writes of the discussion context: keeping rooms in step with projects, posting, reading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.discussion import policy
from luvat.discussion.attachments import MAX_FILES, checked_content_type, safe_filename
from luvat.discussion.backends import get_backend
from luvat.discussion.models import (
    DiscussionRoom,
    Message,
    MessageAttachment,
    ReadMark,
    Thread,
    ThreadKind,
)
from luvat.discussion.text import mentioned_authorities
from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import notification_publish

MAX_BODY = 10_000


@dataclass(frozen=True)
class ApplicationThreadSpec:
    application_id: int
    authority_code: str
    title: str


@transaction.atomic
def discussion_room_sync(
    *,
    actor: Actor,
    project_id: int,
    title: str,
    business_id: str,
    applications: Sequence[ApplicationThreadSpec],
) -> DiscussionRoom:
    """Create or update a project's room: the customer thread, the authorities-only thread and
    one thread per application. The projects context calls this when applications change."""
    authority_codes = sorted({a.authority_code for a in applications})
    room, created = DiscussionRoom.objects.select_for_update().get_or_create(
        project_id=project_id,
        defaults={
            "title": title[:200],
            "business_id": business_id,
            "authority_codes": authority_codes,
        },
    )
    if not created and (room.title, room.authority_codes) != (title[:200], authority_codes):
        room.title = title[:200]
        room.authority_codes = authority_codes
        room.save(update_fields=["title", "authority_codes"])
    existing = {(t.kind, t.application_id): t for t in room.threads.all()}
    wanted = [
        # Stored in the service's default language: they name the Zulip topics.
        (ThreadKind.CUSTOMER, None, "", _in_default_language(thread_kind_titles[0])),
        (ThreadKind.AUTHORITIES, None, "", _in_default_language(thread_kind_titles[1])),
        *[
            (ThreadKind.APPLICATION, a.application_id, a.authority_code, a.title[:200])
            for a in applications
        ],
    ]
    for kind, application_id, authority_code, thread_title in wanted:
        thread = existing.get((kind, application_id))
        if thread is None:
            Thread.objects.create(
                room=room,
                kind=kind,
                application_id=application_id,
                authority_code=authority_code,
                title=thread_title,
            )
        elif thread.authority_code != authority_code:
            thread.authority_code = authority_code
            thread.save(update_fields=["authority_code"])
    audit_record(
        actor=actor,
        action="discussion.room_sync",
        target=room,
        details={"created": created, "authorities": authority_codes},
    )
    return room


thread_kind_titles = (
    gettext_lazy("The company and the authorities"),
    gettext_lazy("Authorities only"),
)


def _in_default_language(text: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


class _ThreadTitle:
    """A thread's title evaluated in each notification language."""

    def __init__(self, thread: Thread) -> None:
        self.thread = thread

    def __call__(self) -> str:
        return self.thread.display_title


def _audience(thread: Thread, mentions: list[str], author_user_id: int | None) -> Audience:
    """The thread's parties (discussion.policy): the company, and the officials who handle
    the thread's application, or for a shared thread one of the project's applications (of
    the mentioned authorities, when some are mentioned)."""
    room = thread.room
    companies: tuple[str, ...]
    handled: tuple[tuple[str, str], ...]
    if thread.kind == ThreadKind.APPLICATION:
        application = thread.application
        service = application.service.code if application is not None else ""
        companies, handled = (room.business_id,), ((thread.authority_code, service),)
    else:
        companies = (room.business_id,) if thread.kind == ThreadKind.CUSTOMER else ()
        authorities = set(mentions or room.authority_codes)
        handled = tuple(sorted(p for p in policy.room_applications(room) if p[0] in authorities))
    exclude = (author_user_id,) if author_user_id is not None else ()
    return Audience(business_ids=companies, authority_services=handled, exclude_user_ids=exclude)


def _official_addresses(authority_codes: list[str]) -> list[str]:
    """The e-mail addresses (Zulip accounts) of the officials of the project's authorities."""
    from luvat.identity.models import OfficialRole

    return sorted(
        {
            email
            for email in OfficialRole.objects.filter(
                authority_code__in=authority_codes
            ).values_list("person__email", flat=True)
            if email
        }
    )


@transaction.atomic
def message_post(
    *,
    actor: Actor,
    user_id: int | None,
    thread: Thread,
    body: str,
    attachments: Sequence[UploadedFile] = (),
) -> Message:
    """Post a message (plain text, optional attachments) to a thread the actor is party to.

    The people of the thread are notified; ``@code`` mentions of the project's authorities
    direct the notification of a shared thread to those authorities.
    """
    thread = Thread.objects.select_for_update().select_related("room").get(pk=thread.pk)
    policy.require_thread(actor, thread)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("A message can be at most %(max)d characters long.") % {"max": MAX_BODY}}
        )
    if len(attachments) > MAX_FILES:
        raise ValidationError(
            {"attachments": _("Attach at most %(max)d files.") % {"max": MAX_FILES}}
        )
    content_types = [checked_content_type(upload) for upload in attachments]
    mentions = mentioned_authorities(body, thread.room.authority_codes)
    message = Message.objects.create(
        thread=thread,
        author_user_id=user_id,
        author_ref=actor.ref,
        author_label=actor.label or actor.ref,
        author_kind=policy.author_kind(actor),
        author_party=actor.on_behalf_of,
        body=body,
        mentioned_authorities=mentions,
    )
    for upload, content_type in zip(attachments, content_types, strict=True):
        name = safe_filename(upload.name or "")
        attachment = MessageAttachment(
            message=message, filename=name, content_type=content_type, size=upload.size or 0
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
    backend = get_backend()
    room = thread.room
    if backend.name != "builtin" and thread.kind == ThreadKind.AUTHORITIES:
        # Every post re-subscribes the project's officials, so that membership follows who
        # holds a role now (new officials join; see docs for leaving).
        room.external_authority_channel = backend.open_authority_room(
            room, members=_official_addresses(room.authority_codes)
        )
        room.save(update_fields=["external_authority_channel"])
    elif backend.name != "builtin" and not room.external_channel:
        room.external_channel = backend.open_room(room)
        room.save(update_fields=["external_channel"])
    external_id = backend.post(message)
    if external_id is not None:
        message.external_id = external_id
        message.save(update_fields=["external_id"])
    thread.last_message_id = message.backend_id
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_id", "last_message_at"])
    if user_id is not None:
        thread_mark_read(user_id=user_id, thread=thread, up_to=message.backend_id)
    audit_record(
        actor=actor,
        action="discussion.message_post",
        target=message,
        details={"thread": thread.pk, "attachments": len(content_types), "mentions": mentions},
    )
    notification_publish(
        kind=NotificationKind.NEW_MESSAGE,
        audience=_audience(thread, mentions, user_id),
        params={
            "thread": _ThreadTitle(thread),
            "project": room.title,
            "author": message.author_label,
            "excerpt": body if len(body) <= 300 else body[:300] + "…",
        },
    )
    return message


@transaction.atomic
def thread_mark_read(*, user_id: int, thread: Thread, up_to: int | None = None) -> None:
    """Remember that the person has read ``thread`` up to a message id (default: all of it)."""
    last = thread.last_message_id if up_to is None else up_to
    mark, created = ReadMark.objects.get_or_create(
        user_id=user_id, thread=thread, defaults={"last_read_id": last}
    )
    if not created and mark.last_read_id < last:
        ReadMark.objects.filter(pk=mark.pk).update(
            last_read_id=Greatest("last_read_id", last), read_at=timezone.now()
        )
