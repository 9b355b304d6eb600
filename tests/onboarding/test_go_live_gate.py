"""The go-live gate: production needs every mandatory checklist item done (the refusal lists
what is missing), and an API integration a passing conformance run."""

from __future__ import annotations

import pytest

from luvat.onboarding import services
from luvat.onboarding.errors import GoLiveRefused, OnboardingError
from luvat.onboarding.models import ItemState, PhaseChange, StandardItem
from luvat.onboarding.phases import Phase
from tests.onboarding.factories import (
    SYSTEM,
    complete_checklist,
    environment_service,
    joining_with_service,
)

pytestmark = pytest.mark.django_db


def test_refusal_lists_every_mandatory_item_not_done():
    service_joining = joining_with_service(phase=Phase.PILOT)
    with pytest.raises(GoLiveRefused) as refused:
        services.service_joining_move(
            service_joining=service_joining, phase=Phase.PRODUCTION, actor=SYSTEM
        )
    labels = {m.text for m in refused.value.missing}
    assert labels == {str(item.label) for item in StandardItem}
    service_joining.refresh_from_db()
    assert service_joining.phase == Phase.PILOT


def test_an_own_mandatory_item_blocks_and_an_optional_one_does_not():
    service_joining = joining_with_service(phase=Phase.PILOT)
    complete_checklist(service_joining)
    services.checklist_item_add(
        joining=service_joining.joining, title="Nice to have", mandatory=False, actor=SYSTEM
    )
    own = services.checklist_item_add(
        joining=service_joining.joining, title="Archive plan", mandatory=True, actor=SYSTEM
    )
    with pytest.raises(GoLiveRefused) as refused:
        services.service_joining_move(
            service_joining=service_joining, phase=Phase.PRODUCTION, actor=SYSTEM
        )
    assert [m.text for m in refused.value.missing] == ["Archive plan"]
    services.checklist_item_update(
        item=own,
        actor=SYSTEM,
        owner="x",
        state=ItemState.DONE,
        evidence_note="",
        evidence_link="https://example.invalid/plan",
        done_on=None,
    )
    moved = services.service_joining_move(
        service_joining=service_joining, phase=Phase.PRODUCTION, actor=SYSTEM
    )
    assert moved.phase == Phase.PRODUCTION
    assert moved.production_since is not None
    assert list(
        PhaseChange.objects.filter(service_joining=moved).values_list("phase", flat=True)
    ) == ["decided", "preparing", "testing", "pilot", "production"]


def test_another_services_items_do_not_block():
    first = joining_with_service(phase=Phase.PILOT)
    second = joining_with_service(
        authority=first.joining.authority, service=environment_service("other")
    )
    complete_checklist(first)
    assert (
        services.service_joining_move(
            service_joining=first, phase=Phase.PRODUCTION, actor=SYSTEM
        ).phase
        == Phase.PRODUCTION
    )
    with pytest.raises(GoLiveRefused) as refused:
        services.service_joining_move(service_joining=second, phase=Phase.PRODUCTION, actor=SYSTEM)
    assert {m.code for m in refused.value.missing} == {"checklist:technical", "checklist:testing"}


def test_a_move_outside_the_phase_table_is_refused():
    service_joining = joining_with_service(phase=Phase.PREPARING)
    with pytest.raises(OnboardingError) as refused:
        services.service_joining_move(
            service_joining=service_joining, phase=Phase.PRODUCTION, actor=SYSTEM
        )
    assert refused.value.field == "phase"


def test_a_done_item_needs_evidence():
    service_joining = joining_with_service()
    item = service_joining.joining.checklist.order_by("id")[0]
    with pytest.raises(OnboardingError) as refused:
        services.checklist_item_update(
            item=item,
            actor=SYSTEM,
            owner="x",
            state=ItemState.DONE,
            evidence_note=" ",
            evidence_link="",
            done_on=None,
        )
    assert refused.value.field == "evidence_note"


def test_an_api_service_is_refused_without_a_passing_conformance_run():
    service_joining = joining_with_service(mode="api", phase=Phase.TESTING)
    complete_checklist(service_joining)
    with pytest.raises(GoLiveRefused) as refused:
        services.service_joining_move(
            service_joining=service_joining, phase=Phase.PRODUCTION, actor=SYSTEM
        )
    assert [m.code.split(":")[0] for m in refused.value.missing] == ["conformance"]
