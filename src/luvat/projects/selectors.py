"""Reads for the project views and API, each a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from luvat.catalogue.models import JoiningMode, LeadTimeUnit, Service, VocabularyField
from luvat.projects.deadlines import ApplicationDeadlines, DeadlineWarning, application_deadlines
from luvat.projects.models import Application, Project, SharedDataValue, StatusEvent, Submission
from luvat.projects.next_actions import NextAction, next_action
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
            "project_id",
            "status",
            "service__lead_time_days",
            "service__lead_time_unit",
            "service__processing_time_days",
        )
        .order_by()
    )
    per_project: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        per_project[row["project_id"]].append(row)
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
    def rows_with_changes(self) -> list[ApplicationRow]:
        return [row for row in self.rows if row.changed_shared_data]

    @property
    def warnings(self) -> list[ApplicationRow]:
        return [row for row in self.live_rows if row.deadlines.warning != DeadlineWarning.NONE]


def project_summary(*, project: Project, today: date | None = None) -> ProjectSummary:
    """Every application with its authority, status, last change, deadlines and next action,
    plus shared data and the timeline. Four queries, however many applications."""
    today = today or timezone.localdate()
    applications = list(
        Application.objects.filter(project=project)
        .select_related("service", "authority")
        .order_by("id")
    )
    shared_values = list(
        SharedDataValue.objects.filter(project=project)
        .select_related("field")
        .order_by("field__order", "field__code")
    )
    events: dict[int, list[StatusEvent]] = defaultdict(list)
    for event in StatusEvent.objects.filter(application__project=project).order_by(
        "application_id", "occurred_at", "id"
    ):
        events[event.application_id].append(event)
    by_service = {
        a.service_id: a for a in applications if a.status not in {"cancelled", "withdrawn"}
    }
    dependencies: dict[int, list[int]] = defaultdict(list)
    through = Service.depends_on.through.objects.filter(from_service_id__in=list(by_service))
    for from_id, to_id in through.values_list("from_service_id", "to_service_id"):
        dependencies[from_id].append(to_id)
    current = {value.field.code: value.value for value in shared_values}
    rows = []
    for application in applications:
        application.project = project
        service = application.service
        history = [
            (e.status, timezone.localdate(e.occurred_at)) for e in events.get(application.pk, [])
        ]
        deadlines = application_deadlines(
            status=application.status,
            history=history,
            starts_on=project.starts_on,
            lead_days=service.lead_time_days,
            lead_in_working_days=service.lead_time_unit == LeadTimeUnit.WORKING_DAYS,
            processing_days=service.processing_time_days,
            submission_counts_as_receipt=application.route == JoiningMode.LIGHT,
            today=today,
        )
        changes = (
            shared_data_differences(sent=application.shared_data_sent, current=current)
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
            )
        )
    live = [row for row in rows if row.is_live]
    return ProjectSummary(
        project=project,
        rows=rows,
        shared_values=shared_values,
        timeline=build_timeline(project=project, rows=live, today=today),
        today=today,
    )


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
