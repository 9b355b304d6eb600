from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from luvat.identity import sessions


def identity(request: HttpRequest) -> dict[str, Any]:
    """Who is logged in and whom they act for, for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"luvat_person": None, "luvat_acting": {}}
    return {
        "luvat_person": getattr(user, "person", None) or user.get_username(),
        "luvat_acting": sessions.acting(request),
    }
