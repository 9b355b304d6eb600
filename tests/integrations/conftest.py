"""Fixtures of the integration tests: submitted applications, endpoints, API keys."""

from __future__ import annotations

import os
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.catalogue.models import Authority, JoiningMode, Service
from luvat.identity.models import ApiClient
from luvat.identity.services import api_key_issue
from luvat.integrations.models import OutboxMessage
from luvat.projects.models import Application
from luvat.projects.services import (
    application_save_form,
    application_submit,
    attachment_add,
    project_create,
)
from tests.integrations.factories import ADMIN
from tests.projects.factories import BUSINESS_A, CUSTOMER_A, AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
AUTHORITY = "HKI-POLICE"


@pytest.fixture(autouse=True)
def _forget_remembered_secrets():
    """Signing secrets are remembered per process for a few seconds; a test's rolled-back
    endpoint must not be remembered into the next test."""
    from luvat.integrations.selectors import forget_authority_secrets

    forget_authority_secrets()
    yield
    forget_authority_secrets()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def vocab(db):
    from tests.projects.factories import MunicipalityFactory, vocabulary

    MunicipalityFactory()
    return vocabulary()


def submit_new_application(name: str = "Kesäfestivaali") -> Application:
    """A project with one API-integrated application, filled in and submitted."""
    application = ready_application(name)
    application_submit(application=application, actor=CUSTOMER_A)
    application.refresh_from_db()
    return application


def ready_application(name: str = "Kesäfestivaali", business_id: str = BUSINESS_A) -> Application:
    """A project with one API-integrated application, filled in and ready to submit."""
    if not Authority.objects.filter(code=AUTHORITY).exists():
        AuthorityFactory(code=AUTHORITY)
    service = Service.objects.filter(code="public-event-notification").first() or cast(
        Service, ServiceFactory(code="public-event-notification", joining_mode=JoiningMode.API)
    )
    project = project_create(
        actor=CUSTOMER_A,
        business_id=business_id,
        company_name="Festivaali Oy",
        name=name,
        services=[service],
    )
    application = project.applications.get()
    application = application_save_form(
        application=application,
        data={
            "organiser_email": "aino@example.fi",
            "event_name": name,
            "attendance": 1200,
            "fireworks": False,
            "venue_kind": "outdoor",
        },
        actor=CUSTOMER_A,
    )
    attachment_add(
        application=application,
        code="site_map",
        upload=SimpleUploadedFile("kartta.pdf", PDF, content_type="application/pdf"),
        actor=CUSTOMER_A,
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def amqp_url() -> str:
    """The broker of tests marked ``amqp`` (the marker skips or fails them without it)."""
    return os.environ["LUVAT_AMQP_URL"]


@pytest.fixture
def submitted(vocab) -> Application:
    return submit_new_application()


@pytest.fixture
def outbox_message(submitted) -> OutboxMessage:
    return OutboxMessage.objects.get(application=submitted)


def issue_api_key(authority_code: str, name: str = "case system") -> str:
    client = ApiClient.objects.create(name=name, authority_code=authority_code)
    return api_key_issue(client=client, actor=ADMIN).token
