"""Discussion pages for the company and the authorities of a project."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luvat.audit.actors import ActorKind
from luvat.audit.services import access_record
from luvat.backoffice.forms import field_errors
from luvat.discussion import policy
from luvat.discussion.backends.base import BackendUnavailable
from luvat.discussion.models import MessageAttachment, Thread
from luvat.discussion.rooms import room_for_project
from luvat.discussion.selectors import project_threads, rooms_for, thread_for, thread_messages
from luvat.discussion.services import message_post, thread_mark_read
from luvat.discussion.text import render_message
from luvat.identity.door import ActorRequest, require_actor
from luvat.identity.policy import authorise
from luvat.projects.models import Project
from luvat.web.ratelimits import limited, person_key

party = require_actor(ActorKind.CUSTOMER, ActorKind.OFFICIAL, company=True)


@require_GET
@party
def discussion_index(request: ActorRequest) -> HttpResponse:
    """The discussions of the actor's projects, for the header's link."""
    actor = request.actor
    rooms = rooms_for(actor)
    return render(
        request,
        "discussion/index.html",
        {"rooms": rooms, "is_customer": actor.kind == ActorKind.CUSTOMER},
    )


@require_GET
@party
def project_discussion(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    project = Project.objects.filter(public_id=project_id).first()
    if project is None:
        raise Http404("no such project")
    room = room_for_project(project)
    authorise(
        actor,
        policy.may_use_room(actor, room),
        object_type="discussion",
        object_id=project.public_id,
        purpose="discussion:project",
        subject_business_id=project.business_id,
        known=False,
    )
    access_record(
        actor=actor,
        object_type="discussion",
        object_id=project.public_id,
        purpose="discussion:project",
        subject_business_id=project.business_id,
    )
    _room, threads = project_threads(actor, project_id=project.pk, user_id=request.user.pk)
    return render(
        request,
        "discussion/project.html",
        {
            "project": project,
            "room": room,
            "threads": threads,
            "is_customer": actor.kind == ActorKind.CUSTOMER,
        },
    )


def _thread_page(
    request: ActorRequest,
    thread: Thread,
    *,
    errors: dict[str, list[str]] | None = None,
    body: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    view = thread_messages(actor, thread=thread, user_id=request.user.pk)
    if request.user.pk is not None:
        thread_mark_read(user_id=request.user.pk, thread=thread)
    return render(
        request,
        "discussion/thread.html",
        {
            "thread": thread,
            "room": thread.room,
            "project": thread.room.project,
            "messages_shown": [
                (m, render_message(m.body), m.backend_id > view.last_read_id) for m in view.messages
            ],
            "errors": errors or {},
            "body": body,
            "mentionable": thread.room.authority_codes,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@party
def thread_page(request: ActorRequest, thread_id: int) -> HttpResponse:
    actor = request.actor
    thread = thread_for(actor, thread_id)
    access_record(
        actor=actor,
        object_type="discussion_thread",
        object_id=thread.pk,
        purpose="discussion:thread",
        subject_business_id=thread.room.business_id,
    )
    if request.method == "POST":
        return _post(request, thread_id)
    return _thread_page(request, thread)


@party
def _post(request: ActorRequest, thread_id: int) -> HttpResponse:
    if request.FILES:
        refused = limited(request, "upload", person_key(request))
        if refused is not None:
            return refused
    actor = request.actor
    thread = thread_for(actor, thread_id)
    body = request.POST.get("body", "")
    try:
        message_post(
            actor=actor,
            user_id=request.user.pk,
            thread=thread,
            body=body,
            attachments=request.FILES.getlist("attachments"),
        )
    except ValidationError as invalid:
        return _thread_page(request, thread, errors=field_errors(invalid), body=body, status=422)
    except BackendUnavailable:
        errors = {"body": [_("The discussion service cannot be reached; try again soon.")]}
        return _thread_page(request, thread, errors=errors, body=body, status=503)
    messages.success(request, _("Your message was sent."))
    return redirect("discussion:thread", thread_id=thread.pk)


@require_GET
@party
def attachment_download(request: ActorRequest, attachment_id: int) -> HttpResponse:
    actor = request.actor
    attachment = (
        MessageAttachment.objects.select_related(
            "message__thread__room", "message__thread__application__service"
        )
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404("no such attachment")
    authorise(
        actor,
        policy.may_use_thread(actor, attachment.message.thread),
        object_type="discussion_attachment",
        object_id=attachment.pk,
        purpose="discussion:attachment",
        subject_business_id=attachment.message.thread.room.business_id,
        known=False,
    )
    access_record(
        actor=actor,
        object_type="discussion_attachment",
        object_id=attachment.pk,
        purpose="discussion:attachment",
        subject_business_id=attachment.message.thread.room.business_id,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]
