"""Configuration sanity checks, run by ``luvat check`` and before ``luvat serve``.

They pass silently in development and refuse unsafe settings in production.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from luvat.config.env import INSECURE_DEV_SECRET_KEY

MIN_SECRET_LENGTH = 50


@register("luvat")
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    problems: list[CheckMessage] = []
    secret = settings.SECRET_KEY
    if secret == INSECURE_DEV_SECRET_KEY:
        problems.append(
            Error(
                "LUVAT_SECRET_KEY is not set: the built-in development secret is refused in "
                "production.",
                hint="Set LUVAT_SECRET_KEY to at least 50 random characters, e.g. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                id="luvat.E001",
            )
        )
    elif len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 5:
        problems.append(
            Error(
                f"LUVAT_SECRET_KEY is too weak (needs at least {MIN_SECRET_LENGTH} characters, "
                "not repetitive).",
                id="luvat.E002",
            )
        )
    if settings.DEBUG:
        problems.append(
            Error("LUVAT_DEBUG is on: debug pages leak data in production.", id="luvat.E003")
        )
    if settings.LUVAT_DEMO:
        problems.append(
            Error(
                "LUVAT_DEMO is on: demo data and demo log-ins are refused in production.",
                id="luvat.E004",
            )
        )
    if settings.DATABASE_URL_IS_DEFAULT:
        problems.append(
            Error(
                "DATABASE_URL is not set: production needs PostgreSQL, not the embedded "
                "SQLite file.",
                id="luvat.E005",
            )
        )
    elif settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning("DATABASE_URL points at SQLite; use PostgreSQL in production.", id="luvat.W001")
        )
    if not settings.ALLOWED_HOSTS:
        problems.append(
            Error("LUVAT_ALLOWED_HOSTS is empty: set the public host name(s).", id="luvat.E006")
        )
    if not settings.LUVAT_IDENTITY_KEY:
        problems.append(
            Warning(
                "LUVAT_IDENTITY_KEY is not set: people are recognised by a digest keyed with "
                "LUVAT_SECRET_KEY, so rotating that key would cut them off from their mandates "
                "and roles.",
                hint="Set LUVAT_IDENTITY_KEY once to the current LUVAT_SECRET_KEY value, then "
                "rotate LUVAT_SECRET_KEY freely.",
                id="luvat.W002",
            )
        )
    return problems
