"""The authority's acts on an application, written once for every door.

An official's page (:mod:`luvat.backoffice.services`) and an authority system's status events
(one over HTTP, a batch, or AMQP: :mod:`luvat.integrations.inbound`) are thin doors: both hand
:class:`ActOn` values to :func:`acts_record`, which locks the applications, checks that the
actor may handle each one's authority and service (the identity policy), applies the status
table, writes the supplement requests, decisions and case references, and changes every status
in one call. What differs by who acts is the :data:`RULES` table; what differs by joining mode
is the catalogue's mode table. Who hears of the change is decided by the status listener in
:mod:`luvat.backoffice.notify`, not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import Audited, audit_record_many
from luvat.backoffice.models import CaseFile, Decision, SupplementRequest
from luvat.catalogue.joining import meaning
from luvat.catalogue.models import AuthorityStatus, ServiceKind
from luvat.identity.policy import authorise, service_codes_for
from luvat.projects.errors import NotAllowedInMode
from luvat.projects.models import Application, Submission, SubmissionKind
from luvat.projects.services.applications import (
    StatusChange,
    applications_authority_status_tell,
    applications_status_change,
    lock_applications,
)
from luvat.projects.services.projects import shared_data_changes_acknowledged
from luvat.projects.status import (
    InvalidTransition,
    Outcome,
    Status,
    can_transition,
    check_transition,
)
from luvat.uploads.inspect import UploadRejected, check_name, inspect_upload

MAX_TEXT = 10_000
MAX_CASE_REFERENCE = 100
MAX_DECISION_BYTES = 20 * 1024 * 1024
SUBMITTED_ELSEWHERE = gettext_lazy("Submitted in the authority's own e-service.")
RECEIVED_ELSEWHERE = gettext_lazy("The supplement was received in the authority's own e-service.")


# -- the acts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """The authority has the application, under its own case reference if it gave one."""

    case_reference: str = ""


@dataclass(frozen=True)
class ProcessingStarted:
    """The authority has started handling the application."""


@dataclass(frozen=True)
class SupplementAsked:
    """The customer is asked for more by ``due_on``; the processing clock stops meanwhile."""

    text: str
    due_on: date | None


@dataclass(frozen=True)
class SupplementReceived:
    """The supplement reached the authority in its own e-service (a redirect-mode service):
    the open request is answered and the processing clock runs again."""


@dataclass(frozen=True)
class DocumentLink:
    """Where the authority keeps a decision document made in its own system."""

    url: str
    file_name: str = ""
    content_type: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class DecisionMade:
    """The decision, with its document uploaded here or a link to the authority's copy."""

    outcome: str
    decided_on: date | None
    summary: str = ""
    document: UploadedFile | None = field(default=None, compare=False)
    link: DocumentLink | None = None


@dataclass(frozen=True)
class Closed:
    """Nothing more will happen in the decided application."""


Act = Received | ProcessingStarted | SupplementAsked | SupplementReceived | DecisionMade | Closed


@dataclass(frozen=True)
class ActMeaning:
    target: Status
    purpose: str  # the access log's purpose of a refusal
    audit_action: str  # how an official's act is audited
    # Refused when the application is not handled in Luvat (the joining mode's meaning).
    only_when_handled_in_luvat: bool
    # Refused when the customer answers in Luvat: the answer itself (text and files) must
    # come through the customer's supplement answer.
    only_when_answered_elsewhere: bool = False


ACTS: dict[type, ActMeaning] = {
    Received: ActMeaning(Status.RECEIVED, "backoffice:receive", "backoffice.mark_received", False),
    # Every main status of the public model is recorded here in every mode: a redirect-mode
    # official records processing, supplement requests and closing as they happen in the
    # authority's own e-service, so that the customer and the deadlines follow.
    ProcessingStarted: ActMeaning(
        Status.IN_PROCESSING, "backoffice:start", "backoffice.start_processing", False
    ),
    SupplementAsked: ActMeaning(
        Status.SUPPLEMENT_REQUESTED, "backoffice:supplement", "backoffice.supplement_request", False
    ),
    SupplementReceived: ActMeaning(
        Status.IN_PROCESSING,
        "backoffice:supplement_received",
        "backoffice.supplement_received",
        False,
        only_when_answered_elsewhere=True,
    ),
    DecisionMade: ActMeaning(
        Status.DECISION_MADE, "backoffice:decide", "backoffice.decision_record", False
    ),
    Closed: ActMeaning(Status.CLOSED, "backoffice:close", "backoffice.close", False),
}


def allowed_in_mode(application: Application, act_type: type) -> bool:
    """Does the application's joining mode let an official record this kind of act?"""
    row = ACTS[act_type]
    mode = meaning(application.route)
    if row.only_when_handled_in_luvat and not mode.handled_in_luvat:
        return False
    return not (row.only_when_answered_elsewhere and mode.submitted_here)


def target_of(act: Act) -> Status:
    """The status the act moves an application to."""
    return ACTS[type(act)].target


# -- what differs by who acts --------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRules:
    """How acts from one kind of actor are taken."""

    # The act's fields were typed into a form now: required fields, dates against today and a
    # permit's decision document are checked. An authority system reports what already
    # happened in its own system, as it happened.
    checks_form: bool
    # The joining mode limits the acts (a redirect-mode application's processing happens in
    # the authority's own e-service). An authority system reports from that e-service itself.
    mode_limits_acts: bool
    # Each act is audited as its own back-office action. An authority system's events are
    # audited by the inbound API, applied or not, as status events.
    audits_acts: bool


RULES: dict[ActorKind, SourceRules] = {
    ActorKind.OFFICIAL: SourceRules(checks_form=True, mode_limits_acts=True, audits_acts=True),
    ActorKind.AUTHORITY_SYSTEM: SourceRules(
        checks_form=False, mode_limits_acts=False, audits_acts=False
    ),
}


def rules_for(actor: Actor) -> SourceRules:
    try:
        return RULES[actor.kind]
    except KeyError:
        raise PermissionError(f"{actor.kind} does not act for an authority") from None


# -- one act on one application ------------------------------------------------------------------


@dataclass(frozen=True)
class ActOn:
    """``act`` on ``application``, as the door received it."""

    application: Application
    act: Act
    # The authority's case reference, told with any act (a Received act carries its own).
    case_reference: str = ""
    # More words for the status history (an authority system's free note).
    note: str = ""
    # When the authority did it, where the door knows (an authority system's occurred_at).
    occurred_at: datetime | None = None
    # The authority's own status (its vocabulary) the act was told with, already checked to
    # stand for the act's public status; shown to the customer beside it.
    authority_status: AuthorityStatus | None = None


@dataclass
class ActDone:
    """What :func:`acts_record` wrote for one act."""

    application: Application
    supplement: SupplementRequest | None = None
    decision: Decision | None = None

    def supplement_request(self) -> SupplementRequest:
        if self.supplement is None:
            raise LookupError("this act asked for no supplement")
        return self.supplement

    def the_decision(self) -> Decision:
        if self.decision is None:
            raise LookupError("this act made no decision")
        return self.decision


def path_of(application: Application, current: str, act: Act) -> list[Status]:
    """The statuses ``act`` moves the application through from ``current``: an application
    filled in the authority's own e-service is still a draft here when it arrives, so its
    arrival first records the submission there."""
    target = target_of(act)
    if (
        isinstance(act, Received)
        and current == Status.DRAFT
        and not meaning(application.route).submitted_here
    ):
        return [Status.SUBMITTED, target]
    return [target]


def can_apply(application: Application, current: str, act: Act) -> bool:
    """Does the status table let ``act`` move the application on from ``current``?"""
    for status in path_of(application, current, act):
        if not can_transition(current, status):
            return False
        current = status
    return True


def decision_document_required(application: Application) -> bool:
    """A permit handled in Luvat is decided with a document; a decision made in another
    e-service, and a notification's or plan's acknowledgement, may come without."""
    return (
        application.service.kind == ServiceKind.PERMIT
        and meaning(application.route).handled_in_luvat
    )


def _note(act_on: ActOn) -> str:
    act = act_on.act
    parts = []
    reference = act.case_reference if isinstance(act, Received) else act_on.case_reference
    if reference.strip():
        parts.append(f"[{reference.strip()}]")
    if isinstance(act, SupplementAsked) and act.due_on is not None:
        parts.append(f"{act.text.strip()} (due {act.due_on.isoformat()})")
    if isinstance(act, DecisionMade) and act.summary.strip():
        parts.append(act.summary.strip())
    if act_on.note:
        parts.append(act_on.note)
    return " ".join(parts)


def _form_errors(application: Application, act: Act) -> dict[str, str]:
    """What is wrong with an act typed into the official's form now."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if isinstance(act, SupplementAsked):
        if not act.text.strip():
            errors["text"] = _("Write what the customer should supplement.")
        if act.due_on is None:
            errors["due_on"] = _("Give the date by which the customer should answer.")
        elif act.due_on <= today:
            errors["due_on"] = _("The due date must be in the future.")
    if isinstance(act, DecisionMade):
        if act.outcome not in Outcome.values:
            errors["outcome"] = _("Choose the decision.")
        if act.decided_on is None:
            errors["decided_on"] = _("Give the date of the decision.")
        elif act.decided_on > today:
            errors["decided_on"] = _("The decision date cannot be in the future.")
        elif application.submitted_at and act.decided_on < timezone.localdate(
            application.submitted_at
        ):
            errors["decided_on"] = _("The decision date cannot be before the application arrived.")
        if act.document is None and act.link is None and decision_document_required(application):
            errors["document"] = _("Attach the decision document (PDF).")
    return errors


def _errors(act_on: ActOn, rules: SourceRules) -> dict[str, str]:
    act = act_on.act
    errors = _form_errors(act_on.application, act) if rules.checks_form else {}
    reference = act.case_reference if isinstance(act, Received) else act_on.case_reference
    if len(reference.strip()) > MAX_CASE_REFERENCE:
        errors["case_reference"] = _("At most %(max)d characters.") % {"max": MAX_CASE_REFERENCE}
    text = (
        act.text
        if isinstance(act, SupplementAsked)
        else act.summary
        if isinstance(act, DecisionMade)
        else ""
    )
    if len(text.strip()) > MAX_TEXT:
        name = "text" if isinstance(act, SupplementAsked) else "summary"
        errors[name] = _("At most %(max)d characters.") % {"max": MAX_TEXT}
    # Whoever acts, a decision has a date and a supplement request a due date.
    if isinstance(act, DecisionMade) and act.decided_on is None:
        errors.setdefault("decided_on", _("Give the date of the decision."))
    if isinstance(act, SupplementAsked) and act.due_on is None:
        errors.setdefault("due_on", _("Give the date by which the customer should answer."))
    return errors


def checked_pdf(upload: UploadedFile) -> str:
    """The SHA-256 of a decision document after the platform's upload checks; it must be a PDF
    by its content."""
    try:
        check_name(upload)
    except UploadRejected as rejected:
        raise ValidationError({"document": rejected.message}) from None
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"document": _("The file is empty.")})
    if size > MAX_DECISION_BYTES:
        raise ValidationError(
            {
                "document": _("The decision document may be at most %(limit)s.")
                % {"limit": filesizeformat(MAX_DECISION_BYTES)}
            }
        )
    try:
        kind = inspect_upload(upload, max_bytes=MAX_DECISION_BYTES)
    except UploadRejected as rejected:
        raise ValidationError({"document": rejected.message}) from None
    if kind != "pdf":
        raise ValidationError(
            {"document": _("The decision document must be a PDF file (checked by its content).")}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _in_default_language(text: object) -> str:
    # Status notes are stored as written and shown to everyone: the service's own language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _authorise(actor: Actor, acted_on: Sequence[tuple[Application, str]]) -> None:
    """Refuse (access-logged) unless the actor may handle each application's authority and
    service; the policy is asked once per authority, not per act."""
    scopes: dict[str, frozenset[str] | None] = {}
    for application, purpose in acted_on:
        authority = application.authority
        allowed = False
        if authority is not None:
            if authority.code not in scopes:
                scopes[authority.code] = service_codes_for(actor, authority.code)
            scope = scopes[authority.code]
            allowed = scope is None or application.service.code in scope
        authorise(
            actor,
            allowed,
            object_type="application",
            object_id=application.public_id,
            purpose=purpose,
            subject_business_id=application.project.business_id,
        )


# -- the service ---------------------------------------------------------------------------------


@transaction.atomic
def authority_statuses_tell(
    *,
    told: Sequence[tuple[Application, AuthorityStatus]],
    actor: Actor,
    locked: Mapping[int, Application] | None = None,
) -> None:
    """The authority's own status moved while the public status stays (e.g. from "statement
    requested" to "hearing of neighbours", both in processing): keep it on the applications.
    A status that stands for another public status is an act, for :func:`acts_record`."""
    held = dict(locked or {})
    missing = {application.pk for application, _status in told} - held.keys()
    if missing:
        held.update(lock_applications(missing))
    on = [(held[application.pk], status) for application, status in told]
    _authorise(actor, [(application, "backoffice:authority_status") for application, _s in on])
    for application, status in on:
        if status.authority_id != application.authority_id:
            raise ValidationError({"authority_status": _("Another authority's status.")})
        if status.public_status != application.status:
            raise InvalidTransition(application.status, Status(status.public_status))
    applications_authority_status_tell(told=on)


@transaction.atomic
def acts_record(
    *,
    acts: Sequence[ActOn],
    actor: Actor,
    locked: Mapping[int, Application] | None = None,
) -> list[ActDone]:
    """Apply the authority's acts in the order given, with a fixed number of statements however
    many there are (one application may be acted on more than once).

    Every act is checked before anything is written: an application the actor may not handle
    raises :class:`~luvat.identity.policy.Denied` (access-logged), a mode that does not allow the
    act :class:`NotAllowedInMode`, a bad field :class:`ValidationError`, a move the status table
    forbids :class:`~luvat.projects.status.InvalidTransition`. ``locked`` are the applications
    the caller already holds locked (by id); the others are locked here.
    """
    rules = rules_for(actor)
    pks = {act_on.application.pk for act_on in acts}
    held = dict(locked or {})
    missing = pks - held.keys()
    if missing:
        held.update(lock_applications(missing))
    on = [(held[act_on.application.pk], act_on) for act_on in acts]

    # 1. May the actor handle each application's authority and service?
    _authorise(actor, [(application, ACTS[type(act_on.act)].purpose) for application, act_on in on])

    # 2. Does the joining mode allow it, are its fields right, does the table allow the move?
    current = {pk: application.status for pk, application in held.items()}
    changes: list[StatusChange] = []
    for application, act_on in on:
        act = act_on.act
        if rules.mode_limits_acts and not allowed_in_mode(application, type(act)):
            raise NotAllowedInMode(
                _(
                    "This cannot be recorded for this service: the customer answers the "
                    "supplement request here."
                )
                if ACTS[type(act)].only_when_answered_elsewhere
                else _(
                    "This service is handled in the authority's own e-service: record only its "
                    "arrival and the decision here."
                )
            )
        errors = _errors(act_on, rules)
        told = act_on.authority_status
        if told is not None and (
            told.authority_id != application.authority_id or told.public_status != target_of(act)
        ):
            errors["authority_status"] = _(
                "The authority's own status does not stand for this status."
            )
        if errors:
            raise ValidationError(errors)
        for status in path_of(application, current[application.pk], act):
            check_transition(current[application.pk], status)
            current[application.pk] = status
            if status == target_of(act):
                outcome = act.outcome if isinstance(act, DecisionMade) else ""
                changes.append(
                    StatusChange(
                        application,
                        status,
                        _note(act_on),
                        outcome,
                        authority_status=act_on.authority_status,
                    )
                )
            else:
                note = _in_default_language(SUBMITTED_ELSEWHERE)
                changes.append(StatusChange(application, status, note))
    documents = {
        index: checked_pdf(act_on.act.document)
        for index, (_application, act_on) in enumerate(on)
        if isinstance(act_on.act, DecisionMade) and act_on.act.document is not None
    }

    # 3. Supplement requests, before the change so that the case file's listener sees the
    # customer's due date. One open request per application: asking again replaces it.
    done = [ActDone(application) for application, _act_on in on]
    asked = [
        (index, application, act_on)
        for index, (application, act_on) in enumerate(on)
        if isinstance(act_on.act, SupplementAsked)
    ]
    if asked:
        open_requests = {
            request.application_id: request
            for request in SupplementRequest.objects.filter(
                application_id__in={application.pk for _i, application, _a in asked},
                answered_at__isnull=True,
            )
        }
        replaced: dict[int, SupplementRequest] = {}
        created: dict[int, SupplementRequest] = {}
        for index, application, act_on in asked:
            act = act_on.act
            if not isinstance(act, SupplementAsked) or act.due_on is None:
                continue  # refused above: a request always has its due date
            request = open_requests.get(application.pk) or created.get(application.pk)
            if request is None:
                request = SupplementRequest(application=application)
                created[application.pk] = request
            elif request.pk is not None:
                replaced[application.pk] = request
            request.text = act.text.strip()
            request.due_on = act.due_on
            request.requested_at = act_on.occurred_at or timezone.now()
            request.requested_by_ref = actor.ref
            request.requested_by_label = actor.label
            done[index].supplement = request
        if replaced:
            SupplementRequest.objects.bulk_update(
                list(replaced.values()),
                ["text", "due_on", "requested_at", "requested_by_ref", "requested_by_label"],
            )
        if len(created) == 1:
            next(iter(created.values())).save(force_insert=True)
        elif created:
            SupplementRequest.objects.bulk_create(list(created.values()))

    # 3b. A supplement received elsewhere answers the open request (one statement).
    received = {
        application.pk for application, act_on in on if isinstance(act_on.act, SupplementReceived)
    }
    if received:
        SupplementRequest.objects.filter(
            application_id__in=received, answered_at__isnull=True
        ).update(
            answer=_in_default_language(RECEIVED_ELSEWHERE),
            answered_at=timezone.now(),
            answered_by_ref=actor.ref,
            answered_by_label=actor.label,
        )

    # 4. The decisions (a decision is made once: the table lets no application reach "decision
    # made" twice), their documents stored first and removed again if the change fails.
    decisions: list[tuple[Decision, UploadedFile | None]] = []
    for index, (application, act_on) in enumerate(on):
        act = act_on.act
        if not isinstance(act, DecisionMade) or act.decided_on is None:
            continue  # a decision always has its date (refused above without one)
        link = act.link
        decision = Decision(
            application=application,
            outcome=act.outcome,
            decided_on=act.decided_on,
            summary=act.summary.strip(),
            document_url=link.url if link else "",
            document_name=link.file_name if link else "",
            document_sha256=link.sha256 if link else "",
            recorded_by_ref=actor.ref,
            recorded_by_label=actor.label,
        )
        if act.document is not None:
            decision.document_name = (act.document.name or "decision.pdf")[-255:]
            decision.document_size = act.document.size or 0
            decision.document_sha256 = documents[index]
        decisions.append((decision, act.document))
        done[index].decision = decision
    try:
        for decision, document in decisions:
            if document is not None:
                decision.document.save("decision", document, save=False)
        if len(decisions) == 1:
            decisions[0][0].save(force_insert=True)
        elif decisions:
            Decision.objects.bulk_create([decision for decision, _document in decisions])

        # 5. Every status change at once (the case files follow as a status listener).
        if changes:
            applications_status_change(changes=changes, actor=actor)
    except Exception:
        for decision, _document in decisions:
            if decision.document.name:
                decision.document.storage.delete(decision.document.name)
        raise

    # 6. The authority's case references, in one statement.
    references: dict[int, str] = {}
    for application, act_on in on:
        act = act_on.act
        if isinstance(act, Received):
            references[application.pk] = act.case_reference.strip()
        elif act_on.case_reference.strip():
            references[application.pk] = act_on.case_reference.strip()
    if references:
        CaseFile.objects.filter(application_id__in=references.keys()).update(
            case_reference=Case(
                *(When(application_id=pk, then=Value(ref)) for pk, ref in references.items()),
                output_field=CharField(),
            )
        )

    # 7. The official's acts are audited one by one as back-office actions.
    if rules.audits_acts:
        audited = []
        for entry, (application, act_on) in zip(done, on, strict=True):
            act = act_on.act
            action = ACTS[type(act)].audit_action
            if isinstance(act, Received):
                audited.append(
                    Audited(action, application, {"case_reference": act.case_reference.strip()})
                )
            elif isinstance(act, SupplementAsked) and entry.supplement is not None:
                details = {"application": application.reference, "due_on": act.due_on}
                audited.append(Audited(action, entry.supplement, details))
            elif isinstance(act, DecisionMade) and entry.decision is not None:
                details = {
                    "application": application.reference,
                    "outcome": act.outcome,
                    "sha256": entry.decision.document_sha256,
                }
                audited.append(Audited(action, entry.decision, details))
            else:
                audited.append(Audited(action, application, {}))
        audit_record_many(actor=actor, entries=audited)
    return done


# -- acknowledging a change of shared data -------------------------------------------------------

ACKNOWLEDGE_PURPOSE = "backoffice:acknowledge"


@dataclass(frozen=True)
class ChangeAcknowledged:
    """The authority has taken a change of the project's shared data into account. Not a
    status: the application stays where it is."""

    change: Submission  # a submission of kind "shared_data_change"
    # When the authority did it, where the door knows (an authority system's occurred_at).
    occurred_at: datetime | None = None


@transaction.atomic
def changes_acknowledge(
    *,
    acknowledgements: Sequence[ChangeAcknowledged],
    actor: Actor,
    locked: Mapping[int, Application] | None = None,
) -> list[Submission]:
    """Acknowledge changes of shared data for the actor's authority (an official's button, an
    authority system's ``shared_data_acknowledged`` event). Each application must be one the
    actor may handle (the identity policy; a refusal raises
    :class:`~luvat.identity.policy.Denied`, access-logged); a change acknowledged before keeps
    its first acknowledgement. Returns the changes acknowledged now."""
    rules = rules_for(actor)
    pks = {item.change.application_id for item in acknowledgements}
    held = dict(locked or {})
    missing = pks - held.keys()
    if missing:
        held.update(lock_applications(missing))
    scopes: dict[str, frozenset[str] | None] = {}
    for pk in sorted(pks):
        application = held[pk]
        authority = application.authority
        allowed = False
        if authority is not None:
            if authority.code not in scopes:
                scopes[authority.code] = service_codes_for(actor, authority.code)
            scope = scopes[authority.code]
            allowed = scope is None or application.service.code in scope
        authorise(
            actor,
            allowed,
            object_type="application",
            object_id=application.public_id,
            purpose=ACKNOWLEDGE_PURPOSE,
            subject_business_id=application.project.business_id,
        )
    fresh = list(
        Submission.objects.select_for_update()
        .filter(
            pk__in=[item.change.pk for item in acknowledgements],
            kind=SubmissionKind.SHARED_DATA_CHANGE,
            acknowledged_at__isnull=True,
        )
        .order_by("id")
    )
    if not fresh:
        return []
    now = timezone.now()
    when = {item.change.pk: item.occurred_at or now for item in acknowledgements}
    shared_data_changes_acknowledged(
        changes=[(change, when[change.pk]) for change in fresh], actor=actor
    )
    if rules.audits_acts:
        audit_record_many(
            actor=actor,
            entries=[
                Audited(
                    "backoffice.shared_data_acknowledge",
                    held[change.application_id],
                    {"change": change.reference},
                )
                for change in fresh
            ],
        )
    return fresh
