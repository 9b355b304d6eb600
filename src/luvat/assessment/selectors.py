"""Reads of the assessment, for its pages and API and for the projects app."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from luvat.assessment.models import Assessment
from luvat.catalogue.models import Municipality, Service, ServicePackage


def packages_active() -> QuerySet[ServicePackage]:
    return ServicePackage.objects.filter(active=True).order_by("order", "code")


def package_by_code(code: str) -> ServicePackage | None:
    """An active package with its services prefetched, or None."""
    services = Prefetch("services", queryset=Service.objects.only("id", "code"))
    return packages_active().prefetch_related(services).filter(code=code).first()


def assessment_by_public_id(public_id: UUID | str) -> Assessment | None:
    try:
        key = UUID(str(public_id))
    except ValueError:
        return None
    return Assessment.objects.select_related("package").filter(public_id=key).first()


def assessment_result(public_id: UUID | str) -> dict[str, Any] | None:
    """The stored result document of an assessment (shape: luvat.assessment.results), or None.

    One query. The projects app turns it into a project; ``assessment_by_public_id`` gives
    the answers as well.
    """
    try:
        key = UUID(str(public_id))
    except ValueError:
        return None
    row = Assessment.objects.filter(public_id=key).values("result").first()
    return row["result"] if row else None


def municipality_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) sorted by name, for municipality questions."""
    municipalities = list(Municipality.objects.all())
    return sorted(((m.code, m.name) for m in municipalities), key=lambda pair: pair[1])
