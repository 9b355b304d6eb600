"""The go-live gate: what still stands between a service and production.

A service enters production only when every mandatory checklist item that concerns it (the
authority-wide ones and its own) is done and, for an API integration, a conformance run has
passed against its endpoint after the endpoint last changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.catalogue.joining import meaning
from luvat.onboarding import readiness
from luvat.onboarding.models import ChecklistItem, ItemState, ModeChange, ServiceJoining, mode_at


@dataclass(frozen=True)
class Missing:
    """One thing missing before go-live; ``item_id`` points at a checklist item if any."""

    code: str
    text: str
    item_id: int | None = None


def checklist_missing(service_joining: ServiceJoining) -> list[Missing]:
    items = ChecklistItem.objects.filter(
        Q(service_joining__isnull=True) | Q(service_joining=service_joining),
        joining_id=service_joining.joining_id,
        mandatory=True,
    ).exclude(state=ItemState.DONE)
    return [
        Missing(code=f"checklist:{item.standard or item.pk}", text=item.label, item_id=item.pk)
        for item in items.order_by("position", "id")
    ]


def technical_missing(service_joining: ServiceJoining, mode: str) -> list[Missing]:
    """For an API integration: a passing conformance run newer than the endpoint's change."""
    if not meaning(mode).tells_authority_system:
        return []
    check = readiness.technical_readiness(
        authority_code=service_joining.joining.authority.code,
        service_code=service_joining.service.code,
    )
    if check.ready:
        return []
    return [Missing(code=f"conformance:{check.reason}", text=check.explanation)]


def mode_now(service_joining: ServiceJoining) -> str:
    changes = list(
        ModeChange.objects.filter(service_joining=service_joining).order_by("effective_at", "id")
    )
    return mode_at(changes, timezone.now(), service_joining.service.joining_mode)


def go_live_missing(service_joining: ServiceJoining) -> list[Missing]:
    """Everything missing before ``service_joining`` may enter production; empty when ready."""
    missing = checklist_missing(service_joining)
    missing += technical_missing(service_joining, mode_now(service_joining))
    return missing


def explain(missing: list[Missing]) -> str:
    return _("Not ready for production: %(items)s.") % {"items": "; ".join(m.text for m in missing)}
