"""Attachments and decision documents on S3 (moto's real S3 API on localhost): the customer,
the official and an authority system's signed link all read the same objects; files already
on the filesystem move over with `luvat storage-migrate`, which can be re-run."""

from __future__ import annotations

from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.backoffice.models import Decision
from luvat.backoffice.services import (
    application_mark_received,
    application_start_processing,
    decision_record,
)
from luvat.projects.models import Attachment
from tests.backoffice.factories import RESCUE, event_project, official, pdf
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company
from tests.integrations.conftest import AUTHORITY, issue_api_key, submit_new_application
from tests.integrations.factories import make_endpoint
from tests.projects.factories import (
    AuthorityFactory,
    MunicipalityFactory,
    ServiceFactory,
    vocabulary,
)
from tests.projects.test_project_pages import create_project
from tests.samples import MINIMAL_PDF
from tests.storage.conftest import object_keys

pytestmark = pytest.mark.django_db

PDF = MINIMAL_PDF


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def vocab(db):
    MunicipalityFactory()
    return vocabulary()


def test_customer_uploads_and_downloads_an_attachment_from_s3(s3_bucket, vocab, media_root):
    client = Client()
    AuthorityFactory.create(code="HKI-POLICE")
    ServiceFactory.create(code="public-event-notification")
    ServiceFactory.create(code="rescue-plan")
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    project = create_project(client)
    application = project.applications.first()
    assert application is not None
    url = f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
    upload = client.post(
        f"{url}attachments/", {"code": "site_map", "file": SimpleUploadedFile("m.pdf", PDF)}
    )
    assert upload.status_code in (200, 302)
    attachment = application.attachments.get()
    assert attachment.file.name in object_keys(s3_bucket)
    assert not (media_root / attachment.file.name).exists()
    response = client.get(f"{url}attachments/{attachment.public_id}/")
    assert response.status_code == 200
    assert body(response) == PDF


def test_official_downloads_attachment_and_customer_the_decision_from_s3(s3_bucket):
    case = event_project()
    attachment = case.rescue_plan.attachments.get()
    assert attachment.file.name in object_keys(s3_bucket)
    client = Client()
    act_as_official(client, OfficialRoleFactory.create(authority_code=RESCUE).person, RESCUE)
    base = f"/fi/backoffice/applications/{case.rescue_plan.public_id}/"
    download = client.get(f"{base}attachments/{attachment.public_id}/")
    assert download.status_code == 200
    assert body(download).startswith(b"%PDF")

    riikka = official(RESCUE, "Riikka", "Pelastaja")
    application_mark_received(application=case.rescue_plan, actor=riikka, case_reference="R-1")
    application_start_processing(application=case.rescue_plan, actor=riikka)
    decision_record(
        application=case.rescue_plan,
        actor=riikka,
        outcome="granted",
        decided_on=timezone.localdate(),
        document=pdf("paatos.pdf"),
    )
    decision = Decision.objects.get(application=case.rescue_plan)
    assert decision.document.name in object_keys(s3_bucket)
    maija = Client()
    act_for_company(maija, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    response = maija.get(f"/fi/decisions/{case.rescue_plan.public_id}/document/")
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")


def test_authority_system_signed_download_from_s3(s3_bucket, vocab):
    submitted = submit_new_application()
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret="s" * 32)
    key = issue_api_key(AUTHORITY)
    client = Client()
    document = client.get(
        f"/api/v1/applications/{submitted.public_id}/document",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    link = urlsplit(document["attachments"][0]["download_url"])
    download = client.get(f"{link.path}?{link.query}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert download.status_code == 200
    assert body(download).startswith(b"%PDF")
    tampered = client.get(
        f"{link.path}?{link.query.replace('expires=', 'expires=9')}",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert tampered.status_code == 403
    # The object store's own pre-signed address works too, and expires as configured.
    attachment = submitted.attachments.get()
    presigned = default_storage.url(attachment.file.name)
    assert "X-Amz-Signature=" in presigned and "X-Amz-Expires=300" in presigned
    import urllib.request

    with urllib.request.urlopen(presigned, timeout=10) as answer:  # noqa: S310
        assert answer.read().startswith(b"%PDF")


def test_storage_migrate_moves_filesystem_files_once(s3_bucket, vocab, settings, media_root):
    # Files written while the filesystem was the default storage ...
    on_disk = {**settings.STORAGES, "default": settings.STORAGES["filesystem"]}
    s3 = settings.STORAGES
    settings.STORAGES = on_disk
    submitted = submit_new_application()
    name = submitted.attachments.get().file.name
    assert (media_root / name).exists()
    # ... then LUVAT_FILE_STORAGE=s3: the rows still name them, the bucket does not have them.
    settings.STORAGES = s3
    assert name not in object_keys(s3_bucket)

    out = StringIO()
    call_command(
        "storage_migrate", "--from", "filesystem", "--to", "default", "--dry-run", stdout=out
    )
    assert "would copy 1 files" in out.getvalue()
    assert name not in object_keys(s3_bucket)

    out = StringIO()
    call_command("storage_migrate", "--from", "filesystem", "--to", "default", stdout=out)
    assert "copied 1 files" in out.getvalue()
    assert name in object_keys(s3_bucket)
    attachment = Attachment.objects.get(file=name)
    with storages["default"].open(name, "rb") as handle:
        assert handle.read() == (media_root / name).read_bytes()
    assert attachment.file.storage.exists(name)

    out = StringIO()
    call_command("storage_migrate", "--from", "filesystem", "--to", "default", stdout=out)
    assert "copied 0 files" in out.getvalue() and "1 already at the target" in out.getvalue()
    runs = AuditEvent.objects.filter(action="storage.migrate").order_by("id")
    assert [r.details["copied"] for r in runs] == [1, 0]
