"""The authorisation matrix: actors x objects x actions, every forbidden cell refused.

Views and API endpoints that exist now (identity, admin, audit) are exercised through HTTP;
the policy functions that later apps use for projects and applications are exercised directly
with the values those apps will pass, and querysets are filtered on a real table.
"""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AccessEvent
from luvat.audit.services import access_record
from luvat.identity.models import OfficialRole
from luvat.identity.policy import (
    ApplicationRef,
    Part,
    authority_codes_for,
    authority_q,
    can_read_application,
    can_read_company,
    can_write_application,
    companies_for,
    company_q,
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

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "customer_a", "customer_b", "official_x", "official_y", "administrator"]


@pytest.fixture
def browsers() -> dict[str, Client]:
    clients = {name: Client() for name in ACTORS}
    a = LocalMandateFactory.create(business_id=FESTIVAALI).person
    b = LocalMandateFactory.create(business_id=TERAS, company_name="Pohjolan Teräs Oy").person
    act_for_company(clients["customer_a"], a, FESTIVAALI)
    act_for_company(clients["customer_b"], b, TERAS)
    act_as_official(
        clients["official_x"],
        OfficialRoleFactory.create(authority_code="HKI-POLICE").person,
        "HKI-POLICE",
    )
    act_as_official(
        clients["official_y"], OfficialRoleFactory.create(authority_code="TUKES").person, "TUKES"
    )
    act_as_administrator(clients["administrator"], PersonFactory.create(administrator=True))
    return clients


OK, LOGIN, DENIED, ADMIN_LOGIN = 200, "login", 403, "admin-login"
PAGES: dict[str, dict[str, int | str]] = {
    "/fi/login/": dict.fromkeys(ACTORS, OK),
    "/fi/account/": {"anonymous": LOGIN} | dict.fromkeys(ACTORS[1:], OK),
    "/fi/account/access-log/": {
        "anonymous": LOGIN,
        "customer_a": OK,
        "customer_b": OK,
        "official_x": DENIED,
        "official_y": DENIED,
        "administrator": DENIED,
    },
    "/fi/admin/": dict.fromkeys(ACTORS[:-1], ADMIN_LOGIN) | {"administrator": OK},
    "/fi/admin/audit/accessevent/": dict.fromkeys(ACTORS[:-1], ADMIN_LOGIN) | {"administrator": OK},
    "/fi/admin/audit/auditevent/": dict.fromkeys(ACTORS[:-1], ADMIN_LOGIN) | {"administrator": OK},
    "/fi/admin/identity/person/": dict.fromkeys(ACTORS[:-1], ADMIN_LOGIN) | {"administrator": OK},
    "/fi/admin/identity/localmandate/": dict.fromkeys(ACTORS[:-1], ADMIN_LOGIN)
    | {"administrator": OK},
    "/fi/admin/identity/apiclient/": dict.fromkeys(ACTORS[:-1], ADMIN_LOGIN)
    | {"administrator": OK},
}


@pytest.mark.parametrize("path", list(PAGES))
def test_pages(browsers, path):
    for actor, expected in PAGES[path].items():
        response = browsers[actor].get(path)
        if expected == LOGIN:
            assert response.status_code == 302, (actor, path)
            assert response["Location"].startswith("/fi/login/?next="), (actor, path)
        elif expected == ADMIN_LOGIN:
            assert response.status_code == 302, (actor, path)
            assert response["Location"].startswith("/fi/admin/login/"), (actor, path)
        else:
            assert response.status_code == expected, (actor, path, response.status_code)


def test_customer_sees_only_their_own_companys_access_log(browsers):
    # The page names who read what, without ids: tell the two entries apart by the reader.
    def official(name: str) -> Actor:
        return Actor(
            kind=ActorKind.OFFICIAL, ref="person:999", label=name, on_behalf_of="HKI-POLICE"
        )

    access_record(
        actor=official("Olli Ykkönen"),
        object_type="project",
        object_id=1,
        purpose="t",
        subject_business_id=FESTIVAALI,
    )
    access_record(
        actor=official("Outi Kakkonen"),
        object_type="project",
        object_id=2,
        purpose="t",
        subject_business_id=TERAS,
    )
    page_a = browsers["customer_a"].get("/en/account/access-log/").content.decode()
    page_b = browsers["customer_b"].get("/en/account/access-log/").content.decode()
    assert "Olli Ykkönen" in page_a and "Outi Kakkonen" not in page_a
    assert "Outi Kakkonen" in page_b and "Olli Ykkönen" not in page_b


API = {
    "/api/v1/identity/me": {"anonymous": 401, "system_x": 200, "system_y": 200, "customer": 401},
    "/api/v1/identity/authorities/HKI-POLICE/officials": {
        "anonymous": 401,
        "system_x": 200,
        "system_y": 403,
        "customer": 401,
    },
    "/api/v1/identity/authorities/TUKES/officials": {
        "anonymous": 401,
        "system_x": 403,
        "system_y": 200,
        "customer": 401,
    },
    "/api/v1/identity/companies/3141593-8": {
        "anonymous": 401,
        "system_x": 200,
        "system_y": 200,
        "customer": 401,
    },
}


@pytest.mark.parametrize("path", list(API))
def test_api_endpoints(browsers, path):
    tokens = {
        "system_x": api_token(ApiClientFactory.create(authority_code="HKI-POLICE")),
        "system_y": api_token(ApiClientFactory.create(authority_code="TUKES")),
    }
    for actor, expected in API[path].items():
        if actor == "customer":
            response = browsers["customer_a"].get(path)  # a browser session is no API credential
        elif actor == "anonymous":
            response = Client().get(path)
        else:
            response = Client().get(path, headers={"Authorization": f"Bearer {tokens[actor]}"})
        assert response.status_code == expected, (actor, path, response.content)
        if expected >= 400:
            assert response["Content-Type"] == "application/problem+json"


def test_every_api_endpoint_is_in_the_matrix():
    from luvat.config.api import api

    paths = {
        f"/api/v1/identity{route}"
        for router_path, router in api._routers
        if router_path.strip("/") == "identity"
        for route in router.path_operations
    }
    covered = {
        path.replace("HKI-POLICE", "{authority_code}").replace("3141593-8", "{business_id}")
        for path in API
    }
    assert paths <= covered, paths - covered


# -- policy functions for the objects later apps own --------------------------------------------

PROJECT = frozenset({"HKI-POLICE", "HKI-RESCUE", "HKI-ENV"})
POLICE_APP = ApplicationRef(FESTIVAALI, "HKI-POLICE", "public-event", False, PROJECT)
RESCUE_APP = ApplicationRef(FESTIVAALI, "HKI-RESCUE", "fireworks", False, PROJECT)
ENV_DRAFT = ApplicationRef(FESTIVAALI, "HKI-ENV", "noise", True, PROJECT)


@pytest.fixture
def actors() -> dict[str, Actor]:
    def official(code: str, services: list[str] | None = None) -> Actor:
        role = OfficialRoleFactory.create(authority_code=code, service_codes=services or [])
        return Actor(kind=ActorKind.OFFICIAL, ref=f"person:{role.person_id}", on_behalf_of=code)

    def system(code: str) -> Actor:
        client = ApiClientFactory.create(authority_code=code)
        return Actor(
            kind=ActorKind.AUTHORITY_SYSTEM, ref=f"api-client:{client.pk}", on_behalf_of=code
        )

    return {
        "anonymous": Actor.anonymous(),
        "customer_a": Actor(kind=ActorKind.CUSTOMER, ref="person:1", on_behalf_of=FESTIVAALI),
        "customer_b": Actor(kind=ActorKind.CUSTOMER, ref="person:2", on_behalf_of=TERAS),
        "police": official("HKI-POLICE"),
        "rescue": official("HKI-RESCUE"),
        "tukes": official("TUKES"),
        "police_other_service": official("HKI-POLICE", ["parking"]),
        "system_police": system("HKI-POLICE"),
        "system_tukes": system("TUKES"),
        "administrator": Actor(kind=ActorKind.ADMINISTRATOR, ref="user:1"),
        "former_official": Actor(
            kind=ActorKind.OFFICIAL, ref="person:424242", on_behalf_of="HKI-POLICE"
        ),
    }


ALL = set(Part)
STATUS = {Part.STATUS, Part.DECISION}
NONE: set[Part] = set()
READ = {
    # actor: (police application, rescue application, environment draft)
    "anonymous": (NONE, NONE, NONE),
    "customer_a": (ALL, ALL, ALL),
    "customer_b": (NONE, NONE, NONE),
    "police": (ALL, STATUS, NONE),
    "rescue": (STATUS, ALL, NONE),
    "tukes": (NONE, NONE, NONE),
    "police_other_service": (STATUS, STATUS, NONE),
    "system_police": (ALL, STATUS, NONE),
    "system_tukes": (NONE, NONE, NONE),
    "administrator": (NONE, NONE, NONE),
    "former_official": (NONE, NONE, NONE),
}


@pytest.mark.parametrize("name", list(READ))
def test_application_reads(actors, name):
    for application, allowed in zip((POLICE_APP, RESCUE_APP, ENV_DRAFT), READ[name], strict=True):
        granted = {part for part in Part if can_read_application(actors[name], application, part)}
        assert granted == allowed, (name, application)


@pytest.mark.parametrize("name", list(READ))
def test_application_writes_and_company_data(actors, name):
    actor = actors[name]
    assert can_write_application(actor, ENV_DRAFT) == (name == "customer_a")
    assert not can_write_application(actor, POLICE_APP)  # submitted: nobody edits it
    handling = {"police": True, "rescue": True, "system_police": True, "police_other_service": True}
    expected = name == "customer_a" or handling.get(name, False)
    assert can_read_company(actor, FESTIVAALI, handling_authority_codes=PROJECT) == expected


def test_querysets_are_filtered_by_the_actor(actors):
    for business_id in (FESTIVAALI, TERAS, FESTIVAALI):
        access_record(
            actor=Actor.system("t"), object_type="x", purpose="t", subject_business_id=business_id
        )
    events = AccessEvent.objects.all()
    assert events.filter(company_q(actors["customer_a"], "subject_business_id")).count() == 2
    assert events.filter(company_q(actors["customer_b"], "subject_business_id")).count() == 1
    for name in ("anonymous", "police", "system_police", "administrator"):
        assert not events.filter(company_q(actors[name], "subject_business_id")).exists()
    roles = OfficialRole.objects.all()
    assert set(
        roles.filter(authority_q(actors["police"])).values_list("authority_code", flat=True)
    ) == {"HKI-POLICE"}
    assert not roles.filter(authority_q(actors["customer_a"])).exists()
    assert not roles.filter(authority_q(actors["police_other_service"])).exists()
    assert not roles.filter(authority_q(actors["former_official"])).exists()


def test_actor_scopes(actors):
    assert companies_for(actors["customer_a"]) == {FESTIVAALI}
    assert companies_for(actors["police"]) == set()
    assert authority_codes_for(actors["system_tukes"]) == {"TUKES"}
    assert authority_codes_for(actors["former_official"]) == set()
    assert authority_codes_for(actors["administrator"]) == set()
