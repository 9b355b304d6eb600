"""An application's life: added to a project, filled in, submitted (or the customer sent to the
authority's own e-service), and moved through the status table by whoever handles it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import Audited, audit_record, audit_record_many
from luvat.catalogue.joining import meaning, offering_for
from luvat.catalogue.models import AuthorityStatus, Service
from luvat.integrations.models import OutboxKind
from luvat.integrations.outbox import outbox_enqueue
from luvat.projects.errors import IncompleteApplication, NotAllowedInMode, NotOffered
from luvat.projects.evidence import attachments_receipt, hands_over
from luvat.projects.hooks import ProjectFact, facts_happened, statuses_changed
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


def lock_applications(pks: Iterable[int]) -> dict[int, Application]:
    """Lock several applications (in id order, so two batches cannot deadlock), by id."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("project", "service", "authority")
        .filter(pk__in=set(pks))
        .order_by("pk")
    )
    return {application.pk: application for application in locked}


@dataclass(frozen=True)
class StatusChange:
    """One move of a locked application (loaded with project, service and authority)."""

    application: Application
    status: Status
    note: str = ""
    outcome: str = ""
    # The authority's own status its system named with the change (None clears it).
    authority_status: AuthorityStatus | None = None


def record_status(
    *,
    application: Application,
    status: Status,
    actor: Actor,
    note: str = "",
    outcome: str = "",
) -> StatusEvent:
    """Move a locked application through the table, appending its event and caching the state."""
    change = StatusChange(application, status, note=note, outcome=outcome)
    return record_statuses([change], actor=actor)[0]


def record_statuses(changes: Sequence[StatusChange], *, actor: Actor) -> list[StatusEvent]:
    """Apply moves of locked applications in order (one application may move more than once),
    with a fixed number of statements however many there are. Every move is checked against
    the table before anything is written; one forbidden move raises and writes nothing."""
    current = {change.application.pk: change.application.status for change in changes}
    for change in changes:
        check_transition(current[change.application.pk], change.status)
        current[change.application.pk] = change.status
    now = timezone.now()
    source = SOURCES.get(actor.kind, EventSource.SYSTEM)
    events: list[StatusEvent] = []
    touched: dict[int, tuple[Application, set[str]]] = {}
    handed_over: set[int] = set()
    for change in changes:
        application, status = change.application, change.status
        submitted = application.submitted_at is not None or status == Status.SUBMITTED
        if hands_over(application.status, status, submitted=submitted):
            handed_over.add(application.pk)
        events.append(
            StatusEvent(
                application=application,
                status=status,
                previous_status=application.status,
                outcome=change.outcome,
                occurred_at=now,
                source=source,
                actor_ref=actor.ref,
                actor_label=actor.label,
                on_behalf_of=actor.on_behalf_of,
                note=change.note,
                authority_status=change.authority_status,
            )
        )
        fields = touched.setdefault(application.pk, (application, set()))[1]
        application.status = status
        application.status_changed_at = now
        application.authority_status = change.authority_status
        fields |= {"status", "status_changed_at", "authority_status_id"}
        if status == Status.SUBMITTED:
            application.submitted_at = now
            fields.add("submitted_at")
        if status == Status.RECEIVED and application.received_at is None:
            application.received_at = now
            fields.add("received_at")
        if status == Status.DECISION_MADE:
            application.decided_at = now
            application.outcome = change.outcome
            fields |= {"decided_at", "outcome"}
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        StatusEvent.objects.bulk_create(events)
    # The moves of one call share their time, so most applications end with the same values:
    # one UPDATE per distinct set of values (cheaper than a per-row CASE for every column).
    same_values: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for application, fields in touched.values():
        values = tuple((name, getattr(application, name)) for name in sorted(fields))
        same_values.setdefault(values, []).append(application.pk)
    for values, pks in same_values.items():
        Application.objects.filter(pk__in=pks).update(**dict(values))
    attachments_receipt(handed_over, at=now)
    project_ids = {application.project_id for application, _fields in touched.values()}
    Project.objects.filter(pk__in=project_ids).update(updated_at=now)
    _baseline_submitted_elsewhere(
        [
            application
            for application, fields in touched.values()
            if "submitted_at" in fields and not meaning(application.route).submitted_here
        ]
    )
    statuses_changed(
        [(change.application, event) for change, event in zip(changes, events, strict=True)]
    )
    return events


def _baseline_submitted_elsewhere(applications: Sequence[Application]) -> None:
    """An application filled in the authority's own e-service reached it with the shared data
    as they were then: later changes of shared data are measured from there (a query and an
    update per such application; there is rarely more than one in a call)."""
    for application in applications:
        application.shared_data_sent = shared_data_current(application.project)
        application.save(update_fields=["shared_data_sent"])


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
    authority = authority_for(service=service, project=project)
    terms = offering_for(
        authority_code=authority.code if authority else "",
        service_code=service.code,
        business_id=project.business_id,
    )
    if not terms.offered:
        raise NotOffered(
            _(
                "%(authority)s is piloting “%(service)s” with selected companies; apply through "
                "the authority's own channels."
            )
            % {"authority": authority.name if authority else "", "service": service.name}
        )
    application = Application.objects.create(
        project=project,
        service=service,
        authority=authority,
        reference=f"{project.reference}-{number:02d}",
        joining_mode=terms.mode or service.joining_mode,
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


@dataclass(frozen=True)
class ExchangeFile:
    """A file of the inforequest an application was made from: linked, not copied. The bytes
    stay with the inforequest and are served by its own view, which asks the policy for the
    inforequest (the company and the answering authority); the SHA-256 travels with the
    application's snapshot as evidence of which file it was."""

    id: str  # the inforequest attachment's public id
    part: str  # "question" (the customer's file) or "answer" (the authority's)
    name: str
    content_type: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, str | int]:
        return {
            "id": self.id,
            "part": self.part,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class PriorExchange:
    """What an application made from an inforequest carries: the question asked, the
    authority's answer, who and when, and the files of both (stored as JSON on the
    application)."""

    reference: str
    subject: str
    question: str
    asked_at: datetime
    authority_code: str
    authority_name: str
    answer: str
    answered_at: datetime
    answered_by: str
    # The inforequest's public id: where its files are served from.
    inforequest_id: str = ""
    files: tuple[ExchangeFile, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "inforequest_id": self.inforequest_id,
            "subject": self.subject,
            "question": self.question,
            "asked_at": self.asked_at.isoformat(),
            "authority_code": self.authority_code,
            "authority_name": self.authority_name,
            "answer": self.answer,
            "answered_at": self.answered_at.isoformat(),
            "answered_by": self.answered_by,
            "files": [file.as_json() for file in self.files],
        }


@transaction.atomic
def application_add_with_exchange(
    *, project: Project, service: Service, exchange: PriorExchange, actor: Actor
) -> Application:
    """Add (or take the live draft of) ``service`` carrying an inforequest's ``exchange``; an
    application already past the draft cannot take it (:class:`InvalidTransition`)."""
    application = lock_application(application_add(project=project, service=service, actor=actor))
    if application.status != Status.DRAFT:
        raise InvalidTransition(application.status, Status.DRAFT)
    application.prior_exchange = exchange.as_json()
    application.version += 1
    application.save(update_fields=["prior_exchange", "version"])
    audit_record(
        actor=actor,
        action="application.prior_exchange",
        target=application,
        details={"inforequest": exchange.reference, "authority": exchange.authority_code},
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


def application_submit(
    *, application: Application, actor: Actor, expected_version: int | None = None
) -> Submission:
    """Validate, freeze a snapshot, record the arrival and queue it for the authority.

    Submitting again (a second tab, a retry) returns the first receipt and changes nothing.
    """
    return application_submit_once(
        application=application, actor=actor, expected_version=expected_version
    ).submission


@dataclass(frozen=True)
class SubmitOutcome:
    submission: Submission
    first: bool  # False: an earlier submit (maybe one running at the same moment) made it


@transaction.atomic
def application_submit_once(
    *, application: Application, actor: Actor, expected_version: int | None = None
) -> SubmitOutcome:
    """As :func:`application_submit`, also telling whether this call made the submission;
    decided under the application's lock, so of parallel submits exactly one is first."""
    application = lock_application(application)
    existing = application.submissions.filter(kind=SubmissionKind.APPLICATION).first()
    if existing is not None:
        return SubmitOutcome(existing, first=False)
    return SubmitOutcome(
        _submit_locked(application=application, actor=actor, expected_version=expected_version),
        first=True,
    )


def _submit_locked(
    *, application: Application, actor: Actor, expected_version: int | None
) -> Submission:
    if not meaning(application.route).submitted_here:
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
    if meaning(application.route).submitted_here or not service.redirect_url:
        raise NotAllowedInMode(_("This service is applied for here, not in another e-service."))
    application.redirected_at = timezone.now()
    application.save(update_fields=["redirected_at"])
    audit_record(actor=actor, action="application.redirect", target=application)
    facts_happened([ProjectFact("redirected", application.project, application=application)])
    return redirect_url_with_reference(service.redirect_url, application.reference)


@transaction.atomic
def application_applied_elsewhere(
    *, application: Application, actor: Actor, reference: str
) -> Application:
    """The customer records that they applied in the authority's own e-service, with the
    reference it gave; the official finds the case by it. Redirect-mode services only."""
    application = lock_application(application)
    if meaning(application.route).submitted_here:
        raise NotAllowedInMode(_("This service is applied for here, not in another e-service."))
    reference = reference.strip()
    if not reference or len(reference) > 100:
        raise ValidationError(
            {"elsewhere_reference": _("Give the reference the e-service gave (at most 100).")}
        )
    application.elsewhere_reference = reference
    application.applied_elsewhere_at = timezone.now()
    application.save(update_fields=["elsewhere_reference", "applied_elsewhere_at"])
    audit_record(
        actor=actor,
        action="application.applied_elsewhere",
        target=application,
        details={"reference": reference},
    )
    facts_happened([ProjectFact("applied_elsewhere", application.project, application=application)])
    return application


def applications_authority_status_tell(
    *, told: Sequence[tuple[Application, AuthorityStatus]]
) -> None:
    """The authority's own status moved within the public status (which stays as it is): keep
    the newest on each locked application, in one statement per distinct status."""
    by_status: dict[int, tuple[AuthorityStatus, list[int]]] = {}
    for application, authority_status in told:
        application.authority_status = authority_status
    for application, authority_status in {a.pk: (a, s) for a, s in told}.values():
        by_status.setdefault(authority_status.pk, (authority_status, []))[1].append(application.pk)
    for authority_status, pks in by_status.values():
        Application.objects.filter(pk__in=pks).update(authority_status=authority_status)


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
    application = lock_application(application)
    change = StatusChange(application, Status(status), note=note, outcome=str(outcome))
    applications_status_change(changes=[change], actor=actor)
    return application


def applications_status_change(
    *, changes: Sequence[StatusChange], actor: Actor
) -> list[StatusEvent]:
    """Move locked applications as :func:`application_status_change` does, in one go (an
    authority system's batch of events). Checks every change before writing any."""
    current = {change.application.pk: change.application.status for change in changes}
    for change in changes:
        target = change.status
        if target == Status.DECISION_MADE and change.outcome not in Outcome.values:
            raise IncompleteApplication({"outcome": [str(_("Choose the decision."))]})
        previous = current[change.application.pk]
        if (
            actor.kind == ActorKind.CUSTOMER
            and target not in CUSTOMER_TARGETS
            and (previous, target) not in CUSTOMER_STEPS
        ):
            raise PermissionDenied(_("Only the authority can set this status."))
        current[change.application.pk] = target
    events = record_statuses(
        [
            StatusChange(
                change.application,
                change.status,
                note=change.note,
                outcome=change.outcome if change.status == Status.DECISION_MADE else "",
                authority_status=change.authority_status,
            )
            for change in changes
        ],
        actor=actor,
    )
    audited = []
    for change, event in zip(changes, events, strict=True):
        if change.status == Status.WITHDRAWN and event.previous_status != Status.DRAFT:
            outbox_enqueue(
                kind=OutboxKind.APPLICATION_WITHDRAWN,
                application=change.application,
                payload={"reference": change.application.reference, "note": change.note},
            )
        audited.append(
            Audited(
                "application.status_change",
                change.application,
                {"from": event.previous_status, "to": change.status, "outcome": change.outcome},
            )
        )
    audit_record_many(actor=actor, entries=audited)
    return events
