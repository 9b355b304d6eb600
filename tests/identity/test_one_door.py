"""The one door (luvat.identity.door): every unsafe route, HTML and /api/v1/ alike, found from
the URL resolver and the OpenAPI document so that new routes are covered without editing this
file, refuses a customer whose mandate was revoked and an official whose role was removed, and
each refusal is one access-log entry, shown to the company whose object was aimed at."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AccessEvent
from luvat.audit.refusals import refusals_kept
from luvat.backoffice.services import application_mark_received
from luvat.config.api import api
from luvat.identity import sessions
from luvat.identity.models import OfficialRole
from luvat.identity.policy import Denied, authorise
from luvat.identity.services import mandate_revoke
from luvat.projects.models import Application
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company
from tests.projects.conftest import vocab  # noqa: F401  (fixture)
from tests.projects.test_projects_authorisation_matrix import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Views that work without an acting party: they are marked door_exempt, and only these.
EXEMPT = {
    "luvat.identity.views.test_idp",
    "luvat.identity.views.choose",
    "luvat.identity.views.logout_view",
    "luvat.identity.views.logout_everywhere",
    "luvat.identity.saml.views.acs",
}
UNSAFE = ("post", "put", "patch", "delete")
_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, object]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _name(view: object) -> str:
    return f"{getattr(view, '__module__', '')}.{getattr(view, '__name__', '')}"


def html_routes() -> list[tuple[str, object]]:
    """Every page route but the admin's (Django's own), the API's (below) and static files."""
    return [
        (route, view)
        for route, view in _walk(get_resolver())
        if not route.startswith(("api/", "static/")) and "/admin/" not in f"/{route}"
    ]


def api_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return [(method, path) for path, item in paths.items() for method in item if method in UNSAFE]


def fill(route: str, ids: dict[str, object]) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2) or match.group(3)
        if converter == "int":
            return "1"
        if name in ids:
            return str(ids[name])
        if converter == "uuid" or name.endswith("_id"):
            return str(uuid.uuid4())
        return "HKI-POLICE" if name == "code" else "1"

    path = _ARGUMENT.sub(value, route)
    return path if path.startswith("/") else f"/{path}"


def targets(world) -> dict[str, object]:  # noqa: F811
    return {
        "project_id": world["project"],
        "application_id": world["application"],
        "attachment_id": world["attachment"],
        "submission_id": world["receipt"],
        "receipt_id": world["receipt"],
        "idp": "suomifi",
        "token": "x",
        "service_code": "rescue-plan",
    }


def every_unsafe_request(world) -> list[tuple[str, str, bool]]:  # noqa: F811
    """(method, path, aims at the company's object) of every unsafe route."""
    ids = targets(world)
    requests = []
    for route, view in html_routes():
        if _name(view) in EXEMPT:
            continue
        path = fill(route, ids)
        requests.append(("post", path, "project_id" in route or "application_id" in route))
    for method, path in api_operations():
        aims = "{project_id}" in path or "{application_id}" in path
        requests.append((method, fill(path, ids), aims))
    return requests


def test_the_exempt_views_are_exactly_the_log_in_and_company_choice_ones():
    marked = {
        _name(view) for _route, view in html_routes() if getattr(view, "luvat_door_exempt", 0)
    }
    assert marked == EXEMPT
    assert len(api_operations()) >= 10  # the API's unsafe operations are found


def _refused_once(client: Client, method: str, path: str, *, company_target: bool) -> None:
    before = AccessEvent.objects.filter(outcome="denied").count()
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert response.status_code == 403, (method, path, response.status_code)
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json", path
    denied = AccessEvent.objects.filter(outcome="denied").order_by("id")
    assert denied.count() == before + 1, (method, path)
    entry = denied.last()
    assert entry is not None
    assert f"write: {path}" in entry.purpose
    if company_target:  # the company sees the refusal in its access log
        assert entry.subject_business_id == FESTIVAALI, (method, path)


def _act_again(client: Client, acting: dict[str, str]) -> None:
    session = client.session
    session[sessions.ACTING] = acting
    session.save()


def test_a_revoked_mandate_refuses_every_unsafe_route(world, settings):  # noqa: F811
    settings.LUVAT_MANDATE_CACHE_SECONDS = 3600
    mandate = LocalMandateFactory.create(business_id=FESTIVAALI)
    client = Client()
    act_for_company(client, mandate.person, FESTIVAALI)
    acting = dict(client.session[sessions.ACTING])
    mandate_revoke(mandate=mandate, actor=Actor.system("test"))
    requests = every_unsafe_request(world)
    for method, path, company_target in requests:
        _refused_once(client, method, path, company_target=company_target)
        assert sessions.ACTING not in client.session  # asked to choose a company again
        _act_again(client, acting)
    api_refusal = client.post(f"/api/v1/projects/{world['project']}/shared-data/propagate")
    assert api_refusal.json()["type"] == "/problems/mandate-missing"
    # Visible to the company: one entry per refused request.
    assert (
        AccessEvent.objects.filter(outcome="denied", subject_business_id=FESTIVAALI).count()
        == len(requests) + 1
    )
    assert Application.objects.filter(status="draft").count() == 1


def test_a_removed_role_refuses_every_unsafe_route(world):  # noqa: F811
    role = OfficialRoleFactory.create(authority_code="HKI-POLICE")
    client = Client()
    act_as_official(client, role.person, "HKI-POLICE")
    acting = dict(client.session[sessions.ACTING])
    OfficialRole.objects.filter(pk=role.pk).delete()
    for method, path, company_target in every_unsafe_request(world):
        _refused_once(client, method, path, company_target=company_target)
        _act_again(client, acting)
    api_refusal = client.post(f"/api/v1/projects/{world['project']}/shared-data/propagate")
    assert api_refusal.json()["type"] == "/problems/role-missing"


def test_a_valid_mandate_passes_the_door(world):  # noqa: F811
    mandate = LocalMandateFactory.create(business_id=FESTIVAALI)
    client = Client()
    act_for_company(client, mandate.person, FESTIVAALI)
    response = client.post(
        f"/fi/projects/{world['project']}/shared-data/",
        {"contact_email": "uusi@example.fi", "version": "1"},
    )
    assert response.status_code in (200, 302, 409, 422)
    assert not AccessEvent.objects.filter(outcome="denied").exists()


OFFICIAL = Actor(kind=ActorKind.OFFICIAL, ref="person:0", label="X", on_behalf_of="TUKES")


def test_a_refusal_inside_a_failed_transaction_stays_in_the_access_log(world):  # noqa: F811
    application = Application.objects.get(public_id=world["application"])
    with refusals_kept(), pytest.raises(Denied), transaction.atomic():
        # The service locks the application, then refuses: its transaction rolls back.
        application_mark_received(application=application, actor=OFFICIAL, case_reference="X")
    kept = AccessEvent.objects.filter(outcome="denied", object_id=str(application.public_id))
    assert kept.count() == 1
    assert kept.get().subject_business_id == FESTIVAALI


def test_without_keeping_the_refusal_would_be_rolled_back_with_the_transaction():
    """What refusals_kept (bound for every request by the door) is for."""
    with pytest.raises(Denied), transaction.atomic():
        authorise(OFFICIAL, False, object_type="application", object_id="x", purpose="test")
    assert not AccessEvent.objects.filter(object_id="x").exists()
    with refusals_kept(), pytest.raises(Denied), transaction.atomic():
        authorise(OFFICIAL, False, object_type="application", object_id="x", purpose="test")
    assert AccessEvent.objects.filter(object_id="x", outcome="denied").count() == 1
