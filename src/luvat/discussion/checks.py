"""Configuration check: the Zulip backend needs its server and bot credentials."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("luvat")
def zulip_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.LUVAT_DISCUSSION_BACKEND != "zulip":
        return []
    missing = [
        name
        for name, value in (
            ("LUVAT_ZULIP_SITE", settings.LUVAT_ZULIP_SITE),
            ("LUVAT_ZULIP_EMAIL", settings.LUVAT_ZULIP_EMAIL),
            ("LUVAT_ZULIP_API_KEY", settings.LUVAT_ZULIP_API_KEY),
        )
        if not value
    ]
    if not missing:
        return []
    return [
        Error(
            f"LUVAT_DISCUSSION_BACKEND=zulip needs {', '.join(missing)}.",
            hint="Create a bot in Zulip (Settings → Personal → Bots) and set its e-mail and key.",
            id="luvat.E101",
        )
    ]
