"""Parsing the back office's form input; the rules themselves are in the services."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import QueryDict

from luvat.backoffice.selectors import OPEN, InboxFilters, PageKey


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_uuid(value: str | None) -> UUID | None:
    try:
        return UUID((value or "").strip())
    except ValueError:
        return None


def inbox_filters(query: QueryDict) -> InboxFilters:
    due = query.get("due", "")
    return InboxFilters(
        status=query.get("status", OPEN),
        service=query.get("service", "")[:80],
        municipality=query.get("municipality", "")[:3],
        due=due if due in ("overdue", "soon") else "",
        after=PageKey.parse(query.get("after", "")[:40]),
        before=PageKey.parse(query.get("before", "")[:40]),
        last=query.get("last", "") == "1",
    )


def field_errors(error: Exception) -> dict[str, list[str]]:
    """A ValidationError's messages by field ("" for the form as a whole)."""
    from django.core.exceptions import ValidationError

    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {
            name: [str(m) for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"": [str(m) for m in getattr(error, "messages", [str(error)])]}
