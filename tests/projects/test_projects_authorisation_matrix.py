"""The projects rows of the authorisation matrix: every page and API endpoint of a company's
project by the owner, a customer of another company, an official and an authority system of an
authority outside the project, an administrator and an anonymous visitor. Refusals change
nothing and are access-logged; every allowed read is access-logged."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AccessEvent, AuditEvent
from luvat.projects.models import Project
from luvat.projects.services import (
    application_save_form,
    application_submit,
    attachment_add,
    project_create,
)
from tests.identity.factories import (
    FESTIVAALI,
    TERAS,
    ApiClientFactory,
    LocalMandateFactory,
    OfficialRoleFactory,
    PersonFactory,
    api_token,
)
from tests.identity.helpers import act_as_administrator, act_as_official, act_for_company
from tests.projects.factories import AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
OWNER = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=FESTIVAALI)
OUTSIDERS = ["anonymous", "customer_b", "official_other", "administrator"]


@pytest.fixture
def world(vocab):
    """Festivaali Oy's project: one submitted application (receipt, attachment), one draft."""
    AuthorityFactory.create(code="HKI-POLICE")
    submitted_service = ServiceFactory.create(code="public-event-notification")
    draft_service = ServiceFactory.create(code="rescue-plan")
    project = project_create(
        actor=OWNER,
        business_id=FESTIVAALI,
        name="Kesäfestivaali",
        services=[submitted_service, draft_service],
        shared_data={"contact_email": "maija@example.fi", "activity_name": "Kesäfestari"},
    )
    submitted, draft = project.applications.order_by("id")
    submitted = application_save_form(
        application=submitted,
        data={"attendance": 1200, "venue_kind": "outdoor"},
        actor=OWNER,
    )
    attachment = attachment_add(
        application=submitted,
        code="site_map",
        upload=SimpleUploadedFile("kartta.pdf", PDF, content_type="application/pdf"),
        actor=OWNER,
    )
    receipt = application_submit(application=submitted, actor=OWNER)
    return {
        "project": project.public_id,
        "application": submitted.public_id,
        "draft": draft.public_id,
        "attachment": attachment.public_id,
        "receipt": receipt.public_id,
    }


@pytest.fixture
def browsers(world) -> dict[str, Client]:
    clients = {name: Client() for name in ["owner", *OUTSIDERS]}
    act_for_company(
        clients["owner"], LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI
    )
    act_for_company(
        clients["customer_b"],
        LocalMandateFactory.create(business_id=TERAS, company_name="Pohjolan Teräs Oy").person,
        TERAS,
    )
    # TUKES handles nothing in this project.
    act_as_official(
        clients["official_other"],
        OfficialRoleFactory.create(authority_code="TUKES").person,
        "TUKES",
    )
    act_as_administrator(clients["administrator"], PersonFactory.create(administrator=True))
    return clients


def pages(ids: dict[str, object]) -> list[str]:
    project = f"/fi/projects/{ids['project']}"
    application = f"{project}/applications/{ids['application']}"
    return [
        f"{project}/",
        f"{project}/shared-data/",
        f"{project}/services/",
        f"{project}/export.json",
        f"{project}/export.pdf",
        f"{project}/receipts/{ids['receipt']}/",
        f"{project}/receipts/{ids['receipt']}/?format=json",
        f"{project}/receipts/{ids['receipt']}/?format=pdf",
        f"{application}/",
        f"{project}/applications/{ids['draft']}/",
        f"{application}/attachments/{ids['attachment']}/",
    ]


def posts(ids: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
    project = f"/fi/projects/{ids['project']}"
    draft = f"{project}/applications/{ids['draft']}"
    application = f"{project}/applications/{ids['application']}"
    return [
        (f"{project}/shared-data/", {"contact_email": "evil@example.fi", "version": "99"}),
        (f"{project}/shared-data/send/", {}),
        (f"{project}/services/", {"service": ["rescue-plan"]}),
        (f"{draft}/", {"event_name": "x", "version": "1"}),
        (f"{draft}/submit/", {}),
        (f"{draft}/drop/", {}),
        (f"{draft}/redirect/", {}),
        (f"{draft}/attachments/", {"code": "site_map"}),
        (f"{application}/drop/", {}),
        (f"{application}/attachments/{ids['attachment']}/remove/", {}),
    ]


def expect_refused(response, actor: str, what: str) -> None:
    if actor == "anonymous":
        assert response.status_code == 302, (actor, what)
        assert response["Location"].startswith("/fi/login/?next="), (actor, what)
    elif actor == "customer_b":  # another company's project is answered as a missing one
        assert response.status_code == 404, (actor, what, response.status_code)
    else:  # officials and administrators may not use customers' pages at all
        assert response.status_code == 403, (actor, what, response.status_code)


def test_the_owner_reads_every_page_and_each_read_is_access_logged(browsers, world):
    for path in ["/fi/projects/", *pages(world)]:
        before = AccessEvent.objects.filter(outcome="allowed").count()
        response = browsers["owner"].get(path)
        assert response.status_code == 200, (path, response.status_code)
        logged = AccessEvent.objects.filter(outcome="allowed").order_by("-id")[:1][0]
        assert AccessEvent.objects.filter(outcome="allowed").count() > before, path
        assert logged.subject_business_id == FESTIVAALI, path


def test_outsiders_read_no_page(browsers, world):
    for actor in OUTSIDERS:
        for path in pages(world):
            expect_refused(browsers[actor].get(path), actor, path)
        if actor != "customer_b":  # another company's customer sees their own (empty) list
            expect_refused(browsers[actor].get("/fi/projects/"), actor, "list")
    denied = AccessEvent.objects.filter(outcome="denied", subject_business_id=FESTIVAALI)
    assert denied.filter(actor_ref__startswith="person:").exists()  # customer_b's tries
    other_list = browsers["customer_b"].get("/fi/projects/")
    assert "Kesäfestivaali" not in other_list.text


def test_outsiders_change_nothing(browsers, world):
    project = Project.objects.get(public_id=world["project"])
    audit_before = AuditEvent.objects.count()
    for actor in OUTSIDERS:
        for path, data in posts(world):
            expect_refused(browsers[actor].post(path, data), actor, path)
        if actor != "customer_b":  # who may create their own company's projects
            expect_refused(browsers[actor].post("/fi/projects/new/", {"name": "x"}), actor, "new")
    assert AuditEvent.objects.count() == audit_before
    version = project.version
    project.refresh_from_db()
    assert project.version == version
    assert project.shared_values.get(field__code="contact_email").value == "maija@example.fi"
    assert project.applications.filter(status="draft").count() == 1
    assert project.applications.get(public_id=world["application"]).attachments.count() == 1
    assert Project.objects.count() == 1


def api_calls(ids: dict[str, object]) -> list[tuple[str, str, dict[str, object] | None]]:
    base = f"/api/v1/projects/{ids['project']}"
    draft = f"{base}/applications/{ids['draft']}"
    return [
        ("get", f"{base}", None),
        ("get", f"{base}/export", None),
        ("get", f"{base}/export/pdf", None),
        ("put", f"{base}/shared-data", {"values": {"contact_email": "evil@example.fi"}}),
        ("post", f"{base}/shared-data/propagate", {}),
        ("post", f"{base}/applications", {"service_code": "rescue-plan"}),
        ("get", f"{draft}", None),
        ("delete", f"{draft}", None),
        ("put", f"{draft}/form", {"data": {"event_name": "x"}}),
        ("post", f"{draft}/attachments", None),
        (
            "delete",
            f"{base}/applications/{ids['application']}/attachments/{ids['attachment']}",
            None,
        ),
        ("post", f"{draft}/submit", {}),
        ("post", f"{draft}/redirect", None),
        ("get", f"{base}/receipts/{ids['receipt']}", None),
        ("get", f"{base}/receipts/{ids['receipt']}/pdf", None),
    ]


def call(client: Client, method: str, path: str, body, headers=None):
    if path.endswith("/attachments"):
        upload = SimpleUploadedFile("kartta.pdf", PDF, content_type="application/pdf")
        return client.post(path, {"code": "site_map", "file": upload}, headers=headers)
    if body is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, body, content_type="application/json", headers=headers)


def test_api_refuses_everyone_but_the_owner(browsers, world):
    token = api_token(ApiClientFactory.create(authority_code="TUKES"))
    audit_before = AuditEvent.objects.count()
    expected = {"anonymous": 401, "customer_b": 404, "official_other": 401, "administrator": 401}
    for method, path, body in api_calls(world):
        for actor, status in expected.items():
            response = call(browsers[actor], method, path, body)
            assert response.status_code == status, (actor, method, path, response.content)
            assert response["Content-Type"] == "application/problem+json"
        system = call(Client(), method, path, body, {"Authorization": f"Bearer {token}"})
        assert system.status_code == 401, (method, path)
    assert AuditEvent.objects.count() == audit_before
    owner = browsers["owner"]
    for method, path, body in api_calls(world):
        if method == "get":
            assert call(owner, method, path, body).status_code == 200, path


def test_every_projects_api_endpoint_is_in_the_matrix(world):
    from luvat.projects.api import router

    routes = {
        (method.lower(), f"/api/v1/projects{path}".rstrip("/"))
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    covered = {
        (
            method,
            path.replace(str(world["project"]), "{project_id}")
            .replace(str(world["draft"]), "{application_id}")
            .replace(str(world["application"]), "{application_id}")
            .replace(str(world["attachment"]), "{attachment_id}")
            .replace(str(world["receipt"]), "{receipt_id}"),
        )
        for method, path, _ in api_calls(world)
    } | {("get", "/api/v1/projects"), ("post", "/api/v1/projects")}
    assert routes <= covered, routes - covered
