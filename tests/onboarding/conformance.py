"""Conformance runs and endpoints for tests, stored in the integrations app's models."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from luvat.integrations.models import AuthorityEndpoint, ConformanceRun


def endpoint(
    authority_code: str, url: str = "https://case.example.invalid/luvat"
) -> AuthorityEndpoint:
    return AuthorityEndpoint.objects.create(
        code=f"{authority_code.lower()}-case",
        authority_code=authority_code,
        url=url,
        transport="http",
        endpoint_changed_at=timezone.now(),
    )


def conformance_run(
    authority_code: str, url: str, *, passed: bool = True, started_at: datetime | None = None
) -> ConformanceRun:
    started = started_at or timezone.now()
    return ConformanceRun.objects.create(
        authority_code=authority_code,
        endpoint_url=url,
        transport="http",
        started_at=started,
        finished_at=started,
        passed=passed,
        report={"passed": passed, "checks": []},
    )
