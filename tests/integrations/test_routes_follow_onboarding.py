"""An application goes the way its authority had joined the service when it was started:
onboarding's mode, not the catalogue's, decides whether its authority system is told."""

from __future__ import annotations

import pytest
from django.utils import timezone

from luvat.catalogue.models import Authority, JoiningMode, Service
from luvat.integrations.models import OutboxMessage
from luvat.onboarding import services as onboarding
from luvat.projects.models import Application, goes_by
from tests.integrations.conftest import AUTHORITY, submit_new_application
from tests.onboarding.factories import SYSTEM

pytestmark = pytest.mark.django_db


def test_applications_keep_the_route_of_the_day_they_were_started(vocab) -> None:
    # The catalogue says API; the authority joined the service as a light e-service first.
    first = submit_new_application("Ensimmäinen")
    assert first.route == JoiningMode.API  # no joining record yet: the catalogue holds
    service = Service.objects.get(pk=first.service_id)
    joining = onboarding.joining_create(
        authority=Authority.objects.get(code=AUTHORITY), actor=SYSTEM
    )
    service_joining = onboarding.service_joining_add(
        joining=joining, service=service, mode=JoiningMode.LIGHT, actor=SYSTEM
    )
    light = submit_new_application("Kevyt")
    assert (light.joining_mode, light.route) == (JoiningMode.LIGHT, JoiningMode.LIGHT)
    assert not OutboxMessage.objects.filter(application=light).exists()

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
