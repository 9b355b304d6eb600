"""The Suomi.fi e-Authorizations client against recorded responses in the service's format, and
the checksum header it signs every request with."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from luvat.identity.mandates import MandateError, MandateUnavailable
from luvat.identity.mandates.signing import (
    HEADER,
    ChecksumHeaderError,
    build_header,
    parse_header,
    verify_header,
)
from luvat.identity.mandates.suomifi import EAuthorizationsClient
from tests.identity.factories import PersonFactory
from tests.identity.recorded_server import Answer, Seen, recorded_server

RECORDED = Path(__file__).parent / "recorded"
CLIENT_ID = "luvat001"
API_KEY = "recorded-api-key-0123456789"
OAUTH_PASSWORD = "recorded-oauth-password"
HETU = "010280-952L"
ROLES = frozenset({"TJ", "TIL", "ELI", "S", "IS", "NIMKO"})


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def signed(route_body: bytes, *, bearer: str = ""):
    """A route that checks the checksum header (and bearer token) as the service does."""

    def route(request: Seen) -> Answer:
        try:
            verify_header(
                request.headers.get(HEADER, ""),
                client_id=CLIENT_ID,
                api_key=API_KEY,
                path_with_query=request.path,
                now=timezone.now(),
            )
        except ChecksumHeaderError as exc:
            return Answer(401, json.dumps({"error": str(exc)}).encode())
        if bearer and request.headers.get("Authorization") != f"Bearer {bearer}":
            return Answer(401, b'{"error": "invalid_token"}')
        return Answer(200, route_body)

    return route


def token_route(request: Seen) -> Answer:
    expected = base64.b64encode(f"{CLIENT_ID}:{OAUTH_PASSWORD}".encode()).decode()
    query = parse_qs(urlparse(request.path).query)
    if request.headers.get("Authorization") != f"Basic {expected}":
        return Answer(401, b'{"error": "unauthorized"}')
    if query.get("code") != ["recorded-code"] or query.get("grant_type") != ["authorization_code"]:
        return Answer(400, b'{"error": "invalid_grant"}')
    return Answer(200, recorded("eauth_token.json"))


@pytest.fixture
def service():
    with recorded_server() as server:
        token = json.loads(recorded("eauth_token.json"))["access_token"]
        server.answer("GET", "/service/ypa/user/register/", signed(recorded("eauth_register.json")))
        server.answer("POST", "/oauth/token", token_route)
        server.answer(
            "GET",
            "/service/ypa/api/organizationRoles/",
            signed(recorded("eauth_organization_roles.json"), bearer=token),
        )
        server.answer("GET", "/service/ypa/user/unregister/", signed(b""))
        yield server


def make_client(url: str, api_key: str = API_KEY) -> EAuthorizationsClient:
    return EAuthorizationsClient(
        base_url=url,
        client_id=CLIENT_ID,
        api_key=api_key,
        oauth_password=OAUTH_PASSWORD,
        accepted_roles=ROLES,
        timeout=5,
    )


def test_full_flow_lists_companies_with_complete_signing_roles(service):
    client = make_client(service.url)
    start = client.start(
        person_id=1, national_id=HETU, return_url="https://luvat.test/cb/", request_id="r1"
    )
    assert start.state == {
        "session_id": "a6d1b2f5c3e84b7f9e0d4c1b2a3f4e5d",
        "user_id": "7f3e2d1c-0b9a-4877-a665-544332211000",
    }
    redirect = urlparse(start.redirect_url)
    assert redirect.path == "/oauth/authorize"
    assert parse_qs(redirect.query) == {
        "client_id": [CLIENT_ID],
        "response_type": ["code"],
        "redirect_uri": ["https://luvat.test/cb/"],
        "user": ["7f3e2d1c-0b9a-4877-a665-544332211000"],
    }
    state = client.finish(
        state=start.state, code="recorded-code", return_url="https://luvat.test/cb/"
    )
    companies = client.companies(person_id=1, state=state)
    assert [(c.business_id, c.name, c.roles) for c in companies] == [
        ("2718282-8", "Pohjolan Teräs Oy", ("NIMKO",)),
        ("3141593-8", "Festivaali Oy", ("TJ", "ELI")),
    ]
    paths = [seen.path for seen in service.seen]
    assert paths[0] == f"/service/ypa/user/register/{CLIENT_ID}/{HETU}?requestId=r1"
    assert paths[2].startswith(
        "/service/ypa/api/organizationRoles/a6d1b2f5c3e84b7f9e0d4c1b2a3f4e5d?requestId="
    )
    client.end(state=state)
    assert service.seen[-1].path == "/service/ypa/user/unregister/a6d1b2f5c3e84b7f9e0d4c1b2a3f4e5d"


def test_wrong_api_key_is_refused_by_the_service(service):
    client = make_client(service.url, api_key="not-the-key")
    with pytest.raises(MandateError, match="refused the register call"):
        client.start(person_id=1, national_id=HETU, return_url="https://x/", request_id="r")


def test_wrong_authorisation_code_is_an_error(service):
    client = make_client(service.url)
    with pytest.raises(MandateError, match="code was refused"):
        client.finish(state={"session_id": "s"}, code="stolen", return_url="https://x/")


def test_companies_without_a_token_must_start_again(service):
    with pytest.raises(MandateError, match="must choose again"):
        make_client(service.url).companies(person_id=1, state={"session_id": "s"})


def test_service_errors_are_unavailable_not_empty(service):
    service.answer("GET", "/service/ypa/api/organizationRoles/", lambda r: Answer(503, b"down"))
    client = make_client(service.url)
    with pytest.raises(MandateUnavailable):
        client.companies(person_id=1, state={"session_id": "s", "access_token": "t"})
    service.answer(
        "GET", "/service/ypa/api/organizationRoles/", lambda r: Answer(200, b"{not json")
    )
    with pytest.raises(MandateUnavailable):
        client.companies(person_id=1, state={"session_id": "s", "access_token": "t"})


def test_unreachable_service_is_unavailable():
    client = make_client("http://127.0.0.1:9")
    with pytest.raises(MandateUnavailable):
        client.start(person_id=1, national_id=HETU, return_url="https://x/", request_id="r")


@pytest.mark.django_db
def test_login_flow_through_e_authorizations(service, settings):
    """Log-in → register → browser to e-Authorizations → back with a code → company choice."""
    settings.LUVAT_MANDATES_BACKEND = "suomifi"
    settings.LUVAT_EAUTH_URL = service.url
    settings.LUVAT_EAUTH_CLIENT_ID = CLIENT_ID
    settings.LUVAT_EAUTH_API_KEY = API_KEY
    settings.LUVAT_EAUTH_OAUTH_PASSWORD = OAUTH_PASSWORD
    settings.LUVAT_PUBLIC_URL = "https://luvat.test"
    person = PersonFactory.create()
    client = Client()
    client.force_login(person.user)
    session = client.session
    session["luvat.pending_national_id"] = HETU
    session.save()

    response = client.get("/fi/login/continue/")
    assert response["Location"].startswith(f"{service.url}/oauth/authorize?")
    assert "luvat.pending_national_id" not in client.session  # used once, then dropped
    callback = client.get("/identity/mandates/callback/?code=recorded-code")
    assert callback["Location"] == "/fi/account/choose/"
    page = client.get("/fi/account/choose/").content.decode()
    assert "Festivaali Oy (3141593-8)" in page and "Keskeneräinen" not in page


# -- the checksum header ------------------------------------------------------------------------

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
paths = st.from_regex(
    r"/service/ypa/[a-zA-Z0-9/]{1,40}(\?requestId=[a-f0-9]{1,32})?", fullmatch=True
)


@given(path=paths, key=st.text(min_size=1, max_size=64))
def test_header_round_trip(path, key):
    header = build_header(client_id=CLIENT_ID, api_key=key, path_with_query=path, now=NOW)
    verify_header(str(header), client_id=CLIENT_ID, api_key=key, path_with_query=path, now=NOW)
    assert parse_header(str(header)) == header


@given(path=paths, other=paths)
def test_header_for_another_path_does_not_verify(path, other):
    header = build_header(client_id=CLIENT_ID, api_key=API_KEY, path_with_query=path, now=NOW)
    if other == path:
        return
    with pytest.raises(ChecksumHeaderError, match="does not match"):
        verify_header(
            str(header), client_id=CLIENT_ID, api_key=API_KEY, path_with_query=other, now=NOW
        )


@given(minutes=st.integers(min_value=-60, max_value=60))
def test_clock_tolerance_is_five_minutes(minutes):
    header = build_header(
        client_id=CLIENT_ID,
        api_key=API_KEY,
        path_with_query="/p",
        now=NOW + timedelta(minutes=minutes),
    )
    if abs(minutes) <= 5:
        verify_header(
            str(header), client_id=CLIENT_ID, api_key=API_KEY, path_with_query="/p", now=NOW
        )
    else:
        with pytest.raises(ChecksumHeaderError, match="five minutes"):
            verify_header(
                str(header), client_id=CLIENT_ID, api_key=API_KEY, path_with_query="/p", now=NOW
            )


@given(st.text(max_size=120))
def test_parser_never_crashes_on_garbage(value):
    try:
        header = parse_header(value)
    except ChecksumHeaderError:
        return
    assert len(base64.b64decode(header.checksum)) == 32


def test_known_checksum_value():
    header = build_header(
        client_id="abcdefgh", api_key="secret", path_with_query="/x?requestId=1", now=NOW
    )
    assert header.timestamp == "2026-11-29T12:00:00+00:00"
    assert header.checksum == "RgHBbSWYkDTcWmvOG13XZeMisQx7p3PgRy1ydnBZCSo="
