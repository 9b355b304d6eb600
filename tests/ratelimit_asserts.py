"""Shared checks of a 429 answer (tests of luvat.web.ratelimits)."""

from __future__ import annotations

from typing import Any


def assert_api_429(response: Any) -> None:
    assert response.status_code == 429, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    seconds = int(response["Retry-After"])
    assert seconds >= 1
    body = response.json()
    assert body["type"] == "/problems/too-many-requests"
    assert body["status"] == 429
    assert body["retry_after"] == seconds


def assert_page_429(response: Any, text: str) -> None:
    assert response.status_code == 429, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) >= 1
    assert text in response.content.decode()
