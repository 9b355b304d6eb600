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
import math
import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from datalogic_py import Rule
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luvat.catalogue.logic import compile_expression, data_handle, holds, rule_reads
from luvat.catalogue.models import Municipality, ServicePackage
from luvat.web.forms.dates import DateInputError, DateParts, parse_date_parts

DEFINITELY = "definitely"
POSSIBLY = "possibly"
NOT_SURE = "not_sure"
# Rules see a "not sure" answer as null and find the question's id in this list:
# {"in": ["question_id", {"var": "not_sure"}]}. Items of a repeatable answer carry their own.
NOT_SURE_VAR = "not_sure"
# Largest magnitude a number answer may have: beyond it JSON numbers lose precision.
NUMBER_LIMIT = 10**15
MAX_ITEMS_DEFAULT = 50

if TYPE_CHECKING:
    from luvat.catalogue.snapshot import Snapshot


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
    not_sure: bool = False
    decided_by: dict[str, str] = field(default_factory=dict)
    items: tuple[Question, ...] = ()
    max_items: int = MAX_ITEMS_DEFAULT
    max_length: int = 200

    def text(self, attribute: str, language: str) -> str:
        texts: dict[str, str] = getattr(self, attribute)
        return texts.get(language) or texts.get("fi") or ""

    def option_values(self) -> set[str]:
        return {option.value for option in self.options}

    def empty(self) -> Any:
        return [] if self.type in {"multi_choice", "repeat"} else None

    def item(self, item_id: str) -> Question | None:
        return next((q for q in self.items if q.id == item_id), None)

    def item_for(self, vocabulary: str) -> Question | None:
        return next((q for q in self.items if q.vocabulary == vocabulary), None)


@dataclass(frozen=True)
class PackageRule:
    service: str
    tier: str
    when: Rule
    reason: dict[str, str]
    legal_basis: str
    # A repeatable question: the rule is evaluated once per item, with the item as "item".
    for_each: str = ""
    facts: tuple[str, ...] = ()
    # Question ids the rule reads (top level, and "question.sub" for item answers).
    reads: frozenset[str] = frozenset()


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


def compiled_package(
    package: ServicePackage, *, catalogue: Snapshot | None = None
) -> CompiledPackage:
    """The package's questionnaire and rules, compiled: once per catalogue snapshot for the
    snapshot's own package object, otherwise cached by content."""
    if catalogue is not None and catalogue.packages.get(package.code) is package:
        return catalogue.compiled(package)
    services = tuple(s.code for s in package.services.all())
    return compile_package_data(package.code, package.questionnaire, package.rules, services)


def compile_package_data(
    code: str,
    questionnaire: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    services: tuple[str, ...],
) -> CompiledPackage:
    """Compile a package from its data (a loaded row or a data file), cached by content."""
    key = hashlib.sha256(
        json.dumps([code, questionnaire, rules, services], sort_keys=True).encode()
    ).hexdigest()
    compiled = _cache.get(key)
    if compiled is None:
        compiled = CompiledPackage(
            code=code,
            questions=tuple(_question(q) for q in questionnaire),
            rules=tuple(
                PackageRule(
                    service=r["service"],
                    tier=r["tier"],
                    when=compile_expression(r["when"]),
                    reason=r["reason"],
                    legal_basis=r.get("legal_basis", ""),
                    for_each=r.get("for_each", ""),
                    facts=tuple(r.get("facts", ())),
                    reads=frozenset(rule_reads(r["when"], for_each=r.get("for_each", ""))),
                )
                for r in rules
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
        not_sure=data.get("not_sure", False),
        decided_by=data.get("decided_by", {}),
        items=tuple(_question(q) for q in data.get("items", [])),
        max_items=data.get("max_items", MAX_ITEMS_DEFAULT),
        max_length=data.get("max_length", 200),
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
            raise _Invalid("not_finite", _("Enter a number."))
        if abs(parsed) > NUMBER_LIMIT:
            raise _Invalid("too_large", _("The number is too large."))
        number = int(parsed) if parsed == parsed.to_integral_value() else float(parsed)
    else:
        number = value
    if isinstance(number, float) and not math.isfinite(number):
        raise _Invalid("not_finite", _("Enter a number."))
    if abs(number) > NUMBER_LIMIT:
        raise _Invalid("too_large", _("The number is too large."))
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
    if isinstance(value, DateParts) and from_form:
        try:
            typed = parse_date_parts(value)
        except DateInputError as wrong:
            raise _Invalid("wrong_type", wrong.message) from None
        value = typed.isoformat() if typed else None
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


def _as_text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("wrong_type", _("Enter text."))
    text = " ".join(value.split())
    if len(text) > question.max_length:
        raise _Invalid(
            "too_long", _("Enter at most %(max)s characters.") % {"max": question.max_length}
        )
    return text


def _as_change(question: Question, value: Any, *, from_form: bool) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - {"before", "after"}:
        raise _Invalid("wrong_type", _("Give the figure before and after the change."))
    cleaned: dict[str, Any] = {}
    for part in ("before", "after"):
        if _is_blank(value.get(part)):
            raise _Invalid("required", _("Give the figure before and after the change."))
        cleaned[part] = _as_number(question, value[part], from_form=from_form)
    return cleaned


class _InvalidItems(Exception):
    def __init__(self, errors: dict[str, AnswerError]) -> None:
        self.errors = errors


def _as_items(
    question: Question,
    value: Any,
    *,
    today: date,
    municipalities: Container[str],
    from_form: bool,
) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _Invalid("wrong_type", _("Give a list of items."))
    if len(value) > question.max_items:
        raise _Invalid(
            "too_many_items", _("Give at most %(max)s items.") % {"max": question.max_items}
        )
    items: list[dict[str, Any]] = []
    errors: dict[str, AnswerError] = {}
    for index, raw in enumerate(value):
        item: dict[str, Any] = {}
        for key in raw:
            if question.item(key) is None:
                errors[f"{index}.{key}"] = AnswerError(
                    "unknown_question", _("There is no such question.")
                )
        for sub in question.items:
            answer = raw.get(sub.id)
            if _is_blank(answer):
                item[sub.id] = sub.empty()
                if sub.required:
                    errors[f"{index}.{sub.id}"] = AnswerError(
                        "required", _("Answer this question.")
                    )
                continue
            try:
                item[sub.id] = clean_answer(
                    sub, answer, today=today, municipalities=municipalities, from_form=from_form
                )
            except _Invalid as invalid:
                errors[f"{index}.{sub.id}"] = invalid.error
        items.append(item)
    if errors:
        raise _InvalidItems(errors)
    return items


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_answer(
    question: Question, value: Any, *, today: date, municipalities: Container[str], from_form: bool
) -> Any:
    """One answer in its canonical JSON form, or raise _Invalid."""
    if question.not_sure and value == NOT_SURE:
        return NOT_SURE
    if question.type == "repeat":
        return _as_items(
            question, value, today=today, municipalities=municipalities, from_form=from_form
        )
    if question.type == "change":
        return _as_change(question, value, from_form=from_form)
    if question.type == "text":
        return _as_text(question, value)
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
        if question.show_if is not None and not holds(
            question.show_if, data_handle(rule_data(package.questions, values))
        ):
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
        except _InvalidItems as invalid:
            for where, error in invalid.errors.items():
                result.errors[f"{question.id}.{where}"] = error
    return result


class _CataloguedMunicipalities:
    """``code in municipalities`` asks the database, one small query per municipality answer."""

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and Municipality.objects.filter(code=code).exists()


def municipality_codes() -> Container[str]:
    return _CataloguedMunicipalities()


def rule_data(questions: tuple[Question, ...], values: dict[str, Any]) -> dict[str, Any]:
    """What rules see: "not sure" answers as null, their ids in ``not_sure``."""
    data: dict[str, Any] = {}
    unsure: list[str] = []
    for question in questions:
        value = values.get(question.id, question.empty())
        if value == NOT_SURE:
            unsure.append(question.id)
            value = None
        elif question.type == "repeat" and isinstance(value, list):
            value = [rule_data(question.items, item) for item in value]
        data[question.id] = value
    data[NOT_SURE_VAR] = unsure
    return data


@dataclass(frozen=True)
class Match:
    """A rule that holds; for a per-item rule, for which item (0-based)."""

    rule: PackageRule
    item: int | None = None


def evaluate_rules(package: CompiledPackage, values: dict[str, Any]) -> list[Match]:
    """The rules that hold for the cleaned answers, in catalogue order (items in order)."""
    data = rule_data(package.questions, values)
    handle = data_handle(data)
    matches: list[Match] = []
    for rule in package.rules:
        if not rule.for_each:
            if holds(rule.when, handle):
                matches.append(Match(rule))
            continue
        for index, item in enumerate(data.get(rule.for_each) or []):
            if holds(rule.when, data_handle({**data, "item": item})):
                matches.append(Match(rule, index))
    return matches


def format_reason(
    rule: PackageRule, values: dict[str, Any], language: str, item: dict[str, Any] | None = None
) -> str:
    """The rule's reason in ``language`` with ``{question_id}`` (or ``{item.sub}``) replaced."""
    template = rule.reason.get(language) or rule.reason["fi"]

    def answer(match: re.Match[str]) -> str:
        key = match[1]
        value = (item or {}).get(key[5:]) if key.startswith("item.") else values.get(key)
        if isinstance(value, float | int) and not isinstance(value, bool):
            return _number_text(value, language)
        if isinstance(value, dict) and {"before", "after"} <= set(value):
            before, after = value["before"], value["after"]
            return f"{_number_text(before, language)} → {_number_text(after, language)}"
        return match[0] if value is None else str(value)

    return re.sub(r"\{((?:item\.)?[a-z][a-z0-9_]*)\}", answer, template)


def _number_text(value: float, language: str) -> str:
    text = f"{value:,}" if value == int(value) else f"{value:,.2f}"
    if language == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def option_label(question: Question, value: str, language: str) -> str:
    option = next((o for o in question.options if o.value == value), None)
    return (option.label.get(language) or option.label["fi"]) if option else value
