"""How far a customer is with one application, as GOV.UK's task list shows it: the form, the
attachments, and the submission. One table says what each state means; the page only asks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from luvat.projects.schema_forms import validate_form
from luvat.projects.status import Status


class TaskState(StrEnum):
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    CANNOT_START = "cannot_start"
    SUBMITTED = "submitted"


# The label and GOV.UK tag colour of each state ("" is plain text, as GOV.UK shows "Completed").
STATES: dict[TaskState, tuple[Any, str]] = {
    TaskState.COMPLETED: (_("Completed"), ""),
    TaskState.INCOMPLETE: (_("Incomplete"), "blue"),
    TaskState.CANNOT_START: (_("Cannot start yet"), ""),
    TaskState.SUBMITTED: (_("Submitted"), "green"),
}


@dataclass(frozen=True)
class Task:
    name: Any
    anchor: str  # where on the application page the task is done
    state: TaskState

    @property
    def label(self) -> Any:
        return STATES[self.state][0]

    @property
    def colour(self) -> str:
        return STATES[self.state][1]


def application_progress(
    *,
    schema: Mapping[str, Any],
    data: Mapping[str, Any],
    attachment_specs: Sequence[Mapping[str, Any]],
    status: str,
) -> list[Task]:
    """The application's three tasks: its form, its required attachments, its submission."""
    if status != Status.DRAFT:
        done = TaskState.SUBMITTED
        return [
            Task(_("Fill in the details"), "application-form", TaskState.COMPLETED),
            Task(_("Attach the documents"), "attachments-title", TaskState.COMPLETED),
            Task(_("Submit the application"), "receipts-title", done),
        ]
    form_done = not validate_form(schema, data)
    files_done = all(spec["files"] for spec in attachment_specs if spec.get("required"))
    tasks = [Task(_("Fill in the details"), "application-form", _state(form_done))]
    if attachment_specs:
        tasks.append(Task(_("Attach the documents"), "attachments-title", _state(files_done)))
    ready = form_done and files_done
    tasks.append(
        Task(
            _("Submit the application"),
            "submit-actions",
            TaskState.INCOMPLETE if ready else TaskState.CANNOT_START,
        )
    )
    return tasks


def _state(done: bool) -> TaskState:
    return TaskState.COMPLETED if done else TaskState.INCOMPLETE
