"""Shared data: typed once, validated by vocabulary type, provenance and change time kept,
and changes after submission propagated to the authorities that hold the old value."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.catalogue.models import JoiningMode
from luvat.integrations.models import OutboxMessage
from luvat.projects.errors import InvalidSharedData, StaleVersion
from luvat.projects.models import SubmissionKind
from luvat.projects.selectors import project_summary
from luvat.projects.services import (
    application_save_form,
    application_submit,
    attachment_add,
    project_create,
    shared_data_change_propagate,
    shared_data_set,
)
from luvat.projects.snapshots import snapshot_sha256
from luvat.projects.values import business_id_is_valid
from tests.projects.factories import BUSINESS_A, CUSTOMER_A, AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF


def test_project_creation_records_register_data_with_its_provenance(vocab):
    project = project_create(
        actor=CUSTOMER_A, business_id=BUSINESS_A, company_name="Festivaali Oy", name="p"
    )
    values = {v.field.code: v for v in project.shared_values.select_related("field")}
    assert values["company_name"].value == "Festivaali Oy"
    assert values["company_name"].provenance == "company_register"
    assert values["business_id"].value == BUSINESS_A


def test_every_invalid_value_is_named_and_nothing_is_saved(vocab):
    project = project_create(actor=CUSTOMER_A, business_id=BUSINESS_A, name="p")
    with pytest.raises(InvalidSharedData) as caught:
        shared_data_set(
            project=project,
            values={
                "contact_email": "not-an-address",
                "start_date": "31.6.2026",
                "site_municipality": "999",
                "expected_attendance": "lots",
                "activity_name": "Valid",
                "no_such_field": "x",
            },
            actor=CUSTOMER_A,
        )
    assert set(caught.value.errors) == {
        "contact_email",
        "start_date",
        "site_municipality",
        "expected_attendance",
        "no_such_field",
    }
    assert not project.shared_values.filter(field__code="activity_name").exists()


def test_schedule_and_site_drive_the_project_columns_and_the_version(vocab):
    project = project_create(actor=CUSTOMER_A, business_id=BUSINESS_A, name="p")
    changed = shared_data_set(
        project=project,
        values={
            "start_date": "2026-07-04",
            "site_municipality": "91",
            "expected_attendance": "1 200",
        },
        actor=CUSTOMER_A,
        expected_version=1,
    )
    assert set(changed) == {"start_date", "site_municipality", "expected_attendance"}
    project.refresh_from_db()
    assert str(project.starts_on) == "2026-07-04"
    assert project.municipality_code == "091"
    assert project.version == 2
    value = project.shared_values.get(field__code="expected_attendance")
    assert value.value == 1200 and value.changed_at is not None
    with pytest.raises(StaleVersion):
        shared_data_set(
            project=project, values={"activity_name": "x"}, actor=CUSTOMER_A, expected_version=1
        )
    assert (
        shared_data_set(project=project, values={"expected_attendance": 1200}, actor=CUSTOMER_A)
        == []
    )


def test_business_id_check_digit():
    assert business_id_is_valid("1234567-1")
    assert business_id_is_valid("7654321-2")
    assert not business_id_is_valid("1234567-2")
    assert not business_id_is_valid("123456-1")


def test_changes_after_submission_go_to_those_authorities_as_a_supplement(vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    first = ServiceFactory.create(joining_mode=JoiningMode.API)
    second = ServiceFactory.create(joining_mode=JoiningMode.API)
    project = project_create(
        actor=CUSTOMER_A, business_id=BUSINESS_A, name="p", services=[first, second]
    )
    submitted, draft = project.applications.order_by("id")
    application_save_form(
        application=submitted,
        data={
            "organiser_email": "old@example.fi",
            "event_name": "Festari",
            "attendance": 10,
            "venue_kind": "indoor",
        },
        actor=CUSTOMER_A,
    )
    attachment_add(
        application=submitted,
        code="site_map",
        upload=SimpleUploadedFile("a.pdf", PDF),
        actor=CUSTOMER_A,
    )
    application_submit(application=submitted, actor=CUSTOMER_A)
    shared_data_set(project=project, values={"contact_email": "new@example.fi"}, actor=CUSTOMER_A)

    summary = project_summary(project=project)
    [row] = summary.rows_with_changes
    assert row.application == submitted
    assert row.changed_shared_data == [
        {
            "code": "contact_email",
            "old": "old@example.fi",
            "new": "new@example.fi",
            "label": "Yhteyshenkilön sähköposti",
            "old_text": "old@example.fi",
            "new_text": "new@example.fi",
        }
    ]

    [receipt] = shared_data_change_propagate(project=project, actor=CUSTOMER_A)
    assert receipt.kind == SubmissionKind.SHARED_DATA_CHANGE
    assert receipt.application == submitted
    assert receipt.sha256 == snapshot_sha256(receipt.snapshot)
    message = OutboxMessage.objects.get(kind="shared_data.changed")
    assert message.payload["changes"][0]["new"] == "new@example.fi"
    assert project_summary(project=project).rows_with_changes == []
    assert shared_data_change_propagate(project=project, actor=CUSTOMER_A) == []
    draft.refresh_from_db()
    assert draft.status == "draft"
