"""Supervision pages: the official schedules events for a company; the company sees what is
coming and takes its calendar address."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luvat.audit.actors import ActorKind
from luvat.audit.services import access_record
from luvat.backoffice.forms import field_errors
from luvat.identity.door import ActorRequest, require_actor
from luvat.identity.policy import acting_company
from luvat.projects.models import Project
from luvat.supervision import policy, selectors, services
from luvat.supervision.models import EventKind, EventStatus, Frequency, SupervisionEvent
from luvat.supervision.recurrence import HELSINKI

official = require_actor(ActorKind.OFFICIAL)
customer = require_actor(ActorKind.CUSTOMER, company=True)


def _aware(day: date | None, text: str) -> datetime | None:
    try:
        clock = time.fromisoformat(text.strip())
    except ValueError:
        return None
    return None if day is None else datetime.combine(day, clock, tzinfo=HELSINKI)


def _details(post: Any, business_id: str) -> services.EventDetails:
    errors: dict[str, str] = {}
    try:
        day: date | None = date.fromisoformat(post.get("day", "").strip())
    except ValueError:
        day = None
        errors["day"] = _("Give the date of the event.")
    # Far dates are refused before any time-zone arithmetic can overflow on them.
    today = date.today()  # noqa: DTZ011 - a rough bound; the service checks precisely
    if day is not None and not (
        today - timedelta(days=366) <= day <= today + services.SCHEDULE_HORIZON
    ):
        errors["day"] = _("Events are planned at most %(years)d years ahead.") % {
            "years": services.YEARS_AHEAD
        }
        day = None
    starts = _aware(day, post.get("starts", ""))
    ends = _aware(day, post.get("ends", ""))
    if day is not None and starts is None:
        errors["starts"] = _("Give the start time, e.g. 9:00.")
    if day is not None and ends is None:
        errors["ends"] = _("Give the end time, e.g. 11:00.")
    project_id = None
    reference = post.get("project_reference", "").strip().upper()
    if reference:
        project = Project.objects.filter(reference=reference, business_id=business_id).first()
        if project is None:
            errors["project_reference"] = _("The company has no project with this reference.")
        else:
            project_id = project.pk
    if errors or starts is None or ends is None:
        raise ValidationError(errors or {"day": _("Give the date of the event.")})
    return services.EventDetails(
        kind=post.get("kind", ""),
        title=post.get("title", "")[:200],
        starts_at=starts,
        ends_at=ends,
        place=post.get("place", "")[:300],
        preparation=post.get("preparation", "")[:5000],
        site=post.get("site", "")[:300],
        permit_reference=post.get("permit_reference", "")[:200],
        project_id=project_id,
    )


def _int(value: str | None, default: int) -> int:
    text = (value or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return -1
    return int(text)


def _official_page(
    request: ActorRequest,
    *,
    errors: dict[str, list[str]] | None = None,
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    own_code = policy.require_official(actor)
    events = selectors.authority_events(actor)
    mine = {
        event.pk: participant
        for event in events
        for participant in event.participants.all()
        if participant.authority_code == own_code
    }
    choices = selectors.authority_choices()
    return render(
        request,
        "supervision/official.html",
        {
            "events": events,
            "own_code": own_code,
            "mine": mine,
            "authorities": dict(choices),
            "partner_choices": [(code, name) for code, name in choices if code != own_code],
            "posted_partners": posted.getlist("partners") if posted else [],
            "kinds": EventKind.choices,
            "frequencies": Frequency.choices,
            "errors": errors or {},
            "posted": posted or {},
            # In the order of the event's life (EventStatus), never alphabetical: a menu that
            # opens on "cancelled" invites a mistake.
            "transitions": {
                k: [s for s in EventStatus.values if s in v]
                for k, v in services.TRANSITIONS.items()
            },
            "status_labels": dict(EventStatus.choices),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@official
def official_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method != "POST":
        return _official_page(request)
    business_id = request.POST.get("business_id", "").strip()
    repeat = request.POST.get("repeat", "")
    if repeat and request.POST.getlist("partners"):
        invalid = ValidationError(
            {"partners": _("A joint inspection is one event: choose 'Once' to invite others.")}
        )
        return _official_page(
            request, errors=field_errors(invalid), posted=request.POST, status=422
        )
    try:
        details = _details(request.POST, business_id)
        if repeat:
            services.supervision_series_schedule(
                actor=actor,
                business_id=business_id,
                details=details,
                frequency=repeat,
                interval=_int(request.POST.get("interval"), 1),
                count=_int(request.POST.get("count"), 2),
            )
        elif request.POST.getlist("partners"):
            services.supervision_event_schedule(
                actor=actor,
                business_id=business_id,
                details=details,
                partners=request.POST.getlist("partners"),
            )
        else:
            services.supervision_event_schedule(
                actor=actor, business_id=business_id, details=details
            )
    except ValidationError as invalid:
        return _official_page(
            request, errors=field_errors(invalid), posted=request.POST, status=422
        )
    messages.success(request, _("The supervision was scheduled and the company told."))
    return redirect("supervision:official")


@require_POST
@official
def set_status(request: ActorRequest, event_id: int) -> HttpResponse:
    actor = request.actor
    event = SupervisionEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404("no such event")
    try:
        services.supervision_event_set_status(
            actor=actor,
            event=event,
            status=request.POST.get("status", ""),
            result_note=request.POST.get("result_note", ""),
        )
    except ValidationError as invalid:
        for messages_ in field_errors(invalid).values():
            messages.error(request, " ".join(messages_))
        return redirect("supervision:official")
    messages.success(request, _("The event was updated."))
    return redirect("supervision:official")


def _joint_act(request: ActorRequest, event_id: int, act: str) -> HttpResponse:
    actor = request.actor
    event = SupervisionEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404("no such event")
    try:
        if act == "confirm":
            services.joint_participation_confirm(actor=actor, event=event)
            messages.success(request, _("Your authority's participation was confirmed."))
        else:
            services.joint_findings_record(
                actor=actor, event=event, findings=request.POST.get("findings", "")
            )
            messages.success(request, _("Your authority's findings were saved."))
    except ValidationError as invalid:
        for messages_ in field_errors(invalid).values():
            messages.error(request, " ".join(messages_))
    return redirect("supervision:official")


@require_POST
@official
def joint_confirm(request: ActorRequest, event_id: int) -> HttpResponse:
    return _joint_act(request, event_id, "confirm")


@require_POST
@official
def joint_findings(request: ActorRequest, event_id: int) -> HttpResponse:
    return _joint_act(request, event_id, "findings")


@require_http_methods(["GET"])
@customer
def company_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    business_id = acting_company(actor)
    access_record(
        actor=actor,
        object_type="supervision_events",
        object_id=business_id,
        purpose="supervision:company",
        subject_business_id=business_id,
    )
    feed = selectors.calendar_feed_for(business_id)
    feed_url = (
        request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": feed.token}))
        if feed
        else ""
    )
    return render(
        request,
        "supervision/company.html",
        {
            "upcoming": selectors.upcoming_events(actor, business_id=business_id),
            "past": selectors.past_events(actor, business_id=business_id, limit=20),
            "feed": feed,
            "feed_url": feed_url,
            "authorities": selectors.authority_names_of(business_id),
        },
    )


@require_POST
@customer
def rotate_feed(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    had = selectors.calendar_feed_for(acting_company(actor)) is not None
    services.calendar_feed_rotate(actor=actor, business_id=acting_company(actor))
    messages.success(
        request,
        _("A new calendar address was made; the old one no longer works.")
        if had
        else _("The calendar address was made."),
    )
    return redirect("supervision:company")
