"""The questionnaire as an HTML form: reading answers from a request, writing them to a URL,
and the per-question data the template renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from luvat.assessment.questionnaire import AnswerError, CompiledPackage, Question


def form_answers(package: CompiledPackage, data: QueryDict) -> dict[str, Any]:
    """The raw answers in ``data`` (strings; lists for multi-choice), question ids only."""
    raw: dict[str, Any] = {}
    for question in package.questions:
        if question.type == "multi_choice":
            values = [v for v in data.getlist(question.id) if v]
            if values:
                raw[question.id] = values
        else:
            value = data.get(question.id, "")
            if isinstance(value, str) and value.strip():
                raw[question.id] = value.strip()
    return raw


def form_value(question: Question, value: Any) -> Any:
    """A cleaned answer as the form shows it."""
    if value is None:
        return [] if question.type == "multi_choice" else ""
    if question.type == "yes_no":
        return "yes" if value else "no"
    if question.type == "number":
        return str(value)
    return value


def answers_query(package: CompiledPackage, values: dict[str, Any], shown: list[Question]) -> str:
    """The shown answers as a query string, so that a URL keeps them (back/forward, links)."""
    query = QueryDict(mutable=True)
    for question in shown:
        value = form_value(question, values.get(question.id))
        if isinstance(value, list):
            query.setlist(question.id, value)
        elif value != "":
            query[question.id] = value
    return query.urlencode()


@dataclass
class Field:
    question: Question
    label: str
    help: str
    value: Any
    raw: Any
    error: AnswerError | None
    options: list[tuple[str, str]]

    @property
    def html_id(self) -> str:
        return f"q-{self.question.id}"

    @property
    def first_input_id(self) -> str:
        if self.question.type in {"yes_no", "choice", "multi_choice"}:
            return f"{self.html_id}-0"
        return self.html_id

    @property
    def shown_value(self) -> Any:
        """What the user typed when it was wrong, else the cleaned answer."""
        return self.raw if self.error is not None and self.raw is not None else self.value


def fields(
    package: CompiledPackage,
    shown: list[Question],
    values: dict[str, Any],
    raw: dict[str, Any],
    errors: dict[str, AnswerError],
    language: str,
    municipalities: list[tuple[str, str]],
) -> list[Field]:
    result = []
    for question in shown:
        if question.type == "yes_no":
            options = [("yes", "yes"), ("no", "no")]
        elif question.type == "municipality":
            options = municipalities
        else:
            options = [(o.value, o.label.get(language) or o.label["fi"]) for o in question.options]
        result.append(
            Field(
                question=question,
                label=question.text("label", language),
                help=question.text("help", language),
                value=form_value(question, values.get(question.id)),
                raw=raw.get(question.id),
                error=errors.get(question.id),
                options=options,
            )
        )
    return result
