"""Phased adoption: a change of joining mode applies to applications started after it; open
applications keep the route they were started on until they are closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from luvat.catalogue.joining import offering_for
from luvat.onboarding import services
from luvat.onboarding.errors import GoLiveRefused, OnboardingError
from luvat.onboarding.phases import Phase
from luvat.projects.models import Application
from tests.onboarding.factories import SYSTEM, joining_with_service
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _application(service_joining, created_at, number, joining_mode=""):
    return Application.objects.create(
        project=ProjectFactory.create(),
        service=service_joining.service,
        authority=service_joining.joining.authority,
        reference=f"T-{number}",
        created_at=created_at,
        joining_mode=joining_mode,
    )


def _mode_now(service_joining) -> str:
    """The mode a new application of the service would store now (the catalogue's hook)."""
    return offering_for(
        authority_code=service_joining.joining.authority.code,
        service_code=service_joining.service.code,
        business_id="",
    ).mode


def test_open_applications_keep_the_old_route_and_new_ones_take_the_new(
    django_assert_num_queries,
):
    service_joining = joining_with_service(mode="light", phase=Phase.TESTING)
    now = timezone.now()
    old = _application(service_joining, now, 1, _mode_now(service_joining))
    change_at = now + timedelta(days=7)
    services.service_joining_schedule_mode(
        service_joining=service_joining, mode="api", effective_at=change_at, actor=SYSTEM
    )
    assert _mode_now(service_joining) == "light"
    with time_machine.travel(change_at - timedelta(seconds=1), tick=False):
        before_change = _application(service_joining, timezone.now(), 2, _mode_now(service_joining))
    with time_machine.travel(change_at + timedelta(hours=1), tick=False):
        after_change = _application(service_joining, timezone.now(), 3, _mode_now(service_joining))
        old.refresh_from_db()
        # The stored mode is the route: the change does not move an open application.
        routes = {
            application.pk: application.route
            for application in Application.objects.select_related("service")
        }
    assert routes == {old.pk: "light", before_change.pk: "light", after_change.pk: "api"}


def test_without_a_joining_record_the_catalogue_mode_holds():
    service_joining = joining_with_service()
    application = _application(service_joining, timezone.now(), 1)
    other = Application.objects.create(
        project=application.project,
        service=application.service,
        authority=None,
        reference="T-2",
        status="cancelled",
    )
    assert (
        offering_for(authority_code="", service_code=other.service.code, business_id="").mode == ""
    )
    assert other.route == application.service.joining_mode


def test_a_mode_change_cannot_start_in_the_past():
    service_joining = joining_with_service()
    with pytest.raises(OnboardingError) as refused:
        services.service_joining_schedule_mode(
            service_joining=service_joining,
            mode="api",
            effective_at=timezone.now() - timedelta(days=1),
            actor=SYSTEM,
        )
    assert refused.value.field == "effective_at"


def test_the_same_mode_again_is_refused():
    service_joining = joining_with_service(mode="light")
    with pytest.raises(OnboardingError) as refused:
        services.service_joining_schedule_mode(
            service_joining=service_joining, mode="light", effective_at=timezone.now(), actor=SYSTEM
        )
    assert refused.value.field == "mode"


def test_a_piloted_service_moves_to_api_only_with_a_passing_conformance_run():
    service_joining = joining_with_service(mode="light", phase=Phase.PILOT)
    with pytest.raises(GoLiveRefused):
        services.service_joining_schedule_mode(
            service_joining=service_joining, mode="api", effective_at=timezone.now(), actor=SYSTEM
        )
