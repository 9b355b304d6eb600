"""Every route that refuses leaves an access-log entry per refusal (issue 11, Done-when).

The routes are found from the URL resolver and the ninja API's OpenAPI document, so a new route
is tried without editing this file; a URL argument this file cannot name an object for fails
:func:`test_every_url_argument_names_an_object_of_the_world` until it is added to the world.
Each route is tried, safe and unsafe, by callers who must be refused: a customer of another
company, an official of another authority, a customer whose mandate was revoked, an official
whose role was removed (and, on the API, another authority's system). Every refusal (401 or
403, and 404 or 410 for a URL naming the company's object) must be one new ``denied``
access-log entry, shown to the company whose object was aimed at. The views' services refuse
inside their transactions; the entries must survive the rollback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AccessEvent
from luvat.backoffice.services import (
    application_mark_received,
    application_start_processing,
    supplement_request_create,
)
from luvat.catalogue.models import Authority, Service
from luvat.discussion.rooms import room_for_project
from luvat.discussion.services import message_post
from luvat.identity import sessions
from luvat.identity.models import OfficialRole
from luvat.identity.services import mandate_revoke
from luvat.inforequests.services import inforequest_ask
from luvat.notifications.models import Notification
from luvat.projects.models import Submission
from luvat.projects.services import shared_data_change_propagate, shared_data_set
from tests.backoffice.factories import POLICE, RESCUE, event_project, official
from tests.identity.factories import (
    FESTIVAALI,
    TERAS,
    ApiClientFactory,
    LocalMandateFactory,
    OfficialRoleFactory,
    api_token,
)
from tests.identity.helpers import act_as_official, act_for_company
from tests.identity.test_one_door import EXEMPT, _name, api_operations, html_routes
from tests.samples import MINIMAL_PDF
from tests.supervision.factories import SupervisionEventFactory

pytestmark = pytest.mark.django_db

_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")
# Arguments that name nothing a company or authority owns: a wrong one is a missing object.
UNOWNED = {
    "idp": "suomifi",  # an identity provider
    "token": "not-a-token",  # capabilities (calendar feed, e-mail verification)
    "public_id": "00000000-0000-4000-8000-000000000000",  # assessments belong to no one
    "assessment_id": "00000000-0000-4000-8000-000000000000",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    ids: dict[tuple[str, str], object]  # (converter or "", argument name) -> value
    company_arguments: frozenset[str]


@pytest.fixture
def world() -> World:
    """Festivaali Oy's festival project (rescue plan submitted to HKI-RESCUE), a supplement
    request, a discussion message with a file, a supervision visit and a notification."""
    case = event_project()
    rescue_official = official(RESCUE)
    application_mark_received(application=case.rescue_plan, actor=rescue_official)
    application_start_processing(application=case.rescue_plan, actor=rescue_official)
    supplement = supplement_request_create(
        application=case.rescue_plan,
        actor=rescue_official,
        text="Lisää kartta",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    thread = room_for_project(case.project).threads.get(kind="customer")
    message = message_post(
        actor=rescue_official,
        user_id=None,
        thread=thread,
        body="Katso liite",
        attachments=[SimpleUploadedFile("ohje.pdf", MINIMAL_PDF, content_type="application/pdf")],
    )
    inforequest = inforequest_ask(
        project=case.project,
        subject="Lava puistossa",
        question="Tarvitaanko pelastussuunnitelma 800 hengen tapahtumaan?",
        asked={Authority.objects.get(code=RESCUE): [Service.objects.get(code="event-rescue-plan")]},
        actor=Actor(
            kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=FESTIVAALI
        ),
        uploads=[SimpleUploadedFile("kartta.pdf", MINIMAL_PDF, content_type="application/pdf")],
    )
    visit = SupervisionEventFactory.create(business_id=FESTIVAALI, authority_code=RESCUE)
    receipt = Submission.objects.filter(application=case.rescue_plan).latest("id")
    maija = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=FESTIVAALI)
    shared_data_set(project=case.project, values={"start_date": "2027-07-01"}, actor=maija)
    [change] = shared_data_change_propagate(project=case.project, actor=maija)
    notification = Notification.objects.filter(recipient__isnull=False).first()
    ids: dict[tuple[str, str], object] = {
        ("uuid", "project_id"): case.project.public_id,
        ("", "project_id"): case.project.public_id,
        ("uuid", "application_id"): case.rescue_plan.public_id,
        ("", "application_id"): case.rescue_plan.public_id,
        ("uuid", "attachment_id"): case.rescue_plan.attachments.get().public_id,
        ("", "attachment_id"): case.rescue_plan.attachments.get().public_id,
        ("int", "attachment_id"): message.attachments.get().pk,
        ("uuid", "submission_id"): receipt.public_id,
        ("", "receipt_id"): receipt.public_id,
        ("uuid", "request_id"): supplement.public_id,
        ("", "inforequest_id"): inforequest.public_id,
        ("", "addressee_id"): inforequest.addressees.get().public_id,
        ("", "answer_id"): inforequest.addressees.get().public_id,
        ("inforequests", "attachment_id"): inforequest.attachments.get().public_id,
        ("uuid", "change_id"): change.public_id,
        ("int", "thread_id"): thread.pk,
        ("int", "event_id"): visit.pk,
        ("int", "notification_id"): notification.pk if notification else 0,
        ("str", "code"): RESCUE,
        ("slug", "code"): RESCUE,
        ("", "code"): RESCUE,
        ("", "authority_code"): RESCUE,
        ("", "business_id"): FESTIVAALI,
        ("slug", "service_code"): "event-rescue-plan",
        ("int", "role_id"): OfficialRole.objects.filter(authority_code=RESCUE).values_list(
            "pk", flat=True
        )[0],
        ("int", "company_id"): 1,
        ("int", "item_id"): 1,
        ("int", "line_id"): 1,
        ("int", "risk_id"): 1,
    }
    return World(
        ids=ids,
        company_arguments=frozenset(
            {
                "project_id",
                "application_id",
                "attachment_id",
                "submission_id",
                "receipt_id",
                "request_id",
                "change_id",
                "thread_id",
                "event_id",
                "inforequest_id",
                "addressee_id",
                "answer_id",
            }
        ),
    )


def _value(world: World, route: str, converter: str, name: str) -> object | None:
    if name in UNOWNED:
        return UNOWNED[name]
    app = route.removeprefix("fi/").split("/", 1)[0]  # an app's own kind of the argument
    return world.ids.get((app, name), world.ids.get((converter, name), world.ids.get(("", name))))


def fill(world: World, route: str) -> tuple[str, bool]:
    """The path with the world's objects in it, and whether it aims at the company's object."""
    aims = False

    def value(match: re.Match[str]) -> str:
        nonlocal aims
        converter, name = match.group(1) or "", match.group(2) or match.group(3)
        found = _value(world, route, converter, name)
        if found is None:
            raise LookupError(f"no object for <{converter}:{name}> in {route}")
        aims = aims or name in world.company_arguments
        return str(found)

    path = _ARGUMENT.sub(value, route)
    return (path if path.startswith("/") else f"/{path}"), aims


def every_request(world: World) -> list[tuple[str, str, bool]]:
    requests = []
    for route, view in html_routes():
        if _name(view) in EXEMPT:  # log-in, company choice, log-out: nothing to refuse
            continue
        path, aims = fill(world, route)
        requests += [("get", path, aims), ("post", path, aims)]
    for method, path in api_operations() + [
        (method, path) for path, item in _api_paths().items() for method in item if method == "get"
    ]:
        filled, aims = fill(world, path)
        requests.append((method, filled, aims))
    return requests


def _api_paths() -> dict[str, dict[str, object]]:
    from luvat.config.api import api

    paths: dict[str, dict[str, object]] = api.get_openapi_schema()["paths"]
    return paths


def test_every_url_argument_names_an_object_of_the_world(world):
    assert len(every_request(world)) > 150


def _callers(world: World) -> dict[str, tuple[Client, dict[str, str]]]:
    other_company, other_authority, revoked, removed = Client(), Client(), Client(), Client()
    act_for_company(
        other_company,
        LocalMandateFactory.create(business_id=TERAS, company_name="Pohjolan Teräs Oy").person,
        TERAS,
    )
    act_as_official(
        other_authority, OfficialRoleFactory.create(authority_code="TUKES").person, "TUKES"
    )
    mandate = LocalMandateFactory.create(business_id=FESTIVAALI)
    act_for_company(revoked, mandate.person, FESTIVAALI)
    mandate_revoke(mandate=mandate, actor=Actor.system("test"))
    role = OfficialRoleFactory.create(authority_code=POLICE)
    act_as_official(removed, role.person, POLICE)
    OfficialRole.objects.filter(pk=role.pk).delete()
    system = api_token(ApiClientFactory.create(authority_code="TUKES"))
    return {
        "other company": (other_company, {}),
        "other authority": (other_authority, {}),
        "revoked mandate": (revoked, {}),
        "removed role": (removed, {}),
        "other authority's system": (Client(), {"Authorization": f"Bearer {system}"}),
    }


def _send(client: Client, method: str, path: str, headers: dict[str, str]):
    if method == "get":
        return client.get(path, headers=headers)
    return getattr(client, method)(path, {}, content_type="application/json", headers=headers)


def test_every_refusal_of_every_route_is_in_the_access_log(world, settings):
    settings.LUVAT_MANDATE_CACHE_SECONDS = 3600
    callers = _callers(world)
    holes: list[str] = []
    refusals = 0
    for name, (client, headers) in callers.items():
        acting = dict(client.session.get(sessions.ACTING, {}))
        for method, path, aims in every_request(world):
            if headers and not path.startswith("/api/"):
                continue
            before = AccessEvent.objects.filter(outcome="denied").count()
            response = _send(client, method, path, headers)
            if acting:  # the door ends acting on a lost mandate or role; act again
                session = client.session
                session[sessions.ACTING] = acting
                session.save()
            status = response.status_code
            if status not in (401, 403) and not (status in (404, 410) and aims):
                continue  # allowed, or a missing page or object that is nobody's
            refusals += 1
            denied = AccessEvent.objects.filter(outcome="denied").order_by("id")
            if denied.count() != before + 1:
                holes.append(
                    f"{name}: {method.upper()} {path} -> {response.status_code}, "
                    f"{denied.count() - before} entries"
                )
                continue
            entry = denied.last()
            if aims and entry is not None and entry.subject_business_id != FESTIVAALI:
                holes.append(f"{name}: {method.upper()} {path}: not shown to the company")
    assert refusals > 150
    assert not holes, "\n".join(holes)
