"""Reading a stored permit-need assessment for a project: the services it suggests (the result
document's shape is documented in ``luvat.assessment.results``) and the answers that are
shared-data fields (questions carrying a ``vocabulary`` code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog

from luvat.assessment.models import Assessment
from luvat.assessment.questionnaire import compiled_package
from luvat.catalogue.joining import offerings_for
from luvat.catalogue.models import VocabularyField
from luvat.projects.values import clean_value, is_empty

log = structlog.get_logger(__name__)

TIERS = ("definitely", "possibly")


@dataclass(frozen=True)
class Suggestion:
    """One service the assessment suggests, as the result showed it."""

    code: str
    name: str
    tier: str
    authority_name: str
    authority_code: str
    latest_submission_date: str | None
    late: bool
    joining_mode: str


def suggestions(result: dict[str, Any]) -> list[Suggestion]:
    """Every suggested service, definitely needed first, each tier in the result's order.

    A service listed once per item of a repeatable answer (other operators' notices) is
    suggested once: a project holds the customer's own applications.
    """
    found: list[Suggestion] = []
    seen: set[str] = set()
    for tier in TIERS:
        for item in result.get(tier) or []:
            service = item.get("service") or {}
            if service.get("code") in seen:
                continue
            seen.add(str(service.get("code", "")))
            authority = item.get("authority") or {}
            found.append(
                Suggestion(
                    code=str(service.get("code", "")),
                    name=str(service.get("name", "")),
                    tier=tier,
                    authority_name=str(authority.get("name", "")),
                    authority_code=str(authority.get("code", "")),
                    latest_submission_date=item.get("latest_submission_date"),
                    late=bool(item.get("late")),
                    joining_mode=str(service.get("joining_mode", "")),
                )
            )
    return [s for s in found if s.code]


def withheld(items: list[Suggestion], business_id: str) -> set[str]:
    """Codes of suggested services the company cannot apply for here: the authority pilots
    them with other companies (or has not opened them yet)."""
    offerings = offerings_for(((s.authority_code, s.code) for s in items), business_id=business_id)
    return {s.code for s in items if not offerings[(s.authority_code, s.code)].offered}


def shared_data_from_answers(assessment: Assessment) -> dict[str, Any]:
    """Vocabulary code → cleaned value for every answered question mapped to a vocabulary field.

    Answers were checked when the assessment was made; a value the vocabulary no longer accepts
    (the catalogue changed since) is left out rather than blocking the project.
    """
    compiled = compiled_package(assessment.package)
    wanted = {
        q.vocabulary: assessment.answers.get(q.id)
        for q in compiled.questions
        if q.vocabulary and not is_empty(assessment.answers.get(q.id))
    }
    fields = {f.code: f for f in VocabularyField.objects.filter(code__in=list(wanted))}
    values: dict[str, Any] = {}
    for code, raw in wanted.items():
        field = fields.get(code)
        if field is None or raw in ([], {}):
            continue
        try:
            values[code] = clean_value(field, raw)
        except ValueError:
            log.warning("projects.assessment_answer_skipped", field=code)
    return values
