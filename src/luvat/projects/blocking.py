"""What is blocking the company: every item waiting for the customer over all its projects,
nearest deadline first.

The items come from what the project summary already decides per application (its next action
and deadlines, its shared-data changes not yet sent, its critical-path prerequisites), so the
list and each project's summary can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils import timezone

from luvat.projects.deadlines import DeadlineKind
from luvat.projects.models import Application, Project
from luvat.projects.selectors import ApplicationRow, ProjectSummary, project_summaries

# At most this many projects are read for the list (the project list shows as many).
PROJECT_LIMIT = 100


class BlockingKind(StrEnum):
    ACTION = "action"  # the next action is the customer's (fill in, supplement, continue…)
    CHANGE = "change"  # a shared-data change not yet sent to an authority
    DEPENDENCY = "dependency"  # a draft waits for a decision it must follow


@dataclass(frozen=True)
class BlockingItem:
    project: Project
    row: ApplicationRow
    kind: BlockingKind
    deadline: date | None
    deadline_kind: DeadlineKind | None
    # For DEPENDENCY: the application whose decision is awaited.
    waits_for: Application | None = None

    @property
    def sort_key(self) -> tuple[int, date, str, str]:
        return (
            self.deadline is None,
            self.deadline or date.max,
            self.project.name,
            self.row.application.reference,
        )


def blocking_items(summary: ProjectSummary) -> list[BlockingItem]:
    """The items of one project waiting for the customer, nearest deadline first."""
    items: list[BlockingItem] = []
    project = summary.project
    for row in summary.live_rows:
        nearest = row.deadlines.customer_deadline
        if row.next_action.customer_must_act:
            items.append(
                BlockingItem(
                    project=project,
                    row=row,
                    kind=BlockingKind.ACTION,
                    deadline=nearest[0] if nearest else None,
                    deadline_kind=nearest[1] if nearest else None,
                )
            )
        if row.changed_shared_data:
            items.append(
                BlockingItem(
                    project=project,
                    row=row,
                    kind=BlockingKind.CHANGE,
                    deadline=None,
                    deadline_kind=None,
                )
            )
        for needed in row.needs_undecided:
            expected = summary.path.dates[needed.pk].expected_decision
            items.append(
                BlockingItem(
                    project=project,
                    row=row,
                    kind=BlockingKind.DEPENDENCY,
                    deadline=expected,
                    deadline_kind=DeadlineKind.DECISION if expected else None,
                    waits_for=needed,
                )
            )
    return sorted(items, key=lambda item: item.sort_key)


def company_blocking(*, business_id: str, today: date | None = None) -> list[BlockingItem]:
    """Every blocking item of the company's projects, nearest deadline first (a fixed number
    of queries, however many projects)."""
    today = today or timezone.localdate()
    projects: Iterable[Project] = (
        Project.objects.filter(business_id=business_id)
        .select_related("package")
        .order_by("-updated_at", "-id")[:PROJECT_LIMIT]
    )
    items = [
        item
        for summary in project_summaries(projects=list(projects), today=today)
        for item in blocking_items(summary)
    ]
    return sorted(items, key=lambda item: item.sort_key)
