"""Keeping each application's case file in step with its status (a projects status listener)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from luvat.backoffice.models import CaseFile, DueKind, SupplementRequest
from luvat.catalogue.models import JoiningMode, LeadTimeUnit
from luvat.projects.deadlines import application_deadlines
from luvat.projects.models import Application, StatusEvent
from luvat.projects.status import Status


def due_date(application: Application, *, today: date | None = None) -> tuple[date | None, str]:
    """When the authority's next step is due: the customer's supplement due date while a
    supplement is requested, else the expected decision date (the clock stopped while waiting)."""
    if application.status == Status.SUPPLEMENT_REQUESTED:
        due = (
            SupplementRequest.objects.filter(application=application, answered_at__isnull=True)
            .values_list("due_on", flat=True)
            .first()
        )
        return due, DueKind.SUPPLEMENT if due else ""
    service = application.service
    history = [
        (status, timezone.localdate(at))
        for status, at in StatusEvent.objects.filter(application=application)
        .order_by("occurred_at", "id")
        .values_list("status", "occurred_at")
    ]
    deadlines = application_deadlines(
        status=application.status,
        history=history,
        starts_on=None,
        lead_days=None,
        lead_in_working_days=service.lead_time_unit == LeadTimeUnit.WORKING_DAYS,
        processing_days=service.processing_time_days,
        submission_counts_as_receipt=service.joining_mode == JoiningMode.LIGHT,
        today=today or timezone.localdate(),
    )
    if deadlines.expected_decision is None:
        return None, ""
    return deadlines.expected_decision, DueKind.DECISION


def case_file_refresh(application: Application, event: StatusEvent | None = None) -> None:
    """Create or update the case file of an application that has reached its authority."""
    if application.status == Status.DRAFT or application.authority_id is None:
        return
    due_on, due_kind = due_date(application)
    authority = application.authority
    values = {
        "authority_code": authority.code if authority else "",
        "service_code": application.service.code,
        "municipality_code": application.project.municipality_code,
        "status": application.status,
        "arrived_at": application.submitted_at or timezone.now(),
        "due_on": due_on,
        "due_kind": due_kind,
        "updated_at": timezone.now(),
    }
    # The application row is locked by the caller, so update-else-create cannot race; one
    # statement on every later status change instead of update_or_create's lock, read, write.
    if not CaseFile.objects.filter(application=application).update(**values):
        CaseFile.objects.create(application=application, **values)
