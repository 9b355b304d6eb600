"""Every error under /api/ is RFC 9457 problem+json with the right status."""

import json

import pytest

PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"]
    return body


def test_unknown_route(client):
    body = problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["type"] == "/problems/not-found"
    assert body["instance"] == "/api/v1/no-such-thing"
    assert body["request_id"]


def test_unknown_api_version(client):
    problem(client.get("/api/v9/"), 404)


@pytest.mark.urls("tests.problem_api_urls")
def test_wrong_method_on_known_route(client):
    response = client.delete("/api/test/things")
    body = problem(response, 405)
    assert body["type"] == "/problems/method-not-allowed"
    assert "POST" in response["Allow"]


@pytest.mark.urls("tests.problem_api_urls")
def test_malformed_json(client):
    response = client.post("/api/test/things", data="{not json", content_type="application/json")
    body = problem(response, 400)
    assert body["type"] == "/problems/malformed-json"


@pytest.mark.urls("tests.problem_api_urls")
def test_schema_violation_lists_errors(client):
    response = client.post(
        "/api/test/things",
        data=json.dumps({"name": "x", "count": "many"}),
        content_type="application/json",
    )
    body = problem(response, 422)
    assert body["type"] == "/problems/validation-error"
    assert any("count" in error["location"] for error in body["errors"])


@pytest.mark.urls("tests.problem_api_urls")
def test_domain_problem_carries_its_type_and_members(client):
    body = problem(client.get("/api/test/conflict"), 409)
    assert body["type"] == "/problems/invalid-transition"
    assert body["current_status"] == "closed"


@pytest.mark.urls("tests.problem_api_urls")
def test_unhandled_exception_is_a_500_problem_without_internals(client, settings):
    settings.DEBUG = False
    body = problem(client.get("/api/test/boom"), 500)
    assert "kaboom" not in json.dumps(body)


def test_request_id_is_echoed_when_sane(client):
    response = client.get("/livez", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    response = client.get("/livez", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
