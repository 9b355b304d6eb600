"""Permit-need assessment API (public): packages, questionnaires, assessments."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from luvat.assessment.models import Assessment
from luvat.assessment.selectors import (
    assessment_by_public_id,
    package_by_code,
    package_in_catalogue,
    packages_active,
)
from luvat.assessment.services import InvalidAnswers, assessment_create
from luvat.audit.actors import Actor
from luvat.catalogue.models import ServicePackage
from luvat.web.api_errors import ApiProblem
from luvat.web.ratelimits import address_key, check_api

router = Router(tags=["assessment"])

Language = Literal["fi", "sv", "en"]


class PackageOut(Schema):
    code: str
    name: dict[str, str]
    description: dict[str, str]
    services: list[str]


class QuestionnaireOut(Schema):
    package: str
    questions: list[dict[str, Any]] = Field(
        description="id, type (yes_no|number|date|choice|multi_choice|municipality|text|"
        "change|repeat), label, help, required, min, max, integer, future, options, show_if "
        '(JSON Logic), vocabulary, not_sure (the answer "not_sure" is accepted), '
        "decided_by, items and max_items (repeat: a list of objects), max_length (text); "
        'change answers are {"before": n, "after": n}'
    )


class AssessmentIn(Schema):
    package: str = Field(max_length=80)
    answers: dict[str, Any] = Field(description="question id → answer")
    language: Language = "fi"


class AssessmentOut(Schema):
    id: UUID
    package: str
    language: str
    created_at: datetime
    answers: dict[str, Any]
    result: dict[str, Any] = Field(description="see luvat.assessment.results for the shape")


def _texts(package: ServicePackage, field: str) -> dict[str, str]:
    return {lang: getattr(package, f"{field}_{lang}") for lang in ("fi", "sv", "en")}


def _assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.public_id,
        "package": assessment.package.code,
        "language": assessment.language,
        "created_at": assessment.created_at,
        "answers": assessment.answers,
        "result": assessment.result,
    }


@router.get("/packages", response=list[PackageOut], summary="The service packages")
def list_packages(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "name": _texts(p, "name"),
            "description": _texts(p, "description"),
            "services": [s.code for s in p.services.all()],
        }
        for p in packages_active().prefetch_related("services")
    ]


@router.get(
    "/packages/{code}/questionnaire",
    response=QuestionnaireOut,
    summary="A package's questions, with their conditions",
)
def get_questionnaire(request: HttpRequest, code: str) -> dict[str, Any]:
    package = package_by_code(code)
    if package is None:
        raise ApiProblem(status=404, slug="not-found", detail=f"No service package {code!r}.")
    return {"package": package.code, "questions": package.questionnaire}


@router.post(
    "/assessments",
    response={201: AssessmentOut},
    summary="Run a package's rules on answers and store the result",
)
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[dict[str, Any]]:
    check_api(request, "assessment", address_key(request))
    catalogue, package = package_in_catalogue(payload.package)
    if package is None:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail=f"There is no service package {payload.package!r}.",
            field="package",
            errors=[
                {
                    "location": ["body", "package"],
                    "field": "package",
                    "message": "unknown service package",
                    "code": "unknown_package",
                }
            ],
        )
    with translation.override(payload.language):
        try:
            assessment = assessment_create(
                package=package,
                answers=payload.answers,
                language=payload.language,
                actor=Actor.anonymous(),
                catalogue=catalogue,
            )
        except InvalidAnswers as exc:
            errors = [
                {
                    "location": [
                        "body",
                        "answers",
                        *(
                            int(p) if p.isascii() and p.isdigit() else p
                            for p in question_id.split(".")
                        ),
                    ],
                    "field": f"answers.{question_id}",
                    "message": str(error.message),
                    "code": error.code,
                }
                for question_id, error in exc.errors.items()
            ]
            raise ApiProblem(
                status=422,
                slug="invalid-answers",
                detail="Some answers are missing or wrong; see errors.",
                field=errors[0]["field"],
                errors=errors,
            ) from exc
    return Status(201, _assessment_out(assessment))


@router.get("/assessments/{public_id}", response=AssessmentOut, summary="A stored assessment")
def get_assessment(request: HttpRequest, public_id: str) -> dict[str, Any]:
    assessment = assessment_by_public_id(public_id)
    if assessment is None:
        raise ApiProblem(status=404, slug="not-found", detail="No such assessment.")
    return _assessment_out(assessment)
