"""Done when: responses carry the Content-Security-Policy and the other security headers on
pages, the API, error answers and static files alike, and HSTS over HTTPS in production."""

from __future__ import annotations

import pytest

from luvat.config.env import Environment

pytestmark = pytest.mark.django_db

PATHS = ["/fi/", "/api/v1/packages", "/api/v1/nothing-here", "/fi/nothing-here/", "/livez"]


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_a_strict_policy_and_the_other_headers(client, path) -> None:
    response = client.get(path)

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_template_nonce_is_in_the_policy_when_a_page_uses_one(rf) -> None:
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    assert isinstance(response, HttpResponse)

    nonce = str(request.csp_nonce)
    assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]


def test_production_sends_hsts(client, settings) -> None:
    production = Environment({"LUVAT_ENV": "production"})
    assert production.boolean("LUVAT_HTTPS") is True  # HTTPS, hence HSTS, is the default
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/livez", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
