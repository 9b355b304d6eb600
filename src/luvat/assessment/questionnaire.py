"""A package's questionnaire and rules, compiled once, and the checking of answers.

``compiled_package(package)`` turns the JSON of a ServicePackage into typed questions
and compiled JSON Logic rules (cached per process, keyed by the package's content).
``clean_answers`` checks answers from the API (JSON types) or from an HTML form
(strings), works out which questions are shown, and reports problems per question in
the active language.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from datalogic_py import Rule
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luvat.catalogue.logic import compile_expression, data_handle, holds
from luvat.catalogue.models import Municipality, ServicePackage

DEFINITELY = "definitely"
POSSIBLY = "possibly"


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: dict[str, str]
    help: dict[str, str]
    required: bool
    minimum: float | None
    maximum: float | None
    integer: bool
    future: bool
    options: tuple[Option, ...]
    show_if: Rule | None
    vocabulary: str

    def text(self, attribute: str, language: str) -> str:
        texts: dict[str, str] = getattr(self, attribute)
        return texts.get(language) or texts.get("fi") or ""

    def option_values(self) -> set[str]:
        return {option.value for option in self.options}

    def empty(self) -> Any:
        return [] if self.type == "multi_choice" else None


@dataclass(frozen=True)
class PackageRule:
    service: str
    tier: str
    when: Rule
    reason: dict[str, str]
    legal_basis: str


@dataclass(frozen=True)
class CompiledPackage:
    code: str
    questions: tuple[Question, ...]
    rules: tuple[PackageRule, ...]
    services: tuple[str, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def question_for(self, vocabulary: str) -> Question | None:
        return next((q for q in self.questions if q.vocabulary == vocabulary), None)


_cache: dict[str, CompiledPackage] = {}


def compiled_package(package: ServicePackage) -> CompiledPackage:
    """The package's questionnaire and rules, compiled (cached by content)."""
    services = tuple(s.code for s in package.services.all())
    key = hashlib.sha256(
        json.dumps([package.code, package.questionnaire, package.rules], sort_keys=True).encode()
    ).hexdigest()
    compiled = _cache.get(key)
    if compiled is None:
        compiled = CompiledPackage(
            code=package.code,
            questions=tuple(_question(q) for q in package.questionnaire),
            rules=tuple(
                PackageRule(
                    service=r["service"],
                    tier=r["tier"],
                    when=compile_expression(r["when"]),
                    reason=r["reason"],
                    legal_basis=r.get("legal_basis", ""),
                )
                for r in package.rules
            ),
            services=services,
        )
        _cache[key] = compiled
    return compiled


def _question(data: dict[str, Any]) -> Question:
    return Question(
        id=data["id"],
        type=data["type"],
        label=data["label"],
        help=data.get("help", {}),
        required=data.get("required", True),
        minimum=data.get("min"),
        maximum=data.get("max"),
        integer=data.get("integer", False),
        future=data.get("future", False),
        options=tuple(Option(o["value"], o["label"]) for o in data.get("options", [])),
        show_if=compile_expression(data["show_if"]) if "show_if" in data else None,
        vocabulary=data.get("vocabulary", ""),
    )


@dataclass(frozen=True)
class AnswerError:
    code: str
    message: str | Promise


@dataclass
class CleanAnswers:
    """Answers of the shown questions (hidden ones are None / [] in ``values``)."""

    values: dict[str, Any]
    shown: list[Question]
    errors: dict[str, AnswerError] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.errors and all(
            not q.required or self.values[q.id] not in (None, []) for q in self.shown
        )


class _Invalid(Exception):
    def __init__(self, code: str, message: str | Promise) -> None:
        self.error = AnswerError(code, message)


YES = {"yes", "true", "kyllä", "ja", "1"}
NO = {"no", "false", "ei", "nej", "0"}
FINNISH_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def _as_bool(value: Any, *, from_form: bool) -> bool:
    if isinstance(value, bool):
        return value
    if from_form and isinstance(value, str) and value.strip().lower() in YES | NO:
        return value.strip().lower() in YES
    raise _Invalid("wrong_type", _("Answer yes or no."))


def _as_number(question: Question, value: Any, *, from_form: bool) -> int | float:
    number: int | float
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Invalid("wrong_type", _("Enter a number."))
    if isinstance(value, str):
        if not from_form:
            raise _Invalid("wrong_type", _("Enter a number."))
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise _Invalid("wrong_type", _("Enter a number.")) from None
        if not parsed.is_finite():
            raise _Invalid("wrong_type", _("Enter a number."))
        number = int(parsed) if parsed == parsed.to_integral_value() else float(parsed)
    else:
        number = value
    if question.integer and number != int(number):
        raise _Invalid("not_integer", _("Enter a whole number."))
    if question.integer:
        number = int(number)
    if question.minimum is not None and number < question.minimum:
        raise _Invalid(
            "out_of_range", _("Enter at least %(min)s.") % {"min": _plain(question.minimum)}
        )
    if question.maximum is not None and number > question.maximum:
        raise _Invalid(
            "out_of_range", _("Enter at most %(max)s.") % {"max": _plain(question.maximum)}
        )
    return number


def _plain(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def _as_date(question: Question, value: Any, today: date, *, from_form: bool) -> str:
    if not isinstance(value, str):
        raise _Invalid("wrong_type", _("Enter a date."))
    text = value.strip()
    match = FINNISH_DATE.match(text) if from_form else None
    try:
        if match:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        else:
            day = date.fromisoformat(text)
            if len(text) != 10:
                raise ValueError(text)
    except ValueError:
        raise _Invalid("wrong_type", _("Enter a date in the form 31.12.2027.")) from None
    if question.future and day < today:
        raise _Invalid("in_past", _("The date must not be in the past."))
    return day.isoformat()


def _as_choice(question: Question, value: Any) -> str:
    if not isinstance(value, str) or value not in question.option_values():
        raise _Invalid("unknown_option", _("Choose one of the options."))
    return value


def _as_choices(question: Question, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid("wrong_type", _("Choose from the options."))
    if not set(value) <= question.option_values():
        raise _Invalid("unknown_option", _("Choose only from the options."))
    order = [o.value for o in question.options]
    return sorted(set(value), key=order.index)


def _as_municipality(value: Any, municipalities: Container[str]) -> str:
    if not isinstance(value, str) or value.strip() not in municipalities:
        raise _Invalid("unknown_municipality", _("Choose a municipality from the list."))
    return value.strip()


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean_answer(
    question: Question, value: Any, *, today: date, municipalities: Container[str], from_form: bool
) -> Any:
    """One answer in its canonical JSON form, or raise _Invalid."""
    if question.type == "yes_no":
        return _as_bool(value, from_form=from_form)
    if question.type == "number":
        return _as_number(question, value, from_form=from_form)
    if question.type == "date":
        return _as_date(question, value, today, from_form=from_form)
    if question.type == "choice":
        return _as_choice(question, value)
    if question.type == "multi_choice":
        return _as_choices(question, value)
    return _as_municipality(value, municipalities)


def clean_answers(
    package: CompiledPackage,
    raw: dict[str, Any],
    *,
    today: date,
    municipalities: Container[str] | None = None,
    from_form: bool = False,
    require_complete: bool = True,
) -> CleanAnswers:
    """Check ``raw`` answers question by question, in order; hidden questions are ignored.

    Unknown question ids are errors (``unknown_question``). With ``require_complete`` a
    shown, required, unanswered question is an error (``required``).
    """
    if municipalities is None:
        municipalities = municipality_codes()
    values: dict[str, Any] = {q.id: q.empty() for q in package.questions}
    result = CleanAnswers(values=values, shown=[])
    for question_id in raw:
        if package.question(question_id) is None:
            result.errors[question_id] = AnswerError(
                "unknown_question", _("There is no such question.")
            )
    for question in package.questions:
        if question.show_if is not None and not holds(question.show_if, data_handle(values)):
            continue
        result.shown.append(question)
        value = raw.get(question.id)
        if _is_blank(value):
            if question.required and require_complete:
                result.errors[question.id] = AnswerError("required", _("Answer this question."))
            continue
        try:
            values[question.id] = clean_answer(
                question, value, today=today, municipalities=municipalities, from_form=from_form
            )
        except _Invalid as invalid:
            result.errors[question.id] = invalid.error
    return result


class _CataloguedMunicipalities:
    """``code in municipalities`` asks the database, one small query per municipality answer."""

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and Municipality.objects.filter(code=code).exists()


def municipality_codes() -> Container[str]:
    return _CataloguedMunicipalities()


def evaluate_rules(package: CompiledPackage, values: dict[str, Any]) -> list[PackageRule]:
    """The rules that hold for the cleaned answers, in catalogue order."""
    handle = data_handle(values)
    return [rule for rule in package.rules if holds(rule.when, handle)]


def format_reason(rule: PackageRule, values: dict[str, Any], language: str) -> str:
    """The rule's reason in ``language`` with ``{question_id}`` replaced by the answer."""
    template = rule.reason.get(language) or rule.reason["fi"]

    def answer(match: re.Match[str]) -> str:
        value = values.get(match[1])
        if isinstance(value, float | int) and not isinstance(value, bool):
            return _number_text(value, language)
        return match[0] if value is None else str(value)

    return re.sub(r"\{([a-z][a-z0-9_]*)\}", answer, template)


def _number_text(value: float, language: str) -> str:
    text = f"{value:,}" if value == int(value) else f"{value:,.2f}"
    if language == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def option_label(question: Question, value: str, language: str) -> str:
    option = next((o for o in question.options if o.value == value), None)
    return (option.label.get(language) or option.label["fi"]) if option else value
