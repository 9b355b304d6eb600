"""Creating projects and keeping their shared data; propagating changes to authorities."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.joining import offering_for
from luvat.catalogue.models import (
    Authority,
    AuthorityResolution,
    Service,
    ServicePackage,
    VocabularyField,
)
from luvat.catalogue.selectors import resolve_authority
from luvat.identity.companies import Company, CompanyRegisterError, company_register
from luvat.integrations.models import OutboxKind
from luvat.integrations.outbox import outbox_enqueue
from luvat.projects import vocabulary
from luvat.projects.errors import InvalidSharedData, StaleVersion
from luvat.projects.hooks import ProjectFact, facts_happened
from luvat.projects.models import (
    Application,
    Project,
    Provenance,
    SharedDataValue,
    Submission,
    SubmissionKind,
)
from luvat.projects.snapshots import snapshot_sha256
from luvat.projects.status import PENDING_AT_AUTHORITY, Status
from luvat.projects.values import clean_value, is_empty

log = structlog.get_logger(__name__)


def lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def check_version(*, current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise StaleVersion(expected=expected, current=current)


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    business_id: str,
    name: str,
    description: str = "",
    company_name: str = "",
    package: ServicePackage | None = None,
    services: Iterable[Service] = (),
    shared_data: Mapping[str, Any] | None = None,
    shared_data_provenance: Provenance = Provenance.CUSTOMER,
    assessment_result_id: UUID | None = None,
    assessment_answers: Mapping[str, Any] | None = None,
) -> Project:
    """Create a company's project, its shared data and one draft application per service."""
    from luvat.projects.services.applications import application_add

    company = company_from_register(business_id)
    if company is not None:
        company_name = company_name or company.name
    project = Project.objects.create(
        business_id=business_id,
        company_name=company_name,
        name=name,
        description=description,
        package=package,
        assessment_result_id=assessment_result_id,
        assessment_answers=dict(assessment_answers or {}),
        created_by=actor.ref,
    )
    audit_record(
        actor=actor,
        action="project.create",
        target=project,
        details={"business_id": business_id, "assessment_result": str(assessment_result_id or "")},
    )
    register: dict[str, Any] = {vocabulary.COMPANY_BUSINESS_ID: business_id}
    if company is not None and company.address is not None:
        register[vocabulary.COMPANY_ADDRESS] = str(company.address)
    if company_name:
        register[vocabulary.COMPANY_NAME] = company_name
    _set_values(
        project=project, values=register, actor=actor, provenance=Provenance.COMPANY_REGISTER
    )
    if shared_data:
        _set_values(
            project=project, values=shared_data, actor=actor, provenance=shared_data_provenance
        )
    project.version = 1
    project.save(update_fields=["version"])
    for service in services:
        application_add(project=project, service=service, actor=actor)
    return project


def company_from_register(business_id: str) -> Company | None:
    """The company's register data; None when the register cannot answer (the customer then
    types the data, and nothing else waits for the register)."""
    try:
        return company_register().get(business_id)
    except CompanyRegisterError as error:
        log.warning("projects.company_register_failed", error=str(error))
        return None


def _range_errors(project: Project, cleaned: Mapping[str, Any]) -> dict[str, list[str]]:
    """An end date before its start date, with the values to be stored (one query, only when
    a date of a range is being set)."""
    errors: dict[str, list[str]] = {}
    for start_code, end_code in vocabulary.DATE_RANGES:
        if start_code not in cleaned and end_code not in cleaned:
            continue
        stored = dict(
            project.shared_values.filter(field__code__in=[start_code, end_code]).values_list(
                "field__code", "value"
            )
        )
        start = cleaned[start_code] if start_code in cleaned else stored.get(start_code)
        end = cleaned[end_code] if end_code in cleaned else stored.get(end_code)
        if start and end and str(end) < str(start):
            errors[end_code] = [_("The end date cannot be before the start date.")]
    return errors


def _set_values(
    *, project: Project, values: Mapping[str, Any], actor: Actor, provenance: str
) -> list[str]:
    """Clean and store ``values``; the changed codes. Raises InvalidSharedData naming each field.

    Vocabulary fields the catalogue does not (yet) hold are skipped for register data and
    refused for customer input.
    """
    fields = {f.code: f for f in VocabularyField.objects.filter(code__in=list(values))}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for code, raw in values.items():
        field = fields.get(code)
        if field is None:
            if provenance == Provenance.CUSTOMER:
                errors[code] = [_("There is no such shared-data field.")]
            continue
        if is_empty(raw):
            cleaned[code] = None
            continue
        try:
            cleaned[code] = clean_value(field, raw)
        except ValueError as error:
            errors[code] = [str(error)]
    business_id = cleaned.get(vocabulary.COMPANY_BUSINESS_ID)
    if provenance == Provenance.CUSTOMER and business_id and business_id != project.business_id:
        errors[vocabulary.COMPANY_BUSINESS_ID] = [
            _("The business ID is that of the company you act for (%(business_id)s).")
            % {"business_id": project.business_id}
        ]
    errors.update(_range_errors(project, cleaned))
    if errors:
        raise InvalidSharedData(errors)
    existing = {
        value.field.code: value
        for value in project.shared_values.select_related("field").filter(field__code__in=cleaned)
    }
    now = timezone.now()
    changed: list[str] = []
    for code, value in cleaned.items():
        current = existing.get(code)
        if value is None:
            if current is not None:
                current.delete()
                changed.append(code)
            continue
        if current is None:
            SharedDataValue.objects.create(
                project=project,
                field=fields[code],
                value=value,
                provenance=provenance,
                changed_at=now,
                changed_by=actor.ref,
            )
            changed.append(code)
        elif current.value != value:
            current.value = value
            current.provenance = provenance
            current.changed_at = now
            current.changed_by = actor.ref
            current.save(update_fields=["value", "provenance", "changed_at", "changed_by"])
            changed.append(code)
    columns: list[str] = []
    for code in changed:
        column = vocabulary.PROJECT_COLUMNS.get(code)
        if column is None:
            continue
        value = cleaned[code]
        if column in {"starts_on", "ends_on"}:
            value = date.fromisoformat(value) if value else None
        setattr(
            project,
            column,
            value if value is not None else "" if column == "municipality_code" else None,
        )
        columns.append(column)
    if changed:
        project.version += 1
        project.updated_at = now
        project.save(update_fields=[*columns, "version", "updated_at"])
    if "municipality_code" in columns or vocabulary.COMPANY_HOME_MUNICIPALITY in changed:
        _reresolve_draft_authorities(project)
    return changed


def authority_for(*, service: Service, project: Project) -> Authority | None:
    """Who handles ``service`` in ``project``: by the site, or by the operator's home
    municipality (shared data) for services registered where the operator is based."""
    municipality = project.municipality_code or None
    if service.authority_resolution == AuthorityResolution.HOME_MUNICIPALITY:
        home = (
            project.shared_values.filter(field__code=vocabulary.COMPANY_HOME_MUNICIPALITY)
            .values_list("value", flat=True)
            .first()
        )
        municipality = str(home) if home else municipality
    return resolve_authority(service=service, municipality_code=municipality)


def _reresolve_draft_authorities(project: Project) -> None:
    """The site decides who handles a draft; submitted applications keep their authority."""
    drafts = project.applications.filter(status=Status.DRAFT).select_related("service")
    for application in drafts:
        authority = authority_for(service=application.service, project=project)
        if authority != application.authority:
            application.authority = authority
            # The new authority's way of joining, as for an application started now.
            service = application.service
            terms = offering_for(
                authority_code=authority.code if authority else "",
                service_code=service.code,
                business_id=project.business_id,
            )
            application.joining_mode = terms.mode or service.joining_mode
            application.save(update_fields=["authority", "joining_mode"])


@transaction.atomic
def shared_data_set(
    *,
    project: Project,
    values: Mapping[str, Any],
    actor: Actor,
    provenance: Provenance = Provenance.CUSTOMER,
    expected_version: int | None = None,
) -> list[str]:
    """Set shared-data values (empty clears); returns the changed codes.

    ``expected_version`` is the project version the form was loaded at: a mismatch raises
    :class:`StaleVersion` instead of silently overwriting someone else's change.
    """
    project = lock_project(project)
    check_version(current=project.version, expected=expected_version)
    changed = _set_values(project=project, values=values, actor=actor, provenance=provenance)
    if changed:
        audit_record(
            actor=actor,
            action="project.shared_data_set",
            target=project,
            details={"fields": changed, "provenance": str(provenance)},
        )
    return changed


def shared_data_current(project: Project) -> dict[str, Any]:
    return {
        value.field.code: value.value
        for value in project.shared_values.select_related("field").order_by("field__code")
    }


def shared_data_differences(
    *, sent: Mapping[str, Any], current: Mapping[str, Any], service: Service | None = None
) -> list[dict[str, Any]]:
    """Changes between what an authority holds and the project's shared data now.

    With ``service``, only the fields that matter to it: those its form takes from the shared
    data, and the schedule and site every application depends on. A field another
    application's form added to the shared data after this one was submitted is not a change
    for this authority."""
    codes = set(sent) | set(current)
    if service is not None:
        codes &= set((service.shared_data_mapping or {}).values()) | set(vocabulary.PROJECT_COLUMNS)
    return [
        {"code": code, "old": sent.get(code), "new": current.get(code)}
        for code in sorted(codes)
        if sent.get(code) != current.get(code)
    ]


@transaction.atomic
def shared_data_change_propagate(
    *, project: Project, actor: Actor, application_ids: Collection[int] | None = None
) -> list[Submission]:
    """Send changed shared data to the authorities of submitted, still open applications
    (all of them, or those in ``application_ids``) as a supplement; one receipt each."""
    project = lock_project(project)
    current = shared_data_current(project)
    applications = (
        Application.objects.select_for_update(of=("self",))
        .filter(project=project, status__in=PENDING_AT_AUTHORITY)
        .order_by("id")
    )
    if application_ids is not None:
        applications = applications.filter(pk__in=list(application_ids))
    submissions = []
    facts: list[ProjectFact] = []
    for application in applications.select_related("service", "authority"):
        changes = shared_data_differences(
            sent=application.shared_data_sent, current=current, service=application.service
        )
        if not changes:
            continue
        application.project = project
        count = application.submissions.filter(kind=SubmissionKind.SHARED_DATA_CHANGE).count()
        arrived_at = timezone.now()
        reference = f"{application.reference}-M{count + 1}"
        snapshot = {
            "format": "luvat.shared-data-change/1",
            "reference": reference,
            "arrived_at": arrived_at.isoformat(),
            "application": {"reference": application.reference, "id": str(application.public_id)},
            "project": {"reference": project.reference, "business_id": project.business_id},
            "changes": changes,
            "shared_data": current,
        }
        submission = Submission.objects.create(
            application=application,
            kind=SubmissionKind.SHARED_DATA_CHANGE,
            reference=reference,
            arrived_at=arrived_at,
            snapshot=snapshot,
            sha256=snapshot_sha256(snapshot),
            submitted_by=actor.ref,
            submitted_by_label=actor.label,
        )
        application.shared_data_sent = current
        application.save(update_fields=["shared_data_sent"])
        outbox_enqueue(
            kind=OutboxKind.SHARED_DATA_CHANGED,
            application=application,
            payload={
                "submission": str(submission.public_id),
                "sha256": submission.sha256,
                **snapshot,
            },
        )
        audit_record(
            actor=actor,
            action="application.shared_data_propagate",
            target=application,
            details={"fields": [change["code"] for change in changes], "receipt": reference},
        )
        submissions.append(submission)
        facts.append(
            ProjectFact(
                "shared_data_changed",
                project,
                application=application,
                fields=tuple(change["code"] for change in changes),
            )
        )
    # The handling authority of each application hears of the change it now has to acknowledge.
    if facts:
        facts_happened(facts)
    return submissions


def shared_data_changes_acknowledged(
    *, changes: Sequence[tuple[Submission, datetime]], actor: Actor
) -> None:
    """Write the authority's acknowledgement of locked, unacknowledged changes of shared data,
    each with when it was acknowledged (one statement). Only the back office's act calls this,
    after it checked who may."""
    for change, at in changes:
        change.acknowledged_at = at
        change.acknowledged_by_ref = actor.ref
        change.acknowledged_by_label = actor.label
    Submission.objects.bulk_update(
        [change for change, _at in changes],
        ["acknowledged_at", "acknowledged_by_ref", "acknowledged_by_label"],
    )
