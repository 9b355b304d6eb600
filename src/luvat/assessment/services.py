"""Writes of the assessment: running a questionnaire and storing its result."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from luvat.assessment.models import Assessment
from luvat.assessment.questionnaire import (
    AnswerError,
    clean_answers,
    compiled_package,
    evaluate_rules,
)
from luvat.assessment.results import build_result
from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import ServicePackage
from luvat.catalogue.snapshot import Snapshot, snapshot


class InvalidAnswers(Exception):
    """Some answers are missing or wrong; ``errors`` maps question id → error."""

    def __init__(self, errors: dict[str, AnswerError]) -> None:
        super().__init__(", ".join(f"{k}: {v.code}" for k, v in errors.items()))
        self.errors = errors


@transaction.atomic
def assessment_create(
    *,
    package: ServicePackage,
    answers: dict[str, Any],
    language: str,
    actor: Actor,
    from_form: bool = False,
    today: date | None = None,
    catalogue: Snapshot | None = None,
) -> Assessment:
    """Check the answers, run the package's rules and store answers and result.

    ``catalogue`` is the snapshot ``package`` came from (:func:`package_in_catalogue`);
    without it the current one is read. Two statements with it (the assessment and its audit
    entry). Raises InvalidAnswers (nothing stored) when an answer is missing, unknown or wrong.
    """
    today = today or timezone.localdate()
    catalogue = catalogue or snapshot()
    compiled = compiled_package(package, catalogue=catalogue)
    clean = clean_answers(
        compiled,
        answers,
        today=today,
        from_form=from_form,
        municipalities=catalogue.municipalities,
    )
    if clean.errors:
        raise InvalidAnswers(clean.errors)
    shown = {q.id: clean.values[q.id] for q in clean.shown}
    matches = evaluate_rules(compiled, clean.values)
    result = build_result(
        package=package,
        compiled=compiled,
        values=clean.values,
        matches=matches,
        language=language,
        today=today,
        catalogue=catalogue,
    )
    assessment = Assessment.objects.create(
        package=package, answers=shown, result=result, language=language
    )
    audit_record(
        actor=actor,
        action="assessment.create",
        target=assessment,
        details={
            "package": package.code,
            "definitely": [i["service"]["code"] for i in result["definitely"]],
            "possibly": [i["service"]["code"] for i in result["possibly"]],
        },
    )
    return assessment
