"""Reads of the assessment, for its pages and API and for the projects app."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from luvat.assessment.models import Assessment
from luvat.catalogue.models import Municipality, ServicePackage
from luvat.catalogue.snapshot import Snapshot, snapshot


def packages_active() -> QuerySet[ServicePackage]:
    return ServicePackage.objects.filter(active=True).order_by("order", "code")


def package_by_code(code: str) -> ServicePackage | None:
    """An active package with its services prefetched, or None (from the catalogue snapshot:
    one query when the catalogue has not changed). Shared by the process: do not modify it."""
    return snapshot().packages.get(code)


def package_in_catalogue(code: str) -> tuple[Snapshot, ServicePackage | None]:
    """The current catalogue snapshot and its active package ``code`` (or None): one query,
    and ``assessment_create(catalogue=…)`` needs none more for the catalogue."""
    catalogue = snapshot()
    return catalogue, catalogue.packages.get(code)


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


def result_in_language(assessment: Assessment, language: str) -> dict[str, Any]:
    """The assessment's result in ``language``: the stored document when it was made in that
    language, else the same answers evaluated again on the day of the assessment, with the
    texts in ``language`` (a language switch on the result page must not keep the old one)."""
    result: dict[str, Any] = assessment.result
    if assessment.language == language or not result:
        return result
    from datetime import date

    from luvat.assessment.questionnaire import compiled_package, evaluate_rules
    from luvat.assessment.results import build_result

    compiled = compiled_package(assessment.package)
    values = {q.id: assessment.answers.get(q.id) for q in compiled.questions}
    try:
        day = date.fromisoformat(str(result.get("evaluated_on", "")))
    except ValueError:
        return result
    return build_result(
        package=assessment.package,
        compiled=compiled,
        values=values,
        matches=evaluate_rules(compiled, values),
        language=language,
        today=day,
    )
