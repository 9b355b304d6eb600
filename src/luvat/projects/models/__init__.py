"""Projects: a company's permits driven forward as one project, with shared data entered once."""

from luvat.projects.models.applications import (
    Application,
    Attachment,
    EventSource,
    StatusEvent,
    Submission,
    SubmissionKind,
    authority_has,
    goes_by,
)
from luvat.projects.models.kept_input import KeptFormInput
from luvat.projects.models.projects import Project, Provenance, SharedDataValue

__all__ = [
    "Application",
    "Attachment",
    "EventSource",
    "KeptFormInput",
    "Project",
    "Provenance",
    "SharedDataValue",
    "StatusEvent",
    "Submission",
    "SubmissionKind",
    "authority_has",
    "goes_by",
]
