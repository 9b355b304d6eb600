"""Template filters shared by every page: dates in the Finnish form in every language."""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def fi_date(value: object) -> str:
    """12.6.2027 from a date, a datetime or an ISO date string (as results store them);
    anything else unchanged, nothing as an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, date):
        return f"{value.day}.{value.month}.{value.year}"
    return str(value)
