"""Submitting: every missing field named, a snapshot with its hash, one receipt however many
times it is sent, stale forms detected, outbox message queued in the same transaction."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.catalogue.models import JoiningMode
from luvat.integrations.models import OutboxMessage
from luvat.projects.errors import IncompleteApplication, NotAllowedInMode, StaleVersion
from luvat.projects.models import StatusEvent, Submission
from luvat.projects.services import (
    application_redirect_record,
    application_save_form,
    application_submit,
    attachment_add,
    project_create,
)
from luvat.projects.snapshots import snapshot_sha256
from luvat.projects.status import InvalidTransition, Status
from tests.projects.factories import BUSINESS_A, CUSTOMER_A, AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF


@pytest.fixture
def application(vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    service = ServiceFactory.create(code="public-event-notification", joining_mode=JoiningMode.API)
    project = project_create(
        actor=CUSTOMER_A,
        business_id=BUSINESS_A,
        company_name="Festivaali Oy",
        name="Kesäfestivaali",
        services=[service],
    )
    return project.applications.get()


def fill(application, **overrides):
    data = {
        "organiser_email": "aino@example.fi",
        "event_name": "Kesäfestivaali",
        "attendance": 1200,
        "fireworks": False,
        "venue_kind": "outdoor",
        **overrides,
    }
    application = application_save_form(application=application, data=data, actor=CUSTOMER_A)
    attachment_add(
        application=application,
        code="site_map",
        upload=SimpleUploadedFile("kartta.pdf", PDF, content_type="application/pdf"),
        actor=CUSTOMER_A,
    )
    application.refresh_from_db()
    return application


def test_incomplete_application_names_every_missing_field(application):
    with pytest.raises(IncompleteApplication) as caught:
        application_submit(application=application, actor=CUSTOMER_A)
    assert set(caught.value.errors) == {
        "organiser_email",
        "event_name",
        "attendance",
        "venue_kind",
        "attachment:site_map",
    }
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not OutboxMessage.objects.exists()


def test_invalid_values_are_named_too(application):
    application = application_save_form(
        application=application,
        data={"event_name": "x", "attendance": 0, "venue_kind": "moon"},
        actor=CUSTOMER_A,
    )
    with pytest.raises(IncompleteApplication) as caught:
        application_submit(application=application, actor=CUSTOMER_A)
    assert {"attendance", "venue_kind", "organiser_email"} <= set(caught.value.errors)


def test_submit_freezes_a_snapshot_with_its_hash_and_queues_one_outbox_message(application):
    application = fill(application)
    receipt = application_submit(application=application, actor=CUSTOMER_A)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert receipt.reference == application.reference
    receipt.refresh_from_db()
    assert receipt.sha256 == snapshot_sha256(receipt.snapshot)  # verifiable from the stored copy
    snapshot = receipt.snapshot
    assert snapshot["shared_data"]["contact_email"] == "aino@example.fi"
    assert snapshot["form"]["organiser_email"] == "aino@example.fi"
    assert snapshot["form"]["attendance"] == 1200
    assert snapshot["attachments"][0]["sha256"] == application.attachments.get().sha256
    assert snapshot["authority"]["code"] == "HKI-POLICE"
    message = OutboxMessage.objects.get()
    assert (message.kind, message.authority_code, message.status) == (
        "application.submitted",
        "HKI-POLICE",
        "pending",
    )
    assert message.payload["sha256"] == receipt.sha256
    assert list(
        StatusEvent.objects.filter(application=application).values_list("status", "source")
    ) == [("draft", "customer"), ("submitted", "customer")]


def test_double_submit_submits_once(application):
    application = fill(application)
    first = application_submit(application=application, actor=CUSTOMER_A)
    second = application_submit(
        application=application, actor=CUSTOMER_A, expected_version=application.version
    )
    assert first.pk == second.pk
    assert Submission.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert StatusEvent.objects.filter(status=Status.SUBMITTED).count() == 1


def test_stale_form_is_detected_not_overwritten(application):
    loaded_version = application.version
    application_save_form(
        application=application, data={"event_name": "Toisen välilehden nimi"}, actor=CUSTOMER_A
    )
    with pytest.raises(StaleVersion) as caught:
        application_save_form(
            application=application,
            data={"event_name": "Vanha"},
            actor=CUSTOMER_A,
            expected_version=loaded_version,
        )
    assert caught.value.current == loaded_version + 1
    application.refresh_from_db()
    assert application.project.shared_values.get(field__code="activity_name").value == (
        "Toisen välilehden nimi"
    )


def test_mapped_fields_are_stored_once_in_shared_data(application):
    application = application_save_form(
        application=application,
        data={"organiser_email": "aino@example.fi", "attendance": 50},
        actor=CUSTOMER_A,
    )
    assert "organiser_email" not in application.form_data
    assert application.form_data == {"attendance": 50}
    value = application.project.shared_values.get(field__code="contact_email")
    assert (value.value, value.provenance) == ("aino@example.fi", "customer")


def test_a_submitted_application_cannot_be_edited(application):
    application = fill(application)
    application_submit(application=application, actor=CUSTOMER_A)
    with pytest.raises(InvalidTransition):
        application_save_form(application=application, data={}, actor=CUSTOMER_A)


def test_redirect_services_are_not_submitted_here_but_record_the_redirect(vocab):
    AuthorityFactory.create(code="LVV", kind="lvv")
    service = ServiceFactory.create(
        code="serving-permit",
        authority_kind="lvv",
        joining_mode=JoiningMode.REDIRECT,
        redirect_url="https://asiointi.example.fi/anniskelu?lang=fi",
    )
    project = project_create(actor=CUSTOMER_A, business_id=BUSINESS_A, name="p", services=[service])
    application = project.applications.get()
    with pytest.raises(NotAllowedInMode):
        application_submit(application=application, actor=CUSTOMER_A)
    url = application_redirect_record(application=application, actor=CUSTOMER_A)
    assert url == (
        f"https://asiointi.example.fi/anniskelu?lang=fi&luvat_reference={application.reference}"
    )
    application.refresh_from_db()
    assert application.redirected_at is not None
    assert application.status == Status.DRAFT
