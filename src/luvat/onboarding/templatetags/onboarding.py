from __future__ import annotations

from django import template
from django.utils.formats import get_format

from luvat.onboarding.metrics import figure as exported_figure

register = template.Library()


@register.filter
def figure(value: float | None) -> str:
    """A measured figure as in the CSV export, with the language's decimal sign (4,5 in fi)."""
    return exported_figure(value).replace(".", str(get_format("DECIMAL_SEPARATOR")))
