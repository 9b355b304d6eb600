"""Template tags for showing projects and applications."""

from __future__ import annotations

from django import template

from luvat.projects.status import TAG_COLOURS

register = template.Library()


@register.inclusion_tag("projects/_status_tag.html")
def status_tag(status: str, label: object) -> dict[str, object]:
    """An application's status as a GOV.UK tag, coloured by ``status.TAG_COLOURS``."""
    return {"status": status, "label": label, "colour": TAG_COLOURS.get(status, "grey")}
