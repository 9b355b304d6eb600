"""Template helpers of the back office."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from luvat.backoffice.selectors import Tally, customer_case
from luvat.projects.models import Application

register = template.Library()


@register.filter
def get_count(counts: dict[str, Tally], key: str) -> Tally:
    return counts.get(key, Tally(0))


@register.filter
def tally(count: Tally) -> str:
    """A capped count as the inbox shows it: the number, or "over 1 000" past the cap."""
    number = number_format(count.value, force_grouping=True)
    return _("over %(count)s") % {"count": number} if count.more else number


@register.filter
def field_value(data: dict[str, Any], key: str) -> Any:
    return data.get(key, "")


@register.inclusion_tag("backoffice/_customer_case.html", takes_context=True)
def customer_case_panel(context: dict[str, Any], application: Application) -> dict[str, Any]:
    """The open supplement request and the decision, on the customer's application page."""
    request, decision = customer_case(application)
    return {"supplement": request, "decision": decision, "application": application}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
