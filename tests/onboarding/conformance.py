"""Conformance runs and endpoints for tests, through the integrations app's models (issue 6).

Until issue 6 is merged, the models do not exist and the tests that need them are skipped
with a reason naming it; the gate itself fails closed (an API service cannot go live)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

NEEDS_ISSUE_6 = "needs issue 6 (integrations: AuthorityEndpoint and ConformanceRun)"


def integrations_model(name: str) -> Any:
    try:
        return apps.get_model("integrations", name)
    except LookupError:
        pytest.skip(NEEDS_ISSUE_6)


def endpoint(authority_code: str, url: str = "https://case.example.invalid/luvat") -> Any:
    model = integrations_model("AuthorityEndpoint")
    return model.objects.create(
        code=f"{authority_code.lower()}-case",
        authority_code=authority_code,
        url=url,
        transport="http",
        endpoint_changed_at=timezone.now(),
    )


def conformance_run(
    authority_code: str, url: str, *, passed: bool = True, started_at: datetime | None = None
) -> Any:
    model = integrations_model("ConformanceRun")
    started = started_at or timezone.now()
    return model.objects.create(
        authority_code=authority_code,
        endpoint_url=url,
        transport="http",
        started_at=started,
        finished_at=started,
        passed=passed,
        report={"passed": passed, "checks": []},
    )
