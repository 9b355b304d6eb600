"""Schemas of the projects API (``<Thing>In`` / ``<Thing>Out``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class ProjectListItemOut(Schema):
    id: UUID
    reference: str
    name: str
    applications: int
    waiting_for_customer: int
    at_authorities: int
    decided: int
    next_submission_deadline: date | None
    warning: str = Field(description='"", "closes_soon" or "closed"')


class ProjectIn(Schema):
    name: str = Field(
        default="",
        max_length=200,
        description="required without assessment_id; defaults to the package's name with it",
    )
    description: str = ""
    assessment_id: UUID | None = Field(
        default=None,
        description="a stored permit-need assessment: its suggested services become draft "
        "applications and its answers shared data (provenance `assessment`); a second "
        "create from the same assessment returns the first project (200)",
    )
    service_codes: list[str] | None = Field(
        default=None,
        description="catalogue service codes; with assessment_id, the suggested services to "
        "keep (all of them when omitted)",
    )
    shared_data: dict[str, Any] = Field(
        default_factory=dict, description="vocabulary code → value, typed once for the project"
    )


class SharedValueOut(Schema):
    code: str
    label: str
    value: Any
    provenance: str
    changed_at: datetime


class NextActionOut(Schema):
    code: str
    text: str
    customer_must_act: bool


class AuthorityStatusOut(Schema):
    code: str = Field(description="the authority's own status code")
    label: str = Field(description="its label in the language asked (Accept-Language)")
    public_status: str = Field(description="the public status it stands for (= `status`)")


class ApplicationPathOut(Schema):
    """One application's dates on the project's critical path (the summary page's table)."""

    earliest_submission: date | None = Field(
        description="the earliest day it can be submitted after the decisions it must follow; "
        "the day it was submitted, once it was; null: a prerequisite's date is unknown"
    )
    latest_submission: date | None = Field(
        description="submitted by then, it is expected decided by `decision_needed_by`; null "
        "without a planned opening or processing time"
    )
    expected_decision: date | None = Field(
        description="the expected decision day; the decision day, once decided"
    )
    decision_needed_by: date | None = Field(
        description="the latest decision that keeps the planned opening (the opening, or "
        "earlier the latest submission of a draft that waits for it)"
    )
    slack_days: int | None = Field(
        description="days it may slip with the planned opening kept; negative: that many "
        "days too late; null while unknown"
    )
    submitted: bool
    decided: bool
    on_longest_path: bool = Field(
        description="on the chain of applications to the latest expected decision"
    )


class ProjectPathOut(Schema):
    """The project's critical path as a whole."""

    planned_opening: date | None = Field(description="the project's start date counted back from")
    feasible: bool | None = Field(
        description="every permit can be decided by the planned opening; null without an "
        "opening or while a slack is unknown"
    )
    earliest_opening: date | None = Field(
        description="the earliest opening by which every permit can be decided; null while "
        "any expected decision is unknown"
    )
    expected_end: date | None = Field(
        description="the last expected decision on the longest path (known dates only)"
    )
    longest_path: list[UUID] = Field(description="ids of the applications on it, first first")


class ApplicationOut(Schema):
    id: UUID
    reference: str
    service_code: str
    service_name: str
    authority_code: str | None
    authority_name: str | None
    joining_mode: str
    status: str
    status_label: str
    authority_status: AuthorityStatusOut | None = Field(
        description="the handling authority's own, finer status, when its system told one"
    )
    outcome: str
    last_change: datetime
    latest_submission_date: date | None
    expected_decision_date: date | None
    clock_stopped: bool
    warning: str
    next_action: NextActionOut
    depends_on: list[str] = Field(description="references of applications this one waits for")
    critical_path: ApplicationPathOut | None = Field(
        description="its dates on the project's critical path; null once dropped or withdrawn"
    )


class ChangeOut(Schema):
    code: str
    old: Any
    new: Any


class PendingChangeOut(Schema):
    application_id: UUID
    reference: str
    changes: list[ChangeOut]


class ProjectOut(Schema):
    id: UUID
    reference: str
    name: str
    description: str
    business_id: str
    company_name: str
    version: int = Field(description="send back as `version` when changing shared data")
    starts_on: date | None
    shared_data: list[SharedValueOut]
    applications: list[ApplicationOut]
    pending_shared_data_changes: list[PendingChangeOut]
    critical_path: ProjectPathOut


class SharedDataIn(Schema):
    values: dict[str, Any] = Field(description='vocabulary code → value; null or "" clears')
    version: int | None = Field(default=None, description="the project version you edited")


class PropagateIn(Schema):
    application_ids: list[UUID] | None = Field(
        default=None, description="only these applications; all with changes when omitted"
    )


class ApplicationAddIn(Schema):
    service_code: str


class ApplicationFormOut(Schema):
    id: UUID
    reference: str
    status: str
    version: int
    project_version: int
    form_schema: dict[str, Any]
    shared_fields: dict[str, str] = Field(description="form property → shared-data code")
    data: dict[str, Any] = Field(description="the answers, shared fields filled from shared data")
    attachments: list[AttachmentOut]
    attachment_types: list[dict[str, Any]]


class FormIn(Schema):
    data: dict[str, Any]
    version: int | None = None
    project_version: int | None = None


class SubmitIn(Schema):
    version: int | None = None


class AttachmentOut(Schema):
    id: UUID
    code: str
    file_name: str
    content_type: str
    size: int
    sha256: str


class ReceiptOut(Schema):
    id: UUID
    kind: str
    reference: str
    arrived_at: datetime
    sha256: str
    snapshot: dict[str, Any]


class RedirectOut(Schema):
    url: str


ApplicationFormOut.model_rebuild()
