"""Reads of the back office, each a fixed number of queries whatever the number of cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.backoffice.access import application_ref, is_draft_for_authority
from luvat.backoffice.models import CaseFile, Decision, SupplementRequest
from luvat.catalogue.models import Authority, JoiningMode, Municipality, Service, VocabularyField
from luvat.identity.policy import (
    Part,
    authority_codes_for,
    authority_q,
    can_read_application,
    can_read_company,
)
from luvat.projects.models import Application, SharedDataValue, StatusEvent, Submission
from luvat.projects.models.applications import Attachment
from luvat.projects.status import PENDING_AT_AUTHORITY, Status

PAGE_SIZE = 50
SOON_DAYS = 7
OPEN = "open"


@dataclass(frozen=True)
class InboxFilters:
    status: str = OPEN  # "open", "" (all) or one status
    service: str = ""
    municipality: str = ""
    due: str = ""  # "", "overdue" or "soon"
    page: int = 1


@dataclass
class InboxRow:
    case: CaseFile
    application: Application
    overdue: bool
    soon: bool


@dataclass
class Inbox:
    authority: Authority | None
    rows: list[InboxRow]
    counts: dict[str, int]
    total: int
    page: int
    pages: int
    services: list[Service]
    municipalities: list[Municipality]
    today: date

    @property
    def open_count(self) -> int:
        return sum(n for status, n in self.counts.items() if status in PENDING_AT_AUTHORITY)


def inbox_scope(actor: Actor) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(authority_q(actor, "authority_code", "service_code"))


def _filtered(scope: QuerySet[CaseFile], filters: InboxFilters, today: date) -> QuerySet[CaseFile]:
    if filters.status == OPEN:
        scope = scope.filter(status__in=sorted(PENDING_AT_AUTHORITY))
    elif filters.status in Status.values:
        scope = scope.filter(status=filters.status)
    if filters.service:
        scope = scope.filter(service_code=filters.service)
    if filters.municipality:
        scope = scope.filter(municipality_code=filters.municipality)
    if filters.due == "overdue":
        scope = scope.filter(due_on__lt=today)
    elif filters.due == "soon":
        scope = scope.filter(due_on__gte=today, due_on__lte=today + timedelta(days=SOON_DAYS))
    return scope


def inbox(actor: Actor, filters: InboxFilters, *, today: date | None = None) -> Inbox:
    """The actor's authority's cases: overdue and nearest due first, counts per status, and the
    choices of the filters. Nine queries (four of them the actor's role and scope), ten with a
    service, municipality or deadline filter, however many cases."""
    today = today or timezone.localdate()
    codes = sorted(authority_codes_for(actor))
    authority = Authority.objects.filter(code__in=codes).order_by("code").first()
    scope = inbox_scope(actor)
    counts = dict(
        scope.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    filtered = _filtered(scope, filters, today)
    if filters.service or filters.municipality or filters.due:
        total = filtered.count()
    elif filters.status == OPEN:
        total = sum(n for status, n in counts.items() if status in PENDING_AT_AUTHORITY)
    else:
        total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    cases = list(
        filtered.select_related(
            "application__project", "application__service", "application__authority"
        ).order_by(F("due_on").asc(nulls_last=True), "id")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    rows = [
        InboxRow(
            case=case,
            application=case.application,
            overdue=case.due_on is not None and case.due_on < today,
            soon=case.due_on is not None
            and today <= case.due_on <= today + timedelta(days=SOON_DAYS),
        )
        for case in cases
    ]
    kind = authority.kind if authority else ""
    services = list(Service.objects.filter(authority_kind=kind).order_by("name_fi", "code"))
    if authority is not None and not authority.nationwide:
        municipalities = list(authority.municipalities.order_by("name_fi"))
    else:
        municipalities = list(Municipality.objects.order_by("name_fi"))
    return Inbox(
        authority=authority,
        rows=rows,
        counts=counts,
        total=total,
        page=page,
        pages=pages,
        services=services,
        municipalities=municipalities,
        today=today,
    )


def find_by_reference(actor: Actor, reference: str) -> Application | None:
    """An application of the actor's authority by its reference, drafts of redirect-mode
    services included (the customer gives the reference in the authority's own e-service)."""
    reference = reference.strip().upper()
    if not reference:
        return None
    application = (
        Application.objects.filter(authority_q(actor, "authority__code", "service__code"))
        .filter(reference=reference)
        .select_related("service")
        .first()
    )
    if application is None or is_draft_for_authority(application):
        return None
    return application


@dataclass
class OtherApplication:
    application: Application
    decision: Decision | None


@dataclass
class CaseView:
    application: Application
    submission: Submission | None
    events: list[StatusEvent]
    attachments: list[Attachment]
    supplements: list[SupplementRequest]
    decision: Decision | None
    shared_values: list[SharedDataValue]
    others: list[OtherApplication]
    case_reference: str
    can_handle: bool
    may_see_shared_data: bool
    submitted_shared: list[tuple[str, Any]] = field(default_factory=list)
    submitted_form: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def open_supplement(self) -> SupplementRequest | None:
        return next((s for s in self.supplements if s.is_open), None)

    @property
    def is_redirect(self) -> bool:
        return self.application.route == JoiningMode.REDIRECT


def case_view(actor: Actor, application: Application) -> CaseView:
    """What an official sees of an application they may read: their own case in full; the
    project context (shared data, the other applications' status and decision). Seven queries."""
    project = application.project
    others_all = list(
        Application.objects.filter(project=project)
        .exclude(pk=application.pk)
        .select_related("service", "authority")
        .order_by("id")
    )
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(application__project=project).select_related(None)
    }
    authority = application.authority
    own_codes = authority_codes_for(actor)
    handling = {a.authority.code for a in [application, *others_all] if a.authority} & own_codes
    project_codes = frozenset(
        a.authority.code
        for a in [application, *others_all]
        if a.authority and not is_draft_for_authority(a) and a.status != Status.CANCELLED
    )
    ref = application_ref(application, project_codes)
    full = can_read_application(actor, ref, Part.ATTACHMENTS)
    others = [
        OtherApplication(application=other, decision=decisions.get(other.pk))
        for other in others_all
        if can_read_application(actor, application_ref(other, project_codes), Part.STATUS)
    ]
    submission = (
        application.submissions.filter(kind="application").order_by("arrived_at", "id").first()
    )
    case_file: CaseFile | None = getattr(application, "case_file", None)
    snapshot: dict[str, Any] = dict(submission.snapshot or {}) if submission else {}
    return CaseView(
        application=application,
        submission=submission,
        events=list(application.status_events.order_by("occurred_at", "id")),
        attachments=list(application.attachments.order_by("id")) if full else [],
        supplements=list(application.supplement_requests.order_by("requested_at", "id")),
        decision=decisions.get(application.pk),
        shared_values=list(
            SharedDataValue.objects.filter(project=project)
            .select_related("field")
            .order_by("field__order", "field__code")
        )
        if can_read_company(actor, project.business_id, handling_authority_codes=handling)
        else [],
        others=others,
        case_reference=case_file.case_reference if case_file else "",
        can_handle=full and authority is not None and authority.code in own_codes,
        may_see_shared_data=bool(handling),
        submitted_shared=_labelled_shared(snapshot.get("shared_data", {})) if full else [],
        submitted_form=_labelled_form(application, snapshot.get("form", {})) if full else [],
    )


def _labelled_shared(values: dict[str, Any]) -> list[tuple[str, Any]]:
    labels = {f.code: f.label for f in VocabularyField.objects.filter(code__in=list(values))}
    return [(labels.get(code, code), value) for code, value in values.items()]


def _labelled_form(application: Application, values: dict[str, Any]) -> list[tuple[str, Any]]:
    properties = (application.service.form_schema or {}).get("properties", {})
    return [
        (str(properties.get(name, {}).get("title") or name), value)
        for name, value in values.items()
    ]


def open_supplements_of(application: Application) -> list[SupplementRequest]:
    return list(application.supplement_requests.filter(answered_at__isnull=True))


def customer_case(application: Application) -> tuple[SupplementRequest | None, Decision | None]:
    """The customer's view of the back office's part: the open supplement request and the
    decision (two queries)."""
    request = application.supplement_requests.filter(answered_at__isnull=True).first()
    decision = Decision.objects.filter(application=application).first()
    return request, decision


def attachment_of(application: Application, public_id: Any) -> Attachment | None:
    return application.attachments.filter(public_id=public_id).first()


def decision_of(application: Application) -> Decision | None:
    return Decision.objects.filter(application=application).first()


def supplement_of_company(public_id: Any, business_id: str) -> SupplementRequest | None:
    return (
        SupplementRequest.objects.select_related(
            "application__project", "application__service", "application__authority"
        )
        .filter(public_id=public_id)
        .filter(Q(application__project__business_id=business_id))
        .first()
    )
