"""Service-specific forms from the catalogue's JSON Schema: fields to render, input coercion
from HTML forms, and validation that names every problem by field.

Supported: a flat ``object`` schema whose properties are strings (formats ``date``, ``email``,
``enum``), integers, numbers, booleans and arrays of enumerated strings. Titles and
descriptions may be localised as ``title_fi``/``title_sv``/``title_en`` next to ``title``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from luvat.web.forms.dates import DateParts, first_box_id, read_date


@dataclass
class FormField:
    name: str
    label: str
    help: str
    widget: str  # text, textarea, date, email, integer, number, checkbox, select, multi
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    shared_code: str = ""
    value: Any = None
    label_lang: str = ""  # "fi" when the label falls back to Finnish
    help_lang: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def input_id(self) -> str:
        return f"field-{self.name}"

    @property
    def summary_id(self) -> str:
        """What the error summary links to: for a date, its first wrong box."""
        if self.widget == "date":
            return first_box_id(self.input_id, DateParts.from_value(self.value), bool(self.errors))
        return self.input_id

    @property
    def value_text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)

    @property
    def selected(self) -> list[str]:
        return [str(v) for v in self.value] if isinstance(self.value, list) else []


def schema_text(node: Mapping[str, Any], key: str, default: str = "") -> str:
    language = (get_language() or "fi")[:2]
    return str(node.get(f"{key}_{language}") or node.get(key) or default)


def fallback_language(node: Mapping[str, Any], key: str) -> str:
    """``"fi"`` when the viewer's language has no text of its own and the Finnish one
    (``key``) is shown instead: the page marks that text ``lang="fi"``."""
    language = (get_language() or "fi")[:2]
    if language == "fi" or node.get(f"{key}_{language}") or not node.get(key):
        return ""
    return "fi"


def _properties(schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    properties = schema.get("properties") or {}
    return {str(k): v for k, v in properties.items() if isinstance(v, Mapping)}


def _widget(prop: Mapping[str, Any]) -> str:
    kind = prop.get("type")
    if kind == "array":
        return "multi"
    if "enum" in prop:
        return "select"
    if kind == "boolean":
        return "checkbox"
    if kind in {"integer", "number"}:
        return str(kind)
    fmt = prop.get("format")
    if fmt in {"date", "email"}:
        return str(fmt)
    if prop.get("maxLength", 0) > 200 or prop.get("x-widget") == "textarea":
        return "textarea"
    return "text"


def _choices(prop: Mapping[str, Any]) -> list[tuple[str, str]]:
    source = prop.get("items", {}) if prop.get("type") == "array" else prop
    values = list(source.get("enum") or [])
    names = source.get("x-enum-labels") or {}
    language = (get_language() or "fi")[:2]
    labels = names.get(language) or names.get("fi") or {} if isinstance(names, Mapping) else {}
    return [
        (str(v), str(labels.get(str(v), v)) if isinstance(labels, Mapping) else str(v))
        for v in values
    ]


def form_fields(
    schema: Mapping[str, Any],
    *,
    mapping: Mapping[str, str],
    data: Mapping[str, Any],
    errors: Mapping[str, list[str]] | None = None,
) -> list[FormField]:
    """The fields to render, in schema order, each with its current value and errors."""
    required = set(schema.get("required") or [])
    fields = []
    for name, prop in _properties(schema).items():
        fields.append(
            FormField(
                name=name,
                label=schema_text(prop, "title", name),
                help=schema_text(prop, "description"),
                label_lang=fallback_language(prop, "title"),
                help_lang=fallback_language(prop, "description"),
                widget=_widget(prop),
                required=name in required,
                choices=_choices(prop),
                shared_code=mapping.get(name, ""),
                value=data.get(name),
                errors=list((errors or {}).get(name, [])),
            )
        )
    return fields


def coerce_form_input(
    schema: Mapping[str, Any], post: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Typed values from an HTML form (a QueryDict); unparseable input becomes a field error.

    Empty inputs are left out, so that "required" names them. A date is read from its three
    boxes (``luvat.web.forms.dates``) and kept as an ISO text. An unparseable input stays in
    the data as typed, so that the page shows it again with its error (such data is never
    saved: the caller saves only when there are no errors).
    """
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, prop in _properties(schema).items():
        kind = prop.get("type")
        if kind == "array":
            data[name] = [v for v in post.getlist(name) if v]
            continue
        if _widget(prop) == "date":
            reading = read_date(post, name)
            if reading.error is not None:
                data[name] = reading.parts
                errors[name] = [reading.error.message]
            elif reading.value is not None:
                data[name] = reading.value.isoformat()
            continue
        raw = post.get(name)
        if kind == "boolean":
            data[name] = raw in {"true", "on", "1"}
            continue
        if raw is None or not str(raw).strip():
            continue
        text = str(raw).strip()
        try:
            if kind == "integer":
                data[name] = int(text.replace(" ", ""))
            elif kind == "number":
                data[name] = float(text.replace(",", ".").replace(" ", ""))
            else:
                data[name] = text
        except ValueError:
            data[name] = text
            errors[name] = [
                _("Enter a whole number.") if kind == "integer" else _("Enter a number.")
            ]
    return data, errors


def _message(error: Any) -> str:
    validator = error.validator
    value = error.validator_value
    if validator == "type":
        return str(_("Enter a valid value."))
    if validator == "enum":
        return str(_("Choose one of the options."))
    if validator in {"minimum", "exclusiveMinimum"}:
        return str(_("Enter at least %(limit)s.") % {"limit": value})
    if validator in {"maximum", "exclusiveMaximum"}:
        return str(_("Enter at most %(limit)s.") % {"limit": value})
    if validator == "maxLength":
        return str(_("Use at most %(count)s characters.") % {"count": value})
    if validator == "minLength":
        return str(_("Fill in this field."))
    if validator == "minItems":
        return str(_("Choose at least %(count)s.") % {"count": value})
    if validator == "format" and value == "date":
        return str(_("Enter a real date, for example 27 3 2026."))
    if validator == "format" and value == "email":
        return str(_("Enter an e-mail address such as name@example.fi."))
    return str(_("The value is not valid."))


def validate_form(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every problem with ``data``, keyed by property name (``""`` for the whole form)."""
    if not schema:
        return {}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(dict(data)):
        if error.validator == "required":
            for name in error.validator_value:
                if name not in error.instance:
                    errors.setdefault(str(name), []).append(str(_("Fill in this field.")))
            continue
        name = str(error.absolute_path[0]) if error.absolute_path else ""
        message = _message(error)
        if message not in errors.get(name, []):
            errors.setdefault(name, []).append(message)
    return errors
