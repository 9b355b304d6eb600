"""Done when: a table of hostile inputs and environments, each answered 4xx/503 (problem+json on
the API, a page elsewhere), never 5xx. The concurrent cases are in
tests/integrations/test_hostile_concurrency.py and the far dates in tests/supervision/."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from luvat.assessment.models import Assessment

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
HUGE = str(2**63)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    status: int
    body: bytes | dict[str, str] | None = None
    content_type: str = "application/json"
    field: str | None = None


def assessment_answer(literal: str) -> bytes:
    return b'{"package": "event", "answers": {"attendance": ' + literal.encode() + b"}}"


API_CASES = [
    Case("NUL in a query parameter", "GET", "/api/v1/authorities?q=%00", 422, field="q"),
    Case("NUL in a query parameter's name", "GET", "/api/v1/authorities?%00=1", 422),
    Case("NUL in the path", "GET", "/api/v1/assessments/ab%00cd", 422),
    Case("offset of 2^63", "GET", f"/api/v1/authorities?offset={HUGE}", 422),
    Case("offset of a million and one", "GET", "/api/v1/authorities?offset=1000001", 422),
    Case("negative limit", "GET", "/api/v1/authorities?limit=-1", 422),
    Case("limit of 2^63", "GET", f"/api/v1/authorities?limit={HUGE}", 422),
    Case("NaN as a number answer", "POST", "/api/v1/assessments", 422, assessment_answer("NaN")),
    Case("Infinity", "POST", "/api/v1/assessments", 422, assessment_answer("Infinity")),
    Case("-Infinity", "POST", "/api/v1/assessments", 422, assessment_answer("-Infinity")),
    Case("1e999", "POST", "/api/v1/assessments", 422, assessment_answer("1e999")),
    Case("integer beyond 64 bits", "POST", "/api/v1/assessments", 422, assessment_answer(HUGE)),
    Case(
        "lone surrogate in JSON text",
        "POST",
        "/api/v1/assessments",
        422,
        b'{"package": "ev\\ud800ent", "answers": {}}',
        field="package",
    ),
    Case(
        "NUL in JSON text",
        "POST",
        "/api/v1/assessments",
        422,
        b'{"package": "event", "answers": {"name": "a\\u0000b"}}',
        field="answers.name",
    ),
    Case(
        "NUL in a JSON key",
        "POST",
        "/api/v1/assessments",
        422,
        b'{"package": "event", "answers": {"a\\u0000": 1}}',
    ),
    Case("malformed JSON", "POST", "/api/v1/assessments", 400, b'{"package": '),
    Case(
        "integer of 5,000 digits",
        "POST",
        "/api/v1/assessments",
        400,
        assessment_answer("9" * 5000),
    ),
    Case(
        "NUL in a multipart form field",
        "POST",
        "/api/v1/assessments",
        422,
        {"package": "a\x00b"},
        content_type="multipart",
    ),
]


def send(client: Client, case: Case):
    if case.method == "GET":
        return client.get(case.path)
    if case.content_type == "multipart":
        return client.post(case.path, case.body)
    return client.post(case.path, case.body, content_type=case.content_type)


@pytest.mark.parametrize("case", API_CASES, ids=[case.name for case in API_CASES])
def test_hostile_api_input_is_a_problem_not_a_server_error(client, case: Case) -> None:
    response = send(client, case)

    assert response.status_code == case.status, response.content
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == case.status
    if case.status == 422:
        assert problem["errors"], problem
    if case.field:
        assert case.field in json.dumps(problem), problem
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_non_finite_number_names_its_field(client, literal: str) -> None:
    response = client.post(
        "/api/v1/assessments", assessment_answer(literal), content_type="application/json"
    )

    problem = response.json()
    assert problem["field"] == "answers.attendance"
    assert problem["errors"][0]["location"] == ["body", "answers", "attendance"]
    assert problem["errors"][0]["code"] == "number_out_of_range"


def test_a_body_over_the_memory_limit_is_413(client, settings) -> None:
    body = json.dumps({"package": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10), "answers": {}})

    response = client.post("/api/v1/assessments", body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/problems/payload-too-large"


@pytest.mark.parametrize("path", ["/api/v1/assessments", "/fi/assessment/"])
def test_more_multipart_fields_than_allowed_is_413(client, settings, path: str) -> None:
    fields = {f"f{index}": "x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(path, fields)

    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response["Content-Type"] == PROBLEM
    else:
        assert "text/html" in response["Content-Type"]


def test_more_urlencoded_fields_than_allowed_is_413(client, settings) -> None:
    body = "&".join(f"f{index}=x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.post(
        "/fi/assessment/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/api/v1/packages", "/fi/"])
def test_a_host_not_allowed_is_400_not_500(client, settings, path: str) -> None:
    settings.ALLOWED_HOSTS = ["luvat.example"]

    response = client.get(path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/fi/authorities/?q=%00", None),
        ("GET", "/fi/authorities/?q=a&kind=%00", None),
        ("POST", "/fi/account/choose/", {"business_id": "3141593-8\x00"}),
    ],
)
def test_nul_on_a_page_is_a_friendly_400(client, method: str, path: str, data) -> None:
    response = client.get(path) if method == "GET" else client.post(path, data)

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/fi/notifications/99999999999999999999/", "/fi/discussion/threads/" + HUGE + "0/"]
)
def test_a_number_beyond_64_bits_in_the_address_is_404(client, path: str) -> None:
    assert client.get(path).status_code == 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def database_down(transactional_db, tmp_path) -> Iterator[None]:
    """The real database out of reach: a closed port for PostgreSQL, a file in a missing
    folder for SQLite. Restored (and reconnected) afterwards."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = str(_free_port())
    else:
        connection.settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


DOWN_CASES = [
    ("GET", "/api/v1/packages", None),
    ("GET", "/api/v1/authorities?q=poliisi", None),
    ("POST", "/api/v1/assessments", {"package": "event", "answers": {"attendance": 10}}),
    ("GET", "/api/v1/projects/", None),
]


@pytest.mark.parametrize(("method", "path", "body"), DOWN_CASES)
def test_database_down_is_503_problem_with_retry_after(database_down, method, path, body) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, body, content_type="application/json")

    assert response.status_code == 503, response.content
    assert response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) > 0
    assert response.json()["type"] == "/problems/unavailable"


@pytest.mark.parametrize("path", ["/fi/", "/fi/projects/", "/fi/assessment/"])
def test_database_down_is_a_friendly_503_page(database_down, path: str) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32

    response = client.get(path)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "text/html" in response["Content-Type"]
    assert "Nothing was saved" in response.content.decode() or "tallennettu" in (
        response.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_after_the_outage_nothing_was_half_saved(tmp_path) -> None:
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = str(_free_port())
    else:
        connection.settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    try:
        Client(raise_request_exception=False).post(
            "/api/v1/assessments",
            {"package": "event", "answers": {"attendance": 10}},
            content_type="application/json",
        )
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert Assessment.objects.count() == 0
