"""Fixtures of the integration tests: submitted applications, endpoints, API keys."""

from __future__ import annotations

import os
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.catalogue.models import JoiningMode, Service
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

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUTHORITY = "HKI-POLICE"


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
    AuthorityFactory(code=AUTHORITY)
    service = cast(
        Service, ServiceFactory(code="public-event-notification", joining_mode=JoiningMode.API)
    )
    project = project_create(
        actor=CUSTOMER_A,
        business_id=BUSINESS_A,
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
    application_submit(application=application, actor=CUSTOMER_A)
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
