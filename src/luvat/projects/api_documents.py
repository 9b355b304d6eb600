"""Documents and problems of the projects API: model rows as the JSON the schemas describe,
and the services' errors as RFC 9457 problems."""

from __future__ import annotations

from typing import Any

from luvat.projects.errors import (
    AttachmentRejected,
    IncompleteApplication,
    InvalidServiceChoice,
    InvalidSharedData,
    NotAllowedInMode,
    NotOffered,
    StaleVersion,
)
from luvat.projects.evidence import EvidenceImmutable
from luvat.projects.exports import application_document
from luvat.projects.models import Application, Attachment, Project, Submission
from luvat.projects.selectors import ApplicationRow, project_summary
from luvat.projects.services.projects import shared_data_current
from luvat.projects.snapshots import effective_form_data
from luvat.projects.status import InvalidTransition
from luvat.web.api_errors import ApiProblem


def problem_from(error: Exception) -> ApiProblem:
    if isinstance(error, StaleVersion):
        return ApiProblem(
            status=409,
            slug="stale-version",
            detail="Someone changed this meanwhile; reload and apply your change again.",
            current_version=error.current,
        )
    if isinstance(error, IncompleteApplication):
        return ApiProblem(
            status=422,
            slug="incomplete-application",
            detail="The application cannot be submitted; see errors.",
            errors=[{"field": f, "messages": m} for f, m in error.errors.items()],
        )
    if isinstance(error, InvalidServiceChoice):
        return ApiProblem(
            status=422,
            slug="validation-error",
            detail="Some chosen services cannot be added; see errors.",
            errors=[{"field": f, "messages": m} for f, m in error.errors.items()],
        )
    if isinstance(error, InvalidSharedData):
        return ApiProblem(
            status=422,
            slug="invalid-shared-data",
            detail="Some shared-data values are not valid; see errors.",
            errors=[{"field": f, "messages": m} for f, m in error.errors.items()],
        )
    if isinstance(error, InvalidTransition):
        return ApiProblem(
            status=409,
            slug="invalid-transition",
            detail=str(error),
            current_status=error.current,
        )
    if isinstance(error, NotOffered):
        return ApiProblem(status=409, slug="not-offered", detail=str(error))
    if isinstance(error, NotAllowedInMode):
        return ApiProblem(status=409, slug="wrong-joining-mode", detail=str(error))
    if isinstance(error, EvidenceImmutable):
        return ApiProblem(
            status=409, slug="evidence-immutable", detail=error.message, reason=error.reason
        )
    if isinstance(error, AttachmentRejected):
        return ApiProblem(
            status=422, slug="attachment-rejected", detail=error.message, reason=error.reason
        )
    raise error


PROBLEMS = (
    StaleVersion,
    IncompleteApplication,
    InvalidServiceChoice,
    InvalidSharedData,
    InvalidTransition,
    NotAllowedInMode,
    AttachmentRejected,
)


def project_document(project: Project) -> dict[str, Any]:
    summary = project_summary(project=project)
    applications = []
    for row in summary.rows:
        document = application_document(row, [])
        applications.append(
            {
                **document,
                "service_code": document["service"]["code"],
                "service_name": document["service"]["name"],
                "authority_code": (document["authority"] or {}).get("code"),
                "authority_name": (document["authority"] or {}).get("name"),
                "next_action": {
                    **document["next_action"],
                    "customer_must_act": row.next_action.customer_must_act,
                },
                "critical_path": _application_path(row),
            }
        )
    return {
        "id": project.public_id,
        "reference": project.reference,
        "name": project.name,
        "description": project.description,
        "business_id": project.business_id,
        "company_name": project.company_name,
        "version": project.version,
        "starts_on": project.starts_on,
        "shared_data": [
            {
                "code": v.field.code,
                "label": v.field.label,
                "value": v.value,
                "provenance": v.provenance,
                "changed_at": v.changed_at,
            }
            for v in summary.shared_values
        ],
        "applications": applications,
        "pending_shared_data_changes": [
            {
                "application_id": row.application.public_id,
                "reference": row.application.reference,
                "changes": row.changed_shared_data,
            }
            for row in summary.rows_with_changes
        ],
        "critical_path": {
            "planned_opening": summary.path.opening,
            "feasible": summary.path.feasible,
            "earliest_opening": summary.path.earliest_opening,
            "expected_end": summary.path.expected_end,
            "longest_path": [row.application.public_id for row in summary.longest_path],
        },
    }


def _application_path(row: ApplicationRow) -> dict[str, Any] | None:
    """The row's dates as the summary page's critical-path table shows them."""
    if row.path is None:
        return None
    latest = row.latest
    return {
        "earliest_submission": row.path.earliest_submission,
        "latest_submission": None if latest is None else latest.latest_submission,
        "expected_decision": row.path.expected_decision,
        "decision_needed_by": None if latest is None else latest.latest_decision,
        "slack_days": None if latest is None else latest.slack,
        "submitted": row.path.submitted,
        "decided": row.path.decided,
        "on_longest_path": row.on_longest_path,
    }


def form_document(project: Project, application: Application) -> dict[str, Any]:
    mapping = dict(application.service.shared_data_mapping or {})
    return {
        "id": application.public_id,
        "reference": application.reference,
        "status": application.status,
        "version": application.version,
        "project_version": project.version,
        "form_schema": application.service.form_schema or {},
        "shared_fields": mapping,
        "data": effective_form_data(
            form_data=application.form_data, mapping=mapping, shared=shared_data_current(project)
        ),
        "attachments": [attachment_document(a) for a in application.attachments.order_by("id")],
        "attachment_types": list(application.service.attachments or []),
    }


def receipt_document(receipt: Submission) -> dict[str, Any]:
    return {
        "id": receipt.public_id,
        "kind": receipt.kind,
        "reference": receipt.reference,
        "arrived_at": receipt.arrived_at,
        "sha256": receipt.sha256,
        "snapshot": receipt.snapshot,
    }


def attachment_document(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.public_id,
        "code": attachment.code,
        "file_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }
