"""The questionnaire as an HTML form: reading answers from a request, writing them to a URL,
and the per-question data the template renders.

Field names: a question's id (a date: ``<id>-day``, ``<id>-month``, ``<id>-year``, or the
date in one field as the URL carries it); ``<id>__not_sure`` for the "not sure" box of a
number or date; ``<id>.before`` / ``<id>.after`` for a change; ``<id>-<n>-<item question>``
for row ``n`` of a repeatable answer (the form always offers one blank row more, so rows are
added without JavaScript by choosing Continue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from luvat.assessment.questionnaire import NOT_SURE, AnswerError, CompiledPackage, Question
from luvat.web.forms.dates import DateParts, first_box_id, read_date

# Radio-button questions offer "not sure" as one more option; others get a checkbox.
_RADIO_TYPES = {"yes_no", "choice"}


def _raw_value(question: Question, data: QueryDict, name: str) -> Any:
    if question.not_sure and question.type not in _RADIO_TYPES and data.get(f"{name}__not_sure"):
        return NOT_SURE
    if question.type == "multi_choice":
        values = [v for v in data.getlist(name) if v]
        return values or None
    if question.type == "change":
        parts = {p: (data.get(f"{name}.{p}") or "").strip() for p in ("before", "after")}
        return {p: v for p, v in parts.items() if v} or None
    if question.type == "date" and not data.get(name):
        # Three boxes (the form); a wrong date goes on as typed, for the cleaner to refuse.
        reading = read_date(data, name)
        if reading.error is not None:
            return reading.parts
        return reading.value.isoformat() if reading.value else None
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) and value.strip() else None


def form_answers(package: CompiledPackage, data: QueryDict) -> dict[str, Any]:
    """The raw answers in ``data`` (strings; lists and dicts where needed), question ids only."""
    raw: dict[str, Any] = {}
    for question in package.questions:
        if question.type == "repeat":
            rows = []
            # A row past max_items is read too, so that the cleaner can say there are too many.
            for index in range(question.max_items + 1):
                row = {}
                for sub in question.items:
                    value = _raw_value(sub, data, f"{question.id}-{index}-{sub.id}")
                    if value is not None:
                        row[sub.id] = value
                if row:
                    rows.append(row)
            if rows:
                raw[question.id] = rows
            continue
        value = _raw_value(question, data, question.id)
        if value is not None:
            raw[question.id] = value
    return raw


def form_value(question: Question, value: Any) -> Any:
    """A cleaned answer as the form shows it."""
    if value is None:
        return [] if question.type == "multi_choice" else ""
    if value == NOT_SURE:
        return NOT_SURE
    if question.type == "yes_no":
        return "yes" if value else "no"
    if question.type == "number":
        return str(value)
    if question.type == "change" and isinstance(value, dict):
        return {k: str(v) for k, v in value.items()}
    return value


def _put(query: QueryDict, question: Question, name: str, value: Any) -> None:
    shown = form_value(question, value)
    if shown == NOT_SURE and question.type not in _RADIO_TYPES:
        query[f"{name}__not_sure"] = "1"
    elif isinstance(shown, list):
        query.setlist(name, shown)
    elif isinstance(shown, dict):
        for part, text in shown.items():
            query[f"{name}.{part}"] = text
    elif shown != "":
        query[name] = shown


def answers_query(package: CompiledPackage, values: dict[str, Any], shown: list[Question]) -> str:
    """The shown answers as a query string, so that a URL keeps them (back/forward, links)."""
    query = QueryDict(mutable=True)
    for question in shown:
        value = values.get(question.id)
        if question.type == "repeat":
            for index, item in enumerate(value if isinstance(value, list) else []):
                for sub in question.items:
                    _put(query, sub, f"{question.id}-{index}-{sub.id}", item.get(sub.id))
            continue
        _put(query, question, question.id, value)
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
    name: str = ""
    rows: list[list[Field]] = field(default_factory=list)
    error_target: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.question.id

    @property
    def html_id(self) -> str:
        return f"q-{self.name}"

    @property
    def first_input_id(self) -> str:
        if self.error_target:
            return self.error_target
        if self.question.type in {"yes_no", "choice", "multi_choice"}:
            return f"{self.html_id}-0"
        if self.question.type == "change":
            return f"{self.html_id}-before"
        if self.question.type == "repeat":
            return f"{self.html_id}-0"
        if self.question.type == "date":
            return first_box_id(
                self.html_id, DateParts.from_value(self.text_value), self.error is not None
            )
        return self.html_id

    @property
    def shown_value(self) -> Any:
        """What the user typed when it was wrong, else the cleaned answer."""
        return self.raw if self.error is not None and self.raw is not None else self.value

    @property
    def error_messages(self) -> list[str]:
        return [str(self.error.message)] if self.error is not None else []

    @property
    def not_sure_checked(self) -> bool:
        return bool(self.shown_value == NOT_SURE)

    @property
    def text_value(self) -> Any:
        """The value of a text input: empty when the answer is "not sure"."""
        return "" if self.not_sure_checked else self.shown_value

    def part(self, name: str) -> str:
        value = self.shown_value
        return str(value.get(name, "")) if isinstance(value, dict) else ""

    @property
    def before(self) -> str:
        return self.part("before")

    @property
    def after(self) -> str:
        return self.part("after")


def _options(
    question: Question, language: str, municipalities: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    if question.type == "yes_no":
        options = [("yes", "yes"), ("no", "no")]
    elif question.type == "municipality":
        return municipalities
    else:
        options = [(o.value, o.label.get(language) or o.label["fi"]) for o in question.options]
    if question.not_sure:
        options.append((NOT_SURE, NOT_SURE))
    return options


def _field(
    question: Question,
    name: str,
    value: Any,
    raw: Any,
    error: AnswerError | None,
    language: str,
    municipalities: list[tuple[str, str]],
) -> Field:
    return Field(
        question=question,
        label=question.text("label", language),
        help=question.text("help", language),
        value=form_value(question, value),
        raw=raw,
        error=error,
        options=_options(question, language, municipalities),
        name=name,
    )


def _rows(
    question: Question,
    values: Any,
    raw: Any,
    errors: dict[str, AnswerError],
    language: str,
    municipalities: list[tuple[str, str]],
) -> list[list[Field]]:
    cleaned = values if isinstance(values, list) else []
    typed = raw if isinstance(raw, list) else []
    count = min(max(len(cleaned), len(typed)) + 1, question.max_items)
    rows = []
    for index in range(count):
        item = cleaned[index] if index < len(cleaned) else {}
        typed_item = typed[index] if index < len(typed) and isinstance(typed[index], dict) else {}
        rows.append(
            [
                _field(
                    sub,
                    f"{question.id}-{index}-{sub.id}",
                    item.get(sub.id),
                    typed_item.get(sub.id),
                    errors.get(f"{question.id}.{index}.{sub.id}"),
                    language,
                    municipalities,
                )
                for sub in question.items
            ]
        )
    return rows


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
        made = _field(
            question,
            question.id,
            values.get(question.id),
            raw.get(question.id),
            errors.get(question.id),
            language,
            municipalities,
        )
        if question.type == "repeat":
            made.rows = _rows(
                question,
                values.get(question.id),
                raw.get(question.id),
                errors,
                language,
                municipalities,
            )
            if made.error is None:
                nested = [(i, f) for i, row in enumerate(made.rows) for f in row if f.error]
                if nested:
                    index, sub = nested[0]
                    made.error = AnswerError(
                        sub.error.code if sub.error else "invalid",
                        f"{index + 1}: {sub.label}: {sub.error.message if sub.error else ''}",
                    )
                    made.error_target = sub.first_input_id
        result.append(made)
    return result
