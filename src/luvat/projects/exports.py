"""A project as one JSON document: what the customer can keep or hand over."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from luvat.projects.models import Application, Project, Submission
from luvat.projects.selectors import ApplicationRow, project_summary


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _authority_status(application: Application) -> dict[str, str] | None:
    """The authority's own status, shown beside the public one while it stands for it."""
    own = application.authority_status
    if own is None or own.public_status != application.status:
        return None
    return {"code": own.code, "label": own.label, "public_status": own.public_status}


def application_document(row: ApplicationRow, receipts: list[Submission]) -> dict[str, Any]:
    application = row.application
    authority = application.authority
    return {
        "id": str(application.public_id),
        "reference": application.reference,
        "service": {"code": application.service.code, "name": application.service.name},
        "authority": {"code": authority.code, "name": authority.name} if authority else None,
        "joining_mode": application.route,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "authority_status": _authority_status(application),
        "outcome": application.outcome,
        "last_change": _iso(application.status_changed_at),
        "latest_submission_date": _iso(row.deadlines.latest_submission),
        "expected_decision_date": _iso(row.deadlines.expected_decision),
        "clock_stopped": row.deadlines.clock_stopped,
        "warning": str(row.deadlines.warning),
        "next_action": {"code": row.next_action.code, "text": str(row.next_action.text)},
        "depends_on": [other.reference for other in row.depends_on],
        "events": [
            {
                "status": event.status,
                "occurred_at": _iso(event.occurred_at),
                "source": event.source,
                "note": event.note,
                "outcome": event.outcome,
            }
            for event in row.events
        ],
        "receipts": [
            {
                "id": str(receipt.public_id),
                "kind": receipt.kind,
                "reference": receipt.reference,
                "arrived_at": _iso(receipt.arrived_at),
                "sha256": receipt.sha256,
            }
            for receipt in receipts
        ],
    }


def project_export(project: Project) -> dict[str, Any]:
    """Project, shared data with provenance, applications, their histories and receipts."""
    summary = project_summary(project=project)
    receipts: dict[int, list[Submission]] = {}
    for receipt in Submission.objects.filter(application__project=project).order_by(
        "arrived_at", "id"
    ):
        receipts.setdefault(receipt.application_id, []).append(receipt)
    return {
        "format": "luvat.project-export/1",
        "exported_at": timezone.now().isoformat(),
        "project": {
            "id": str(project.public_id),
            "reference": project.reference,
            "name": project.name,
            "description": project.description,
            "business_id": project.business_id,
            "company_name": project.company_name,
            "starts_on": _iso(project.starts_on),
            "ends_on": _iso(project.ends_on),
            "version": project.version,
        },
        "shared_data": [
            {
                "code": value.field.code,
                "label": value.field.label,
                "value": value.value,
                "provenance": value.provenance,
                "changed_at": _iso(value.changed_at),
            }
            for value in summary.shared_values
        ],
        "applications": [
            application_document(row, receipts.get(row.application.pk, [])) for row in summary.rows
        ],
    }
