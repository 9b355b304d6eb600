"""An application goes the way its authority had joined the service when it was started:
onboarding's mode, not the catalogue's, decides whether its authority system is told."""

from __future__ import annotations

import pytest
from django.utils import timezone

from luvat.catalogue.models import Authority, JoiningMode, Service
from luvat.integrations.models import OutboxMessage
from luvat.onboarding import services as onboarding
from luvat.onboarding.phases import Phase
from luvat.projects.models import Application, goes_by
from tests.integrations.conftest import AUTHORITY, submit_new_application
from tests.onboarding.conformance import conformance_run, endpoint
from tests.onboarding.factories import SYSTEM, joining_with_service
from tests.projects.factories import BUSINESS_A

pytestmark = pytest.mark.django_db


def test_applications_keep_the_route_of_the_day_they_were_started(vocab) -> None:
    # The catalogue says API; the authority joined the service as a light e-service first.
    first = submit_new_application("Ensimmäinen")
    assert first.route == JoiningMode.API  # no joining record yet: the catalogue holds
    # The authority pilots it as a light e-service with this company on the pilot list.
    service_joining = joining_with_service(
        authority=Authority.objects.get(code=AUTHORITY),
        service=Service.objects.get(pk=first.service_id),
        mode=JoiningMode.LIGHT,
        phase=Phase.PILOT,
    )
    onboarding.pilot_company_add(
        service_joining=service_joining, business_id=BUSINESS_A, company_name="Oy", actor=SYSTEM
    )
    light = submit_new_application("Kevyt")
    assert (light.joining_mode, light.route) == (JoiningMode.LIGHT, JoiningMode.LIGHT)
    assert not OutboxMessage.objects.filter(application=light).exists()

    # The move to API passes the go-live gate with a passing conformance run.
    conformance_run(AUTHORITY, endpoint(AUTHORITY).url)
    onboarding.service_joining_schedule_mode(
        service_joining=service_joining,
        mode=JoiningMode.API,
        effective_at=timezone.now(),
        actor=SYSTEM,
    )
    api = submit_new_application("Rajapinta")
    assert api.route == JoiningMode.API
    assert OutboxMessage.objects.filter(application=api, kind="application.submitted").exists()
    light.refresh_from_db()
    assert light.route == JoiningMode.LIGHT  # open applications keep their route
    assert set(
        Application.objects.filter(goes_by(JoiningMode.LIGHT)).values_list("pk", flat=True)
    ) == {light.pk}
