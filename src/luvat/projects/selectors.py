"""Reads for the project views and API, each a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.catalogue.models import (
    LeadTimeUnit,
    Municipality,
    Service,
    VocabularyField,
)
from luvat.projects.critical_path import (
    CriticalPath,
    LatestDates,
    PathDates,
    PathStep,
    critical_path,
)
from luvat.projects.deadlines import (
    ApplicationDeadlines,
    DeadlineKind,
    DeadlineWarning,
    application_deadlines,
    deadline_inputs,
    deadline_inputs_of,
)
from luvat.projects.fees import FeeTotal, fee_total
from luvat.projects.gantt import Gantt, build_gantt
from luvat.projects.hooks import supplement_due_dates
from luvat.projects.models import (
    Application,
    Attachment,
    KeptFormInput,
    Project,
    SharedDataValue,
    StatusEvent,
    Submission,
    SubmissionKind,
)
from luvat.projects.next_actions import NextAction, next_action
from luvat.projects.services.kept_input import KEPT_FOR
from luvat.projects.services.projects import shared_data_differences
from luvat.projects.status import PENDING_AT_AUTHORITY, Status
from luvat.projects.timeline import Timeline, build_timeline

LIST_LIMIT = 100


def project_of_company(*, business_id: str, public_id: UUID | str) -> Project:
    """One project of the company, or 404 (also when it exists but belongs to someone else)."""
    try:
        return Project.objects.select_related("package").get(
            public_id=public_id, business_id=business_id
        )
    except (Project.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such project") from None


def application_of_project(*, project: Project, public_id: UUID | str) -> Application:
    try:
        application = Application.objects.select_related("service", "authority").get(
            project=project, public_id=public_id
        )
    except (Application.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such application") from None
    application.project = project
    return application


def attachment_of_application(*, application: Application, public_id: UUID | str) -> Attachment:
    """One file of the application (404 for another application's or none)."""
    try:
        attachment = Attachment.objects.get(application=application, public_id=public_id)
    except (Attachment.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such attachment") from None
    attachment.application = application
    return attachment


@dataclass
class ProjectListItem:
    project: Project
    applications: int
    drafts: int
    pending: int
    decided: int
    needs_action: int
    next_submission_deadline: date | None
    warning: DeadlineWarning
    # The nearest date of any kind over the project's applications, with its kind.
    nearest: tuple[date, DeadlineKind] | None = None


def company_projects(*, business_id: str, today: date | None = None) -> list[ProjectListItem]:
    """The company's projects, newest activity first, with counts and the nearest submission
    deadline. Two queries."""
    today = today or timezone.localdate()
    projects = list(
        Project.objects.filter(business_id=business_id).order_by("-updated_at", "-id")[:LIST_LIMIT]
    )
    rows = (
        Application.objects.filter(project__in=[p.pk for p in projects])
        .values(
            "id",
            "project_id",
            "status",
            "joining_mode",
            "service__joining_mode",
            "service__lead_time_days",
            "service__lead_time_unit",
            "service__processing_time_days",
        )
        .order_by()
    )
    per_project: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        per_project[row["project_id"]].append(row)
    every = [row for apps in per_project.values() for row in apps]
    # One more query each, only when some application waits for the authority or a supplement.
    pending_ids = [row["id"] for row in every if row["status"] in PENDING_AT_AUTHORITY]
    histories: dict[int, list[tuple[str, date]]] = defaultdict(list)
    if pending_ids:
        zone = timezone.get_current_timezone()  # once, not once per event (issue 17)
        for application_id, status, at in (
            StatusEvent.objects.filter(application_id__in=pending_ids)
            .order_by("application_id", "occurred_at", "id")
            .values_list("application_id", "status", "occurred_at")
        ):
            histories[application_id].append((status, at.astimezone(zone).date()))
    supplement_due = supplement_due_dates(
        [row["id"] for row in every if row["status"] == Status.SUPPLEMENT_REQUESTED]
    )
    items = []
    for project in projects:
        apps = per_project.get(project.pk, [])
        deadlines = [
            application_deadlines(
                status=row["status"],
                history=(),
                starts_on=project.starts_on,
                lead_days=row["service__lead_time_days"],
                lead_in_working_days=row["service__lead_time_unit"] == LeadTimeUnit.WORKING_DAYS,
                processing_days=None,
                submission_counts_as_receipt=False,
                today=today,
            )
            for row in apps
            if row["status"] == Status.DRAFT
        ]
        dates = [d.latest_submission for d in deadlines if d.latest_submission is not None]
        every_kind = [
            replace(
                application_deadlines(
                    status=row["status"],
                    history=histories.get(row["id"], ()),
                    starts_on=project.starts_on,
                    today=today,
                    **deadline_inputs(
                        mode=row["joining_mode"] or row["service__joining_mode"],
                        processing_days=row["service__processing_time_days"],
                        lead_days=row["service__lead_time_days"],
                        lead_unit=row["service__lead_time_unit"],
                    ).as_kwargs(),  # type: ignore[arg-type]
                ),
                supplement_due=supplement_due.get(row["id"]),
            ).nearest
            for row in apps
            if row["status"] == Status.DRAFT or row["status"] in PENDING_AT_AUTHORITY
        ]
        known = [item for item in every_kind if item is not None]
        warnings = {d.warning for d in deadlines}
        statuses = [row["status"] for row in apps]
        items.append(
            ProjectListItem(
                project=project,
                applications=len([s for s in statuses if s not in {Status.CANCELLED}]),
                drafts=statuses.count(Status.DRAFT),
                pending=len([s for s in statuses if s in PENDING_AT_AUTHORITY]),
                decided=len([s for s in statuses if s in {Status.DECISION_MADE, Status.CLOSED}]),
                needs_action=statuses.count(Status.DRAFT)
                + statuses.count(Status.SUPPLEMENT_REQUESTED),
                next_submission_deadline=min(dates) if dates else None,
                nearest=min(known, key=lambda item: item[0]) if known else None,
                warning=DeadlineWarning.CLOSED
                if DeadlineWarning.CLOSED in warnings
                else DeadlineWarning.CLOSES_SOON
                if DeadlineWarning.CLOSES_SOON in warnings
                else DeadlineWarning.NONE,
            )
        )
    return items


@dataclass
class ApplicationRow:
    application: Application
    deadlines: ApplicationDeadlines
    next_action: NextAction
    depends_on: list[Application] = field(default_factory=list)
    events: list[StatusEvent] = field(default_factory=list)
    changed_shared_data: list[dict[str, Any]] = field(default_factory=list)
    # Changes of shared data sent to the authority, each acknowledged by it or not yet.
    sent_changes: list[Submission] = field(default_factory=list)
    # Expected dates on the project's critical path (None for dropped applications).
    path: PathDates | None = None
    # What keeps the planned opening (the backward pass; None for dropped applications).
    latest: LatestDates | None = None
    # On the chain of applications to the latest expected decision.
    on_longest_path: bool = False

    @property
    def submitted_before_needed(self) -> list[Application]:
        """Applications this one needs that were not decided when it was submitted."""
        early = set(self.path.submitted_before) if self.path else set()
        return [a for a in self.depends_on if a.pk in early]

    @property
    def needs_undecided(self) -> list[Application]:
        """Applications this draft needs that are not decided yet (submitting now is early)."""
        pending = set(self.path.pending_prerequisites) if self.path else set()
        return [a for a in self.depends_on if a.pk in pending]

    @property
    def last_change(self) -> datetime:
        return self.application.status_changed_at

    @property
    def is_live(self) -> bool:
        return self.application.status not in {Status.CANCELLED, Status.WITHDRAWN}


@dataclass
class ProjectSummary:
    project: Project
    rows: list[ApplicationRow]
    shared_values: list[SharedDataValue]
    timeline: Timeline
    today: date
    path: CriticalPath = field(
        default_factory=lambda: CriticalPath(dates={}, longest=(), unknown=())
    )
    gantt: Gantt | None = None

    @property
    def fees(self) -> FeeTotal:
        return fee_total(row.application.service for row in self.live_rows)

    @property
    def longest_path(self) -> list[ApplicationRow]:
        """The chain of applications to the latest expected decision, first step first."""
        by_key = {row.application.pk: row for row in self.live_rows}
        return [by_key[key] for key in self.path.longest if key in by_key]

    @property
    def unknown_path_rows(self) -> list[ApplicationRow]:
        unknown = set(self.path.unknown)
        return [row for row in self.live_rows if row.application.pk in unknown]

    @property
    def late_rows(self) -> list[ApplicationRow]:
        """Applications that cannot keep the planned opening, in path order."""
        by_key = {row.application.pk: row for row in self.live_rows}
        return [by_key[key] for key in self.path.late if key in by_key]

    @property
    def submitted_early(self) -> list[ApplicationRow]:
        return [row for row in self.live_rows if row.submitted_before_needed]

    @property
    def live_rows(self) -> list[ApplicationRow]:
        return [row for row in self.rows if row.is_live]

    @property
    def dropped_rows(self) -> list[ApplicationRow]:
        return [row for row in self.rows if not row.is_live]

    @property
    def shared_data(self) -> dict[str, Any]:
        return {value.field.code: value.value for value in self.shared_values}

    @property
    def rows_with_sent_changes(self) -> list[ApplicationRow]:
        return [row for row in self.rows if row.sent_changes]

    @property
    def rows_with_changes(self) -> list[ApplicationRow]:
        return [row for row in self.rows if row.changed_shared_data]

    @property
    def warnings(self) -> list[ApplicationRow]:
        return [row for row in self.live_rows if row.deadlines.warning != DeadlineWarning.NONE]


def project_summary(*, project: Project, today: date | None = None) -> ProjectSummary:
    """Every application with its authority, status, last change, deadlines and next action,
    plus shared data, the critical path, the timeline and the changes of shared data sent to
    the authorities with their acknowledgements. Five queries, however many applications."""
    return project_summaries(projects=[project], today=today)[0]


def project_summaries(
    *, projects: list[Project], today: date | None = None
) -> list[ProjectSummary]:
    """:func:`project_summary` of several projects (the company's blocking list) in the same
    fixed number of queries, however many projects and applications."""
    today = today or timezone.localdate()
    if not projects:
        return []
    ids = [p.pk for p in projects]
    applications: dict[int, list[Application]] = defaultdict(list)
    for application in (
        Application.objects.filter(project__in=ids)
        .select_related("service", "authority", "authority_status")
        .order_by("id")
    ):
        applications[application.project_id].append(application)
    shared: dict[int, list[SharedDataValue]] = defaultdict(list)
    for value in (
        SharedDataValue.objects.filter(project__in=ids)
        .select_related("field")
        .order_by("field__order", "field__code")
    ):
        shared[value.project_id].append(value)
    events: dict[int, list[StatusEvent]] = defaultdict(list)
    for event in StatusEvent.objects.filter(application__project__in=ids).order_by(
        "application_id", "occurred_at", "id"
    ):
        events[event.application_id].append(event)
    every = [a for apps in applications.values() for a in apps]
    dependencies: dict[int, list[int]] = defaultdict(list)
    through = Service.depends_on.through.objects.filter(
        from_service_id__in={a.service_id for a in every if a.status not in _DROPPED}
    )
    for from_id, to_id in through.values_list("from_service_id", "to_service_id"):
        dependencies[from_id].append(to_id)
    supplement_due = supplement_due_dates(
        [a.pk for a in every if a.status == Status.SUPPLEMENT_REQUESTED]
    )
    sent_changes: dict[int, list[Submission]] = defaultdict(list)
    for change in Submission.objects.filter(
        application__project__in=ids, kind=SubmissionKind.SHARED_DATA_CHANGE
    ).order_by("arrived_at", "id"):
        sent_changes[change.application_id].append(change)
    return [
        _summary(
            project=project,
            applications=applications.get(project.pk, []),
            shared_values=shared.get(project.pk, []),
            events=events,
            dependencies=dependencies,
            supplement_due=supplement_due,
            sent_changes=sent_changes,
            today=today,
        )
        for project in projects
    ]


_DROPPED = frozenset({Status.CANCELLED, Status.WITHDRAWN})


def _summary(
    *,
    project: Project,
    applications: list[Application],
    shared_values: list[SharedDataValue],
    events: dict[int, list[StatusEvent]],
    dependencies: dict[int, list[int]],
    supplement_due: dict[int, date],
    sent_changes: dict[int, list[Submission]],
    today: date,
) -> ProjectSummary:
    by_service = {a.service_id: a for a in applications if a.status not in _DROPPED}
    current = {value.field.code: value.value for value in shared_values}
    rows = []
    zone = timezone.get_current_timezone()
    for application in applications:
        application.project = project
        service = application.service
        history = [
            (e.status, e.occurred_at.astimezone(zone).date())
            for e in events.get(application.pk, [])
        ]
        inputs = deadline_inputs_of(application)
        deadlines = application_deadlines(
            status=application.status,
            history=history,
            starts_on=project.starts_on,
            lead_days=inputs.lead_days,
            lead_in_working_days=inputs.lead_in_working_days,
            processing_days=inputs.processing_days,
            submission_counts_as_receipt=inputs.submission_counts_as_receipt,
            today=today,
        )
        if application.pk in supplement_due:
            deadlines = replace(deadlines, supplement_due=supplement_due[application.pk])
        changes = (
            shared_data_differences(
                sent=application.shared_data_sent, current=current, service=service
            )
            if application.status in PENDING_AT_AUTHORITY
            else []
        )
        rows.append(
            ApplicationRow(
                application=application,
                deadlines=deadlines,
                next_action=next_action(application, deadlines),
                depends_on=[
                    by_service[s] for s in dependencies.get(service.pk, []) if s in by_service
                ],
                events=events.get(application.pk, []),
                changed_shared_data=changes,
                sent_changes=sent_changes.get(application.pk, []),
            )
        )
    _label_changes(rows, {value.field.code: value.field for value in shared_values})
    live = [row for row in rows if row.is_live]
    path = critical_path(
        steps=[_path_step(row) for row in live], today=today, opening=project.starts_on
    )
    for row in live:
        row.path = path.dates.get(row.application.pk)
        row.latest = path.latest.get(row.application.pk)
        row.on_longest_path = row.application.pk in path.longest
    return ProjectSummary(
        project=project,
        rows=rows,
        shared_values=shared_values,
        timeline=build_timeline(project=project, rows=live, today=today),
        today=today,
        path=path,
        gantt=build_gantt(path=path, rows=live, today=today),
    )


def application_row(*, project: Project, application: Application) -> ApplicationRow | None:
    """One live application as the summary sees it (its expected dates, what it must follow);
    None when it was dropped or withdrawn."""
    summary = project_summary(project=project)
    return next((r for r in summary.live_rows if r.application.pk == application.pk), None)


def _path_step(row: ApplicationRow) -> PathStep:
    """The critical-path input of one live application: its processing time through the
    deadline inputs, its dependencies in the project and the days it was submitted and
    decided."""
    application = row.application
    submitted: date | None = None
    if application.status != Status.DRAFT:
        at = application.submitted_at or next(
            (e.occurred_at for e in row.events if e.status != Status.DRAFT), None
        )
        submitted = timezone.localdate(at or application.status_changed_at)
    decided = (
        timezone.localdate(application.decided_at)
        if application.decided_at is not None
        and application.status in {Status.DECISION_MADE, Status.CLOSED}
        else None
    )
    return PathStep(
        key=application.pk,
        processing_days=deadline_inputs_of(application).processing_days,
        depends_on=tuple(a.pk for a in row.depends_on),
        submitted_on=submitted,
        decided_on=decided,
        pending_expected=row.deadlines.expected_decision,
    )


def _label_changes(rows: list[ApplicationRow], known: dict[str, VocabularyField]) -> None:
    """Give each shared-data change its field's label in the viewer's language and its values
    as shown (dates in Finnish form); one query only for fields no longer set."""
    codes = {c["code"] for row in rows for c in row.changed_shared_data} - set(known)
    if codes:
        known = known | {f.code: f for f in VocabularyField.objects.filter(code__in=codes)}
    for row in rows:
        for change in row.changed_shared_data:
            field = known.get(change["code"])
            change["label"] = field.label if field is not None else change["code"]
            change["old_text"] = shown_value(change["old"])
            change["new_text"] = shown_value(change["new"])


def shown_value(value: Any) -> str:
    """A shared-data value for a reader: ISO dates as 12.6.2027, nothing as a dash."""
    if value is None or value == "":
        return "\u2013"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day}.{day.month}.{day.year}"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def vocabulary_fields() -> list[VocabularyField]:
    return list(VocabularyField.objects.order_by("order", "code"))


def application_receipts(application: Application) -> list[Submission]:
    return list(application.submissions.order_by("arrived_at", "id"))


def submission_of_project(*, project: Project, public_id: UUID | str) -> Submission:
    try:
        return Submission.objects.select_related(
            "application__service", "application__authority"
        ).get(public_id=public_id, application__project=project)
    except (Submission.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such receipt") from None


def form_input_kept(*, person_id: int, application: Application) -> dict[str, list[str]] | None:
    """The fields kept for the person in this application's form, if fresh enough (one
    query)."""
    kept = KeptFormInput.objects.filter(
        person_id=person_id, application=application, kept_at__gte=timezone.now() - KEPT_FOR
    ).first()
    return dict(kept.fields) if kept else None


def municipality_choices() -> list[tuple[str, str]]:
    """(code, name in the viewer's language) of the mainland municipalities in force, by name
    (one query)."""
    today = timezone.localdate()
    rows = Municipality.objects.filter(aland=False).exclude(valid_until__lt=today)
    return sorted(((m.code, m.name) for m in rows), key=lambda pair: pair[1])
