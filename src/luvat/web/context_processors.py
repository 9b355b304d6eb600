from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from luvat.web.navigation import nav_items

# Each language is named in itself, so a reader finds their own language in any page.
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def service(request: HttpRequest) -> dict[str, Any]:
    current = get_language()
    links = [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {
        "language_links": links,
        "demo_mode": settings.LUVAT_DEMO,
        "nav_items": nav_items(request),
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
    }
