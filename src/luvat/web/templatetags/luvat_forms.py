"""Template tags of the shared form pieces (see ``luvat.web.forms``)."""

from __future__ import annotations

from typing import Any

from django import template

from luvat.web.forms.dates import DateParts, first_box_id, input_context, wrong_parts

register = template.Library()


@register.simple_tag
def date_input_context(id_: str, name: str, value: Any, errors: Any) -> dict[str, Any]:
    """The boxes of a date input showing ``value`` (a date, an ISO text or parts)."""
    parts = DateParts.from_value(value)
    return input_context(
        id_=id_, name=name, parts=parts, error=bool(errors), wrong=wrong_parts(parts)
    )


@register.simple_tag
def date_input_anchor(id_: str, value: Any, errors: Any) -> str:
    """The id of the box the error summary links to: the first wrong one."""
    return first_box_id(id_, DateParts.from_value(value), bool(errors))
