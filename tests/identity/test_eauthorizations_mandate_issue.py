"""The service layer's own mandate issue in e-Authorizations: a person holding only that
mandate acts for the company; one with neither a register role nor the mandate is refused.
Recorded responses in the service's format (YPA organizationRoles)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from luvat.audit.models import AuditEvent
from tests.identity.factories import FESTIVAALI, TERAS, PersonFactory
from tests.identity.recorded_server import recorded_server
from tests.identity.test_eauthorizations import (
    API_KEY,
    CLIENT_ID,
    HETU,
    OAUTH_PASSWORD,
    make_client,
    recorded,
    signed,
    token_route,
)

ISSUE = "LUPAVALVONTA"


@pytest.fixture
def service():
    with recorded_server() as server:
        token = json.loads(recorded("eauth_token.json"))["access_token"]
        server.answer("GET", "/service/ypa/user/register/", signed(recorded("eauth_register.json")))
        server.answer("POST", "/oauth/token", token_route)
        server.answer(
            "GET",
            "/service/ypa/api/organizationRoles/",
            signed(recorded("eauth_organization_roles_mandate.json"), bearer=token),
        )
        yield server


def test_the_mandate_issue_is_asked_and_counts_as_much_as_a_role(service):
    client = make_client(service.url)
    client.mandate_issue = ISSUE
    client.accepted_roles = client.accepted_roles | {ISSUE}
    start = client.start(person_id=1, national_id=HETU, return_url="https://x/", request_id="r")
    state = client.finish(state=start.state, code="recorded-code", return_url="https://x/")
    companies = client.companies(person_id=1, state=state)
    assert [(c.business_id, c.basis) for c in companies] == [(FESTIVAALI, ISSUE)]
    query = parse_qs(urlparse(service.seen[-1].path).query)
    assert query["issues"] == [ISSUE]


def test_without_the_issue_configured_the_mandate_alone_does_not_count(service):
    client = make_client(service.url)  # register roles only
    start = client.start(person_id=1, national_id=HETU, return_url="https://x/", request_id="r")
    state = client.finish(state=start.state, code="recorded-code", return_url="https://x/")
    assert client.companies(person_id=1, state=state) == []
    assert "issues" not in parse_qs(urlparse(service.seen[-1].path).query)


@pytest.mark.django_db
def test_a_person_with_only_the_mandate_acts_for_the_company_the_other_is_refused(
    service, settings
):
    settings.LUVAT_MANDATES_BACKEND = "suomifi"
    settings.LUVAT_EAUTH_URL = service.url
    settings.LUVAT_EAUTH_CLIENT_ID = CLIENT_ID
    settings.LUVAT_EAUTH_API_KEY = API_KEY
    settings.LUVAT_EAUTH_OAUTH_PASSWORD = OAUTH_PASSWORD
    settings.LUVAT_EAUTH_MANDATE_ISSUE = ISSUE
    settings.LUVAT_PUBLIC_URL = "https://luvat.test"
    person = PersonFactory.create()
    client = Client()
    client.force_login(person.user)
    session = client.session
    session["luvat.pending_national_id"] = HETU
    session.save()
    client.get("/en/login/continue/")
    client.get("/identity/mandates/callback/?code=recorded-code")
    page = client.get("/en/account/choose/").content.decode()
    assert "Festivaali Oy (3141593-8)" in page
    assert "on the basis of: the mandate “Dealing with permit and supervision matters”" in page
    assert "Pohjolan Teräs" not in page

    chosen = client.post("/en/account/choose/", {"business_id": FESTIVAALI})
    assert chosen.status_code == 302
    event = AuditEvent.objects.get(action="person.act_for_company")
    assert (event.target_id, event.details["basis"]) == (FESTIVAALI, ISSUE)
    assert client.get("/en/projects/").status_code == 200

    refused = client.post("/en/account/choose/", {"business_id": TERAS})
    assert refused.status_code in (200, 403)
    assert not AuditEvent.objects.filter(action="person.act_for_company", target_id=TERAS).exists()
