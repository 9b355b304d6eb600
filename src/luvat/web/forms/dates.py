"""The GOV.UK date input: day, month and year typed in three boxes, parsed in one place.

``parse_date_parts`` is the only parser. The schema-driven forms (application form, shared
data) read the three boxes with ``read_date``; Django forms use ``DateInputField`` with its
``DateInputWidget``. Both render ``web/forms/date_input.html`` (one fieldset, a legend, the
hint "e.g. 27 3 2026"), and an error names the first wrong box, which the error summary links
to. No JavaScript is needed; what was typed is shown again as typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARTS = ("day", "month", "year")
_ONE_OR_TWO_DIGITS = re.compile(r"[0-9]{1,2}")
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_FINNISH = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")

HINT = gettext_lazy("e.g. 27 3 2026")


@dataclass(frozen=True)
class DateParts:
    """The three boxes as typed (stripped of surrounding spaces)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def of(cls, value: date) -> DateParts:
        return cls(str(value.day), str(value.month), str(value.year))

    @classmethod
    def from_data(cls, data: Mapping[str, Any], name: str) -> DateParts:
        """The boxes ``<name>-day``, ``<name>-month`` and ``<name>-year`` of a form post."""
        return cls(*(str(data.get(f"{name}-{part}") or "").strip() for part in PARTS))

    @classmethod
    def from_value(cls, value: object) -> DateParts:
        """The boxes to show for a stored value: a date, an ISO date text or parts."""
        if isinstance(value, DateParts):
            return value
        if isinstance(value, date):
            return cls.of(value)
        if isinstance(value, str) and value.strip():
            try:
                return cls.of(date.fromisoformat(value.strip()[:10]))
            except ValueError:
                return cls(day=value.strip())
        return cls()

    @property
    def empty(self) -> bool:
        return not (self.day or self.month or self.year)

    def __str__(self) -> str:
        return " ".join(p for p in (self.day, self.month, self.year) if p)


class DateInputError(ValueError):
    """A date that cannot be read, with the boxes that are wrong (in day-month-year order)."""

    def __init__(self, message: str, wrong: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.wrong = wrong

    @property
    def first(self) -> str:
        return self.wrong[0]


def _missing_message(missing: tuple[str, ...]) -> str:
    messages = {
        ("day",): _("The date must include a day."),
        ("month",): _("The date must include a month."),
        ("year",): _("The date must include a year."),
        ("day", "month"): _("The date must include a day and a month."),
        ("day", "year"): _("The date must include a day and a year."),
        ("month", "year"): _("The date must include a month and a year."),
    }
    return str(messages[missing])


def parse_date_parts(parts: DateParts) -> date | None:
    """The date in ``parts``; ``None`` when all three boxes are empty.

    Raises ``DateInputError`` (never anything else) for a missing box, a box that is not a
    number, a year without four digits or a date that does not exist.
    """
    if parts.empty:
        return None
    values = {"day": parts.day, "month": parts.month, "year": parts.year}
    missing = tuple(p for p in PARTS if not values[p])
    if missing:
        raise DateInputError(_missing_message(missing), missing)
    not_numbers = tuple(p for p in PARTS if not (values[p].isascii() and values[p].isdigit()))
    if not_numbers:
        raise DateInputError(_("Enter the date in numbers, for example 27 3 2026."), not_numbers)
    if not _FOUR_DIGITS.fullmatch(parts.year):
        raise DateInputError(_("The year must have four digits."), ("year",))
    if not _ONE_OR_TWO_DIGITS.fullmatch(parts.month.lstrip("0") or "0"):
        raise DateInputError(_("Enter a real date: the month must be from 1 to 12."), ("month",))
    if not _ONE_OR_TWO_DIGITS.fullmatch(parts.day.lstrip("0") or "0"):
        raise DateInputError(_("Enter a real date: that month has no such day."), ("day",))
    day, month, year = int(parts.day), int(parts.month), int(parts.year)
    if not 1 <= month <= 12:
        raise DateInputError(_("Enter a real date: the month must be from 1 to 12."), ("month",))
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInputError(
            _("Enter a real date: that month has no such day."), ("day",)
        ) from None


def parse_date_text(text: str) -> date | None:
    """A date typed in one box, as 2026-03-27 or 27.3.2026 (clients posting one field)."""
    text = text.strip()
    if not text:
        return None
    for pattern, order in ((_ISO, (2, 1, 0)), (_FINNISH, (0, 1, 2))):
        match = pattern.fullmatch(text)
        if match:
            groups = match.groups()
            return parse_date_parts(DateParts(*(groups[i] for i in order)))
    raise DateInputError(_("Enter the date in numbers, for example 27 3 2026."), ("day",))


@dataclass(frozen=True)
class DateReading:
    """What a form post says about one date: the date, the boxes to show again, the error."""

    value: date | None
    parts: DateParts
    error: DateInputError | None = None

    @property
    def present(self) -> bool:
        return not self.parts.empty


def read_date(data: Mapping[str, Any], name: str) -> DateReading:
    """The date ``name`` of a form post: the three boxes, or else one box named ``name``."""
    parts = DateParts.from_data(data, name)
    single = str(data.get(name) or "").strip() if parts.empty else ""
    try:
        if single:
            value = parse_date_text(single)
            assert value is not None  # noqa: S101 - text is not empty
            return DateReading(value, DateParts.of(value))
        return DateReading(parse_date_parts(parts), parts)
    except DateInputError as error:
        return DateReading(None, parts if not single else DateParts(day=single), error)


def wrong_parts(parts: DateParts) -> tuple[str, ...]:
    """The boxes to mark as wrong (none when the parts make a date or are empty)."""
    try:
        parse_date_parts(parts)
    except DateInputError as error:
        return error.wrong
    return ()


def input_context(
    *, id_: str, name: str, parts: DateParts, error: bool, wrong: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The context of ``web/forms/date_input_boxes.html``: one dict per box."""
    marked = wrong or (PARTS if error else ())
    labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
    return {
        "id": id_,
        "boxes": [
            {
                "part": part,
                "id": f"{id_}-{part}",
                "name": f"{name}-{part}",
                "label": labels[part],
                "value": getattr(parts, part),
                "width": 4 if part == "year" else 2,
                "wrong": part in marked,
            }
            for part in PARTS
        ],
    }


def first_box_id(id_: str, parts: DateParts, error: bool) -> str:
    """The box the error summary links to: the first wrong one, else the day."""
    wrong = wrong_parts(parts) if error else ()
    return f"{id_}-{wrong[0] if wrong else 'day'}"


class DateInputWidget(forms.Widget):
    """Three boxes named ``<name>-day``, ``-month``, ``-year``; its value is ``DateParts``."""

    template_name = "web/forms/date_input_boxes.html"

    def format_value(self, value: Any) -> Any:
        return DateParts.from_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        parts = DateParts.from_value(value)
        id_ = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        invalid = str(context["widget"]["attrs"].get("aria-invalid", "")) == "true"
        context["date_input"] = input_context(
            id_=id_, name=name, parts=parts, error=invalid, wrong=wrong_parts(parts)
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> DateParts | str:
        parts = DateParts.from_data(data, name)
        single = str(data.get(name) or "").strip() if parts.empty else ""
        return single or parts  # one field (2026-03-27 or 27.3.2026) from clients without boxes

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else ""

    use_fieldset = True


class DateInputField(forms.Field):
    """A date typed as day, month and year; the errors of ``parse_date_parts``."""

    widget = DateInputWidget

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value is None:
            return value
        try:
            if isinstance(value, str):
                return parse_date_text(value)
            return parse_date_parts(DateParts.from_value(value))
        except DateInputError as error:
            raise forms.ValidationError(error.message, code="invalid_date") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}
