"""Technical readiness: an API-integrated service goes live only with a passing conformance run
against its endpoint that started after the endpoint last changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.onboarding import services
from luvat.onboarding.errors import GoLiveRefused
from luvat.onboarding.phases import Phase
from luvat.onboarding.readiness import latest_passing_conformance, technical_readiness
from tests.onboarding.conformance import conformance_run, endpoint
from tests.onboarding.factories import SYSTEM, complete_checklist, joining_with_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_service():
    service_joining = joining_with_service(mode="api", phase=Phase.TESTING)
    complete_checklist(service_joining)
    return service_joining


def test_without_any_run_the_gate_refuses(api_service):
    check = technical_readiness(authority_code="HKI-ENV", service_code=api_service.service.code)
    assert not check.ready
    with pytest.raises(GoLiveRefused):
        services.service_joining_move(
            service_joining=api_service, phase=Phase.PRODUCTION, actor=SYSTEM
        )


def test_a_passing_run_after_the_endpoint_change_opens_the_gate(api_service):
    target = endpoint("HKI-ENV")
    code = api_service.service.code
    conformance_run("HKI-ENV", target.url, passed=False)
    assert latest_passing_conformance("HKI-ENV", code) is None
    changed = target.endpoint_changed_at
    assert changed is not None
    conformance_run("HKI-ENV", target.url, started_at=changed - timedelta(days=1))
    assert latest_passing_conformance("HKI-ENV", code) is None  # older than the change
    conformance_run("HKI-ENV", "https://elsewhere.example.invalid/")
    assert latest_passing_conformance("HKI-ENV", code) is None  # another address
    run = conformance_run("HKI-ENV", target.url)
    assert latest_passing_conformance("HKI-ENV", code) == run
    moved = services.service_joining_move(
        service_joining=api_service, phase=Phase.PRODUCTION, actor=SYSTEM
    )
    assert moved.phase == Phase.PRODUCTION


def test_changing_the_endpoint_makes_an_old_run_stale(api_service):
    target = endpoint("HKI-ENV")
    conformance_run("HKI-ENV", target.url)
    target.endpoint_changed_at = timezone.now() + timedelta(seconds=1)
    target.save(update_fields=["endpoint_changed_at"])
    check = technical_readiness(authority_code="HKI-ENV", service_code=api_service.service.code)
    assert (check.ready, check.reason) == (False, "no_run")
