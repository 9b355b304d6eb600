"""An application's life: added to a project, filled in, submitted (or the customer sent to the
authority's own e-service), and moved through the status table by whoever handles it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import audit_record
from luvat.catalogue.models import JoiningMode, Service
from luvat.integrations.models import OutboxKind
from luvat.integrations.outbox import outbox_enqueue
from luvat.projects.errors import IncompleteApplication, NotAllowedInMode
from luvat.projects.hooks import status_changed
from luvat.projects.models import (
    Application,
    EventSource,
    Project,
    StatusEvent,
    Submission,
    SubmissionKind,
)
from luvat.projects.schema_forms import validate_form
from luvat.projects.services.projects import (
    authority_for,
    check_version,
    lock_project,
    shared_data_current,
    shared_data_set,
)
from luvat.projects.snapshots import build_snapshot, effective_form_data, snapshot_sha256
from luvat.projects.status import InvalidTransition, Outcome, Status, check_transition

SOURCES = {
    ActorKind.CUSTOMER: EventSource.CUSTOMER,
    ActorKind.OFFICIAL: EventSource.OFFICIAL,
    ActorKind.AUTHORITY_SYSTEM: EventSource.AUTHORITY_SYSTEM,
}
# What a customer may do to an application's status themselves; the rest is the authority's.
CUSTOMER_TARGETS = frozenset({Status.SUBMITTED, Status.CANCELLED, Status.WITHDRAWN})
# Answering a supplement request hands the application back to the authority (the clock runs).
CUSTOMER_STEPS = frozenset({(Status.SUPPLEMENT_REQUESTED, Status.IN_PROCESSING)})


def lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("project", "service", "authority")
        .get(pk=application.pk)
    )


def record_status(
    *,
    application: Application,
    status: Status,
    actor: Actor,
    note: str = "",
    outcome: str = "",
) -> StatusEvent:
    """Move a locked application through the table, appending its event and caching the state."""
    check_transition(application.status, status)
    now = timezone.now()
    event = StatusEvent.objects.create(
        application=application,
        status=status,
        previous_status=application.status,
        outcome=outcome,
        occurred_at=now,
        source=SOURCES.get(actor.kind, EventSource.SYSTEM),
        actor_ref=actor.ref,
        actor_label=actor.label,
        on_behalf_of=actor.on_behalf_of,
        note=note,
    )
    application.status = status
    application.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if status == Status.SUBMITTED:
        application.submitted_at = now
        fields.append("submitted_at")
    if status == Status.RECEIVED and application.received_at is None:
        application.received_at = now
        fields.append("received_at")
    if status == Status.DECISION_MADE:
        application.decided_at = now
        application.outcome = outcome
        fields += ["decided_at", "outcome"]
    application.save(update_fields=fields)
    Project.objects.filter(pk=application.project_id).update(updated_at=now)
    status_changed(application, event)
    return event


@transaction.atomic
def application_add(*, project: Project, service: Service, actor: Actor) -> Application:
    """Add a draft application for ``service``; the live one is returned if it exists."""
    project = lock_project(project)
    live = (
        project.applications.filter(service=service)
        .exclude(status__in=[Status.CANCELLED, Status.WITHDRAWN])
        .first()
    )
    if live is not None:
        return live
    number = project.applications.count() + 1
    application = Application.objects.create(
        project=project,
        service=service,
        authority=authority_for(service=service, project=project),
        reference=f"{project.reference}-{number:02d}",
    )
    StatusEvent.objects.create(
        application=application,
        status=Status.DRAFT,
        source=SOURCES.get(actor.kind, EventSource.SYSTEM),
        actor_ref=actor.ref,
        actor_label=actor.label,
        on_behalf_of=actor.on_behalf_of,
    )
    audit_record(
        actor=actor, action="application.add", target=application, details={"service": service.code}
    )
    return application


@transaction.atomic
def application_drop(*, application: Application, actor: Actor) -> Application:
    """Drop a draft the customer does not need; its history stays."""
    application = lock_application(application)
    if application.status != Status.DRAFT:
        raise InvalidTransition(application.status, Status.CANCELLED)
    record_status(application=application, status=Status.CANCELLED, actor=actor, note="dropped")
    audit_record(actor=actor, action="application.drop", target=application)
    return application


@transaction.atomic
def application_save_form(
    *,
    application: Application,
    data: Mapping[str, Any],
    actor: Actor,
    expected_version: int | None = None,
    expected_project_version: int | None = None,
) -> Application:
    """Save a draft's answers. Fields mapped to shared data are written to the project's shared
    data (so they are typed once); the rest stay with the application. Incomplete is fine."""
    application = lock_application(application)
    check_transition(application.status, Status.SUBMITTED)  # only drafts are edited
    check_version(current=application.version, expected=expected_version)
    service = application.service
    mapping: dict[str, str] = dict(service.shared_data_mapping or {})
    properties = set((service.form_schema or {}).get("properties", {}))
    shared = {mapping[k]: v for k, v in data.items() if k in mapping}
    if shared:
        shared_data_set(
            project=application.project,
            values=shared,
            actor=actor,
            expected_version=expected_project_version,
        )
    # The posted form is the whole form: answers left empty are cleared.
    application.form_data = {
        k: v for k, v in data.items() if k in properties and k not in mapping and v is not None
    }
    application.version += 1
    application.save(update_fields=["form_data", "version"])
    audit_record(actor=actor, action="application.save_form", target=application)
    return application


def submission_problems(application: Application, form: Mapping[str, Any]) -> dict[str, list[str]]:
    """Everything that stops ``application`` from being submitted, named field by field."""
    service = application.service
    errors = validate_form(service.form_schema or {}, form)
    have = set(application.attachments.values_list("code", flat=True))
    for spec in service.attachments or []:
        if spec.get("required") and spec.get("code") not in have:
            errors.setdefault(f"attachment:{spec['code']}", []).append(
                str(_("Attach this document."))
            )
    if application.authority is None:
        errors.setdefault("", []).append(
            str(_("No authority handles this service for the site; check the site municipality."))
        )
    return errors


@transaction.atomic
def application_submit(
    *, application: Application, actor: Actor, expected_version: int | None = None
) -> Submission:
    """Validate, freeze a snapshot, record the arrival and queue it for the authority.

    Submitting again (a second tab, a retry) returns the first receipt and changes nothing.
    """
    application = lock_application(application)
    existing = application.submissions.filter(kind=SubmissionKind.APPLICATION).first()
    if existing is not None:
        return existing
    if application.service.joining_mode == JoiningMode.REDIRECT:
        raise NotAllowedInMode(_("This service is applied for in the authority's own e-service."))
    check_transition(application.status, Status.SUBMITTED)
    check_version(current=application.version, expected=expected_version)
    shared = shared_data_current(application.project)
    form = effective_form_data(
        form_data=application.form_data,
        mapping=application.service.shared_data_mapping or {},
        shared=shared,
    )
    problems = submission_problems(application, form)
    if problems:
        raise IncompleteApplication(problems)
    arrived_at = timezone.now()
    snapshot = build_snapshot(
        application=application,
        shared=shared,
        form=form,
        attachments=application.attachments.order_by("id"),
        arrived_at=arrived_at,
        reference=application.reference,
    )
    submission = Submission.objects.create(
        application=application,
        kind=SubmissionKind.APPLICATION,
        reference=application.reference,
        arrived_at=arrived_at,
        snapshot=snapshot,
        sha256=snapshot_sha256(snapshot),
        submitted_by=actor.ref,
        submitted_by_label=actor.label,
    )
    record_status(application=application, status=Status.SUBMITTED, actor=actor)
    application.shared_data_sent = shared
    application.save(update_fields=["shared_data_sent"])
    outbox_enqueue(
        kind=OutboxKind.APPLICATION_SUBMITTED,
        application=application,
        payload={"submission": str(submission.public_id), "sha256": submission.sha256, **snapshot},
    )
    audit_record(
        actor=actor,
        action="application.submit",
        target=application,
        details={"receipt": submission.reference, "sha256": submission.sha256},
    )
    return submission


def redirect_url_with_reference(url: str, reference: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&" if parts.query else ""
    query += urlencode({"luvat_reference": reference})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


@transaction.atomic
def application_redirect_record(*, application: Application, actor: Actor) -> str:
    """Record that the customer was sent to the authority's own e-service; the address to go to,
    carrying the application's reference so the authority can link the case back."""
    application = lock_application(application)
    service = application.service
    if service.joining_mode != JoiningMode.REDIRECT or not service.redirect_url:
        raise NotAllowedInMode(_("This service is applied for here, not in another e-service."))
    application.redirected_at = timezone.now()
    application.save(update_fields=["redirected_at"])
    audit_record(actor=actor, action="application.redirect", target=application)
    return redirect_url_with_reference(service.redirect_url, application.reference)


@transaction.atomic
def application_status_change(
    *,
    application: Application,
    status: Status | str,
    actor: Actor,
    note: str = "",
    outcome: Outcome | str = "",
) -> Application:
    """Move an application to ``status`` through the transition table (back office, authority
    systems, or the customer withdrawing). A decision needs an ``outcome``."""
    target = Status(status)
    if target == Status.DECISION_MADE and outcome not in Outcome.values:
        raise IncompleteApplication({"outcome": [str(_("Choose the decision."))]})
    application = lock_application(application)
    previous = application.status
    if (
        actor.kind == ActorKind.CUSTOMER
        and target not in CUSTOMER_TARGETS
        and (previous, target) not in CUSTOMER_STEPS
    ):
        raise PermissionDenied(_("Only the authority can set this status."))
    record_status(
        application=application,
        status=target,
        actor=actor,
        note=note,
        outcome=str(outcome) if target == Status.DECISION_MADE else "",
    )
    if target == Status.WITHDRAWN and previous != Status.DRAFT:
        outbox_enqueue(
            kind=OutboxKind.APPLICATION_WITHDRAWN,
            application=application,
            payload={"reference": application.reference, "note": note},
        )
    audit_record(
        actor=actor,
        action="application.status_change",
        target=application,
        details={"from": previous, "to": target, "outcome": str(outcome)},
    )
    return application
