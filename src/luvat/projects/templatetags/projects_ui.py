"""Template tags for showing projects and applications.

Both tags are simple tags, not includes or inclusion tags: they run once per row of the
project list and page, and a template of their own costs a context push and a node tree
rendered per row (issue 17: the pages' time went mostly into rendering)."""

from __future__ import annotations

from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from luvat.projects.status import TAG_COLOURS

register = template.Library()


@register.simple_tag
def status_tag(status: str, label: object) -> SafeString:
    """An application's status as a GOV.UK tag, coloured by ``status.TAG_COLOURS``."""
    colour = TAG_COLOURS.get(status, "grey")
    return format_html(
        '<strong class="govuk-tag govuk-tag--{} status status-{}">{}</strong>',
        colour,
        status,
        label,
    )


@register.simple_tag
def deadline_label(day: date, kind: str) -> str:
    """ "submit by 1.6.2026" and the like: the kind of a deadline and its day."""
    if kind == "supplement":
        label = gettext("supplement due")
    elif kind == "submission":
        label = gettext("submit by")
    else:
        label = gettext("decision expected")
    return f"{label} {date_filter(day, 'j.n.Y')}"
