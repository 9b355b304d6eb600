"""Keeping each application's case file in step with its status (a projects status listener)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from luvat.backoffice.models import CaseFile, DueKind, SupplementRequest
from luvat.projects.deadlines import application_deadlines, deadline_inputs_of
from luvat.projects.models import Application, StatusEvent
from luvat.projects.status import Status


def due_dates(
    applications: Sequence[Application], *, today: date | None = None
) -> dict[int, tuple[date | None, str]]:
    """When the authority's next step is due for each application: the customer's supplement
    due date while a supplement is requested, else the expected decision date (the clock
    stopped while waiting). Two queries at most."""
    waiting = [a.pk for a in applications if a.status == Status.SUPPLEMENT_REQUESTED]
    others = [a.pk for a in applications if a.status != Status.SUPPLEMENT_REQUESTED]
    supplement_due: dict[int, date] = {}
    if waiting:
        open_requests = SupplementRequest.objects.filter(
            application_id__in=waiting, answered_at__isnull=True
        ).values_list("application_id", "due_on")
        supplement_due = dict(open_requests)
    histories: dict[int, list[tuple[str, date]]] = defaultdict(list)
    if others:
        rows = (
            StatusEvent.objects.filter(application_id__in=others)
            .order_by("application_id", "occurred_at", "id")
            .values_list("application_id", "status", "occurred_at")
        )
        for application_id, status, at in rows:
            histories[application_id].append((status, timezone.localdate(at)))
    today = today or timezone.localdate()
    result: dict[int, tuple[date | None, str]] = {}
    for application in applications:
        if application.status == Status.SUPPLEMENT_REQUESTED:
            due = supplement_due.get(application.pk)
            result[application.pk] = (due, DueKind.SUPPLEMENT if due else "")
            continue
        inputs = deadline_inputs_of(application)
        deadlines = application_deadlines(
            status=application.status,
            history=histories[application.pk],
            starts_on=None,  # the inbox shows the decision's date, not the submission window
            lead_days=None,
            lead_in_working_days=inputs.lead_in_working_days,
            processing_days=inputs.processing_days,
            submission_counts_as_receipt=inputs.submission_counts_as_receipt,
            today=today,
        )
        if deadlines.expected_decision is None:
            result[application.pk] = (None, "")
        else:
            result[application.pk] = (deadlines.expected_decision, DueKind.DECISION)
    return result


def case_files_refresh(changes: Sequence[tuple[Application, StatusEvent | None]]) -> None:
    """The status listener: bring the case files of the changed applications up to date, in a
    fixed number of statements (the applications are locked by the caller, so no race)."""
    applications = list(
        {
            application.pk: application
            for application, _event in changes
            if application.status != Status.DRAFT and application.authority_id is not None
        }.values()
    )
    if not applications:
        return
    due = due_dates(applications)
    now = timezone.now()
    values = {}
    for application in applications:
        authority = application.authority
        values[application.pk] = {
            "authority_code": authority.code if authority else "",
            "service_code": application.service.code,
            "municipality_code": application.project.municipality_code,
            "status": application.status,
            "arrived_at": application.submitted_at or now,
            "due_on": due[application.pk][0],
            "due_kind": due[application.pk][1],
            "updated_at": now,
        }
    # One UPDATE per distinct set of values (applications of one batch mostly share them);
    # those without a case file yet are created.
    same_values: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for pk, fields in values.items():
        same_values[tuple(sorted(fields.items()))].append(pk)
    updated: set[int] = set()
    for group, pks in same_values.items():
        changed = CaseFile.objects.filter(application_id__in=pks).update(**dict(group))
        if changed == len(pks):
            updated.update(pks)
        else:
            updated.update(
                CaseFile.objects.filter(application_id__in=pks).values_list(
                    "application_id", flat=True
                )
            )
    missing = [CaseFile(application_id=pk, **values[pk]) for pk in values if pk not in updated]
    if missing:
        CaseFile.objects.bulk_create(missing)
