"""Authority systems on the API: per-authority API keys with rotation, problem+json refusals,
the X-Road-Client header recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from luvat.audit.actors import Actor
from luvat.audit.models import AccessEvent
from luvat.identity.apiauth import parse_api_key
from luvat.identity.models import ApiKey
from luvat.identity.services import api_key_issue, api_key_revoke
from luvat.identity.xroad import parse_x_road_client
from tests.identity.factories import ApiClientFactory, OfficialRoleFactory, api_token

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def get(path: str, token: str | None = None, **headers: str):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return Client().get(path, headers=headers)


def assert_problem(response, status: int, slug: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == f"/problems/{slug}"


def test_valid_key_identifies_the_authority_system():
    client = ApiClientFactory.create(authority_code="TUKES", name="Tukes case system")
    response = get("/api/v1/identity/me", api_token(client))
    assert response.status_code == 200
    assert response.json() == {
        "name": "Tukes case system",
        "authority_code": "TUKES",
        "service_codes": [],
        "x_road_client": "",
    }


def test_only_a_digest_of_the_secret_is_stored():
    client = ApiClientFactory.create()
    token = api_token(client)
    secret = token.split("_", 2)[2]
    key = ApiKey.objects.get()
    assert secret not in key.secret_digest and len(key.secret_digest) == 64


@pytest.mark.parametrize(
    ("header", "slug"),
    [
        (None, "unauthenticated"),
        ("Basic dXNlcjpwYXNz", "invalid-credentials"),
        ("Bearer nonsense", "invalid-credentials"),
        ("Bearer luvat_unknownid_secretsecret", "invalid-credentials"),
    ],
)
def test_missing_malformed_or_unknown_credentials_get_401(header, slug):
    headers = {"Authorization": header} if header else {}
    assert_problem(Client().get("/api/v1/identity/me", headers=headers), 401, slug)


def test_wrong_secret_of_a_known_key_gets_401():
    token = api_token(ApiClientFactory.create())
    assert_problem(get("/api/v1/identity/me", token[:-2] + "xx"), 401, "invalid-credentials")


def test_rotation_keeps_the_old_key_for_the_grace_period_then_refuses_it():
    client = ApiClientFactory.create()
    old = api_token(client)
    new = api_key_issue(client=client, actor=SYSTEM, old_keys_valid_for=timedelta(days=7)).token
    assert get("/api/v1/identity/me", old).status_code == 200
    assert get("/api/v1/identity/me", new).status_code == 200
    old_key = ApiKey.objects.get(key_id=old.split("_")[1])
    old_key.expires_at = timezone.now() - timedelta(seconds=1)
    old_key.save(update_fields=["expires_at"])
    assert_problem(get("/api/v1/identity/me", old), 401, "credentials-expired")
    assert get("/api/v1/identity/me", new).status_code == 200


def test_revoked_key_and_deactivated_client_are_refused():
    client = ApiClientFactory.create()
    token = api_token(client)
    api_key_revoke(key=ApiKey.objects.get(), actor=SYSTEM)
    assert_problem(get("/api/v1/identity/me", token), 401, "credentials-expired")
    other = ApiClientFactory.create(is_active=False)
    assert_problem(get("/api/v1/identity/me", api_token(other)), 401, "invalid-credentials")


def test_key_of_another_authority_gets_403_and_is_logged():
    OfficialRoleFactory.create(authority_code="HKI-RESCUE")
    token = api_token(ApiClientFactory.create(authority_code="HKI-POLICE"))
    response = get("/api/v1/identity/authorities/HKI-RESCUE/officials", token)
    assert_problem(response, 403, "other-authority")
    denied = AccessEvent.objects.get(outcome="denied")
    assert (denied.actor_kind, denied.actor_organisation, denied.object_id) == (
        "authority_system",
        "HKI-POLICE",
        "HKI-RESCUE",
    )


def test_reading_own_officials_is_logged_with_the_x_road_client():
    role = OfficialRoleFactory.create(authority_code="HKI-POLICE", person__given_name="Pekka")
    token = api_token(ApiClientFactory.create(authority_code="HKI-POLICE"))
    response = get(
        "/api/v1/identity/authorities/HKI-POLICE/officials",
        token,
        **{"X-Road-Client": "FI/MUN/0201256-6/poliisi-asiointi"},
    )
    assert response.status_code == 200
    assert [o["given_name"] for o in response.json()] == [role.person.given_name]
    event = AccessEvent.objects.get(outcome="allowed")
    assert event.x_road_client == "FI/MUN/0201256-6/poliisi-asiointi"
    assert event.purpose == "api:identity.officials"


def test_service_limited_system_cannot_read_authority_wide_data():
    token = api_token(
        ApiClientFactory.create(authority_code="TUKES", service_codes=["tukes-fireworks"])
    )
    assert_problem(
        get("/api/v1/identity/authorities/TUKES/officials", token), 403, "other-authority"
    )


def test_company_look_up_validates_the_business_id():
    token = api_token(ApiClientFactory.create())
    assert get("/api/v1/identity/companies/3141593-8", token).json()["name"] == "Festivaali Oy"
    assert_problem(get("/api/v1/identity/companies/3141593-9", token), 422, "invalid-business-id")
    assert_problem(get("/api/v1/identity/companies/1618033-3", token), 404, "not-found")
    assert_problem(get("/api/v1/identity/companies/0000001-9", token), 503, "unavailable")


@given(st.text(max_size=80))
def test_api_key_parser_never_crashes(token):
    parsed = parse_api_key(token)
    if parsed is not None:
        key_id, secret = parsed
        assert key_id.isalnum() and secret and token.strip() == f"luvat_{key_id}_{secret}"


part = st.from_regex(r"[A-Za-z0-9._:\-]{1,20}", fullmatch=True)


@given(part, part, part, st.one_of(st.just(""), part))
def test_x_road_client_round_trip(instance, member_class, member, subsystem):
    text = "/".join(p for p in (instance, member_class, member, subsystem) if p)
    parsed = parse_x_road_client(text)
    assert parsed is not None and str(parsed) == text


@given(st.text(max_size=80))
def test_x_road_client_parser_never_crashes(value):
    parsed = parse_x_road_client(value)
    if parsed is not None:
        assert "/" not in parsed.member_code and " " not in str(parsed)
