"""Reads of the back office, each a fixed number of queries whatever the number of cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.backoffice.access import application_ref, is_draft_for_authority
from luvat.backoffice.models import NO_DUE_DATE, CaseFile, Decision, SupplementRequest, inbox_due
from luvat.catalogue.joining import meaning
from luvat.catalogue.models import Authority, Municipality, Service, VocabularyField
from luvat.catalogue.snapshot import snapshot
from luvat.identity.policy import (
    Part,
    authority_codes_for,
    authority_q,
    can_read_application,
    can_read_company,
)
from luvat.projects.models import (
    Application,
    SharedDataValue,
    StatusEvent,
    Submission,
    SubmissionKind,
)
from luvat.projects.models.applications import Attachment
from luvat.projects.selectors import shown_value
from luvat.projects.status import PENDING_AT_AUTHORITY, Status

PAGE_SIZE = 50
SOON_DAYS = 7
OPEN = "open"
# Counts are exact up to this many; beyond it the inbox says "over 1,000". Counting every case
# of a large authority grows with the data (66 ms at 200,000 open cases); a capped count reads
# at most this many index entries per figure.
COUNT_CAP = 1000


@dataclass(frozen=True)
class PageKey:
    """A case's place in the inbox order: its due date (NO_DUE_DATE when it has none), its id."""

    due: date
    id: int

    def __str__(self) -> str:
        return f"{self.due.isoformat()}.{self.id}"

    @classmethod
    def parse(cls, text: str) -> PageKey | None:
        """The key a pagination link carries, or None for anything else (a hand-edited URL)."""
        due, _, pk = text.partition(".")
        try:
            return cls(due=date.fromisoformat(due), id=int(pk))
        except ValueError:
            return None


@dataclass(frozen=True)
class InboxFilters:
    status: str = OPEN  # "open", "" (all) or one status
    service: str = ""
    municipality: str = ""
    due: str = ""  # "", "overdue" or "soon"
    # Which page: the first (neither), the one after or before a case's key, or the last.
    after: PageKey | None = None
    before: PageKey | None = None
    last: bool = False


@dataclass(frozen=True)
class Tally:
    """A count, exact up to COUNT_CAP; ``more`` when there are more than ``value``."""

    value: int
    more: bool = False


@dataclass
class InboxRow:
    case: CaseFile
    application: Application
    service: Service | None
    overdue: bool
    soon: bool

    @property
    def key(self) -> PageKey:
        return PageKey(due=self.case.due_on or NO_DUE_DATE, id=self.case.pk)


@dataclass
class ChangeRow:
    """A change of shared data sent to an application's authority, field by field."""

    change: Submission
    application: Application
    fields: list[dict[str, Any]]

    @property
    def acknowledged(self) -> bool:
        return self.change.acknowledged_at is not None


def change_rows(changes: Sequence[Submission]) -> list[ChangeRow]:
    """Each change with its fields' labels in the viewer's language and the values as shown
    (one query for the labels, none without changes)."""
    codes = {
        item["code"] for change in changes for item in (change.snapshot or {}).get("changes", [])
    }
    labels = (
        {f.code: f.label for f in VocabularyField.objects.filter(code__in=sorted(codes))}
        if codes
        else {}
    )
    return [
        ChangeRow(
            change=change,
            application=change.application,
            fields=[
                {
                    "code": item["code"],
                    "label": labels.get(item["code"], item["code"]),
                    "old_text": shown_value(item.get("old")),
                    "new_text": shown_value(item.get("new")),
                }
                for item in (change.snapshot or {}).get("changes", [])
            ],
        )
        for change in changes
    ]


def changes_to_acknowledge(
    actor: Actor, *, scope: QuerySet[CaseFile] | None = None, limit: int = PAGE_SIZE
) -> list[ChangeRow]:
    """The changes of shared data sent to the actor's authority (within its services: the
    inbox's ``scope``) that nobody has acknowledged yet, oldest first (one query, and one for
    the fields' labels when there are changes)."""
    scope = inbox_scope(actor) if scope is None else scope
    changes = list(
        _waiting_changes(scope)
        .select_related("application__project", "application__service")
        .order_by("arrived_at", "id")[:limit]
    )
    return change_rows(changes)


def _waiting_changes(scope: QuerySet[CaseFile]) -> QuerySet[Submission]:
    """The changes of shared data sent to the applications of ``scope``, not acknowledged."""
    return Submission.objects.filter(
        application_id__in=scope.values("application_id"),
        kind=SubmissionKind.SHARED_DATA_CHANGE,
        acknowledged_at__isnull=True,
    )


@dataclass
class Inbox:
    authority: Authority | None
    rows: list[InboxRow]
    counts: dict[str, Tally]
    open_count: Tally
    total: Tally
    has_previous: bool
    has_next: bool
    services: list[Service]
    municipalities: list[Municipality]
    today: date
    # Changes of shared data sent to the authority and not yet acknowledged, oldest first.
    to_acknowledge: list[ChangeRow] = field(default_factory=list)

    @property
    def next_key(self) -> PageKey | None:
        return self.rows[-1].key if self.has_next and self.rows else None

    @property
    def previous_key(self) -> PageKey | None:
        return self.rows[0].key if self.has_previous and self.rows else None


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


def _capped_counts(parts: Mapping[str, QuerySet[Any]]) -> dict[str, Tally]:
    """Each queryset's count up to COUNT_CAP, all in one statement: each figure reads at most
    COUNT_CAP + 1 index entries, so the inbox costs the same at 50,000 cases as at 200,000."""
    selects: list[str] = []
    params: list[Any] = []
    for queryset in parts.values():
        try:
            sql, part_params = (
                queryset.order_by().values("id")[: COUNT_CAP + 1].query.sql_with_params()
            )
        except EmptyResultSet:  # a scope that can match nothing (an official without a role)
            selects.append("0")
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608 (ORM SQL)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return {
        name: Tally(value=min(n, COUNT_CAP), more=n > COUNT_CAP)
        for name, n in zip(parts, row, strict=True)
    }


# What an inbox row shows: no JSON columns (form data, answers), no catalogue rows (the
# service comes from the catalogue snapshot by the case file's service code).
_ROW_FIELDS = (
    *("id", "application_id", "service_code", "status", "arrived_at", "due_on", "due_kind"),
    "case_reference",
    *("application__public_id", "application__reference", "application__status"),
    "application__project_id",
    *("application__project__company_name", "application__project__business_id"),
    "application__project__name",
)


def _page(filtered: QuerySet[CaseFile], filters: InboxFilters) -> tuple[list[CaseFile], bool, bool]:
    """The page's cases in inbox order, whether there is a page before it and one after it.
    Keyset pagination on (due date, id): the page's PAGE_SIZE + 1 ids are read in order from
    an index, from the key on (no OFFSET), then only those rows are joined."""
    due = inbox_due()
    ordered = filtered.annotate(inbox_due=due)
    backwards = filters.last or filters.before is not None
    if filters.after is not None:
        key = filters.after
        ordered = ordered.filter(
            Q(inbox_due__gte=key.due), Q(inbox_due__gt=key.due) | Q(id__gt=key.id)
        )
    elif filters.before is not None:
        key = filters.before
        ordered = ordered.filter(
            Q(inbox_due__lte=key.due), Q(inbox_due__lt=key.due) | Q(id__lt=key.id)
        )
    order = ("-inbox_due", "-id") if backwards else ("inbox_due", "id")
    ids = ordered.order_by(*order).values("id")[: PAGE_SIZE + 1]
    cases: list[CaseFile] = list(
        CaseFile.objects.filter(pk__in=ids)
        .annotate(inbox_due=due)
        .select_related("application__project")
        .only(*_ROW_FIELDS)
        .order_by(*order)
    )
    more = len(cases) > PAGE_SIZE
    cases = cases[:PAGE_SIZE]
    if backwards:
        cases.reverse()
        return cases, more, not filters.last
    return cases, filters.after is not None, more


# The counts statement's figure for the changes of shared data waiting to be acknowledged.
_WAITING = "changes-to-acknowledge"


def inbox(actor: Actor, filters: InboxFilters, *, today: date | None = None) -> Inbox:
    """The actor's authority's cases: overdue and nearest due first, a page at a time by
    keyset, counts per status exact up to COUNT_CAP, the choices of the filters and the changes
    of shared data to acknowledge. Six queries with any filter, however many cases: the actor's
    role and scope (three), the catalogue's revision (the authority, services and
    municipalities come from the snapshot), the counts (with whether changes wait), the page;
    seven when the page before the first is asked for (the first page); two more when changes
    wait to be acknowledged (the changes and their fields' labels)."""
    today = today or timezone.localdate()
    codes = authority_codes_for(actor)
    catalogue = snapshot()
    authority = next((a for a in catalogue.authorities if a.code in codes), None)
    scope = inbox_scope(actor)
    filtered = _filtered(scope, filters, today)
    parts: dict[str, QuerySet[Any]] = {
        status: scope.filter(status=status) for status in Status.values if status != Status.DRAFT
    }
    parts[OPEN] = scope.filter(status__in=sorted(PENDING_AT_AUTHORITY))
    parts[""] = scope
    parts[_WAITING] = _waiting_changes(scope)
    narrowed = bool(filters.service or filters.municipality or filters.due)
    if narrowed:
        parts["filtered"] = filtered
    counts = _capped_counts(parts)
    open_count, everything = counts.pop(OPEN), counts.pop("")
    changes_wait = counts.pop(_WAITING).value > 0
    if narrowed:
        total = counts.pop("filtered")
    elif filters.status == OPEN:
        total = open_count
    elif filters.status in Status.values:
        total = counts.get(filters.status, Tally(0))
    else:
        total = everything
    counts = {status: tally for status, tally in counts.items() if tally.value}
    cases, has_previous, has_next = _page(filtered, filters)
    if filters.before is not None and not cases:
        # Nothing before the key any more (those cases were handled meanwhile): the first page.
        cases, has_previous, has_next = _page(filtered, InboxFilters())
    rows = [
        InboxRow(
            case=case,
            application=case.application,
            service=catalogue.services.get(case.service_code),
            overdue=case.due_on is not None and case.due_on < today,
            soon=case.due_on is not None
            and today <= case.due_on <= today + timedelta(days=SOON_DAYS),
        )
        for case in cases
    ]
    kind = authority.kind if authority else ""
    services = sorted(
        (s for s in catalogue.services.values() if s.authority_kind == kind),
        key=lambda s: (s.name_fi, s.code),
    )
    municipalities = sorted(
        (
            m
            for m in catalogue.municipalities.values()
            if authority is None or authority.nationwide or m.code in catalogue.served[authority.pk]
        ),
        key=lambda m: (m.name_fi, m.code),
    )
    return Inbox(
        authority=authority,
        rows=rows,
        counts=counts,
        open_count=open_count,
        total=total,
        has_previous=has_previous,
        has_next=has_next,
        services=services,
        municipalities=municipalities,
        today=today,
        to_acknowledge=changes_to_acknowledge(actor, scope=scope) if changes_wait else [],
    )


def find_by_reference(actor: Actor, reference: str) -> Application | None:
    """An application of the actor's authority by its reference, drafts of redirect-mode
    services included (the customer gives the reference in the authority's own e-service)."""
    reference = reference.strip().upper()
    if not reference:
        return None
    application = (
        Application.objects.filter(authority_q(actor, "authority__code", "service__code"))
        .filter(Q(reference=reference) | Q(elsewhere_reference__iexact=reference))
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
    # The changes of shared data sent to this application's authority, acknowledged or not.
    changes: list[ChangeRow] = field(default_factory=list)

    @property
    def changes_to_acknowledge(self) -> list[ChangeRow]:
        return [row for row in self.changes if not row.acknowledged]

    @property
    def open_supplement(self) -> SupplementRequest | None:
        return next((s for s in self.supplements if s.is_open), None)

    @property
    def is_redirect(self) -> bool:
        """Filled in the authority's own e-service (the joining mode's meaning)."""
        return not meaning(self.application.route).submitted_here


def case_view(actor: Actor, application: Application) -> CaseView:
    """What an official sees of an application they may read: their own case in full; the
    project context (shared data, the other applications' status and decision), and the changes
    of shared data sent to it. Nine queries."""
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
        changes=_changes_of(application) if full else [],
    )


def _changes_of(application: Application) -> list[ChangeRow]:
    changes = list(
        application.submissions.filter(kind=SubmissionKind.SHARED_DATA_CHANGE).order_by(
            "arrived_at", "id"
        )
    )
    for change in changes:
        change.application = application
    return change_rows(changes)


def _labelled_shared(values: dict[str, Any]) -> list[tuple[str, Any]]:
    """In the vocabulary's order (then by code): never the storage's key order, which
    PostgreSQL's jsonb shuffles."""
    fields = list(VocabularyField.objects.filter(code__in=list(values)))  # Meta: order, code
    known = [(f.label, values[f.code]) for f in fields]
    seen = {f.code for f in fields}
    return known + [(code, values[code]) for code in sorted(values) if code not in seen]


def _labelled_form(application: Application, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """In the form's own field order (kept by ``FormSchemaField``), unknown names last."""
    properties = (application.service.form_schema or {}).get("properties", {})
    rank = {name: n for n, name in enumerate(properties)}
    names = sorted(values, key=lambda name: (rank.get(name, len(rank)), name))
    return [(str(properties.get(name, {}).get("title") or name), values[name]) for name in names]


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


def open_supplement_due_dates(application_ids: Sequence[int]) -> dict[int, date]:
    """When the open supplement request of each application is due (one query)."""
    return dict(
        SupplementRequest.objects.filter(
            application_id__in=list(application_ids), answered_at__isnull=True
        ).values_list("application_id", "due_on")
    )
