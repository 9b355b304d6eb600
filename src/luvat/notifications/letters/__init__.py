"""Official letters to companies through Suomi.fi Messages: the backend chosen by settings."""

from __future__ import annotations

from django.conf import settings

from luvat.notifications.letters.base import MessagesService


def messages_service() -> MessagesService:
    """A fresh client of the configured backend (``LUVAT_SUOMIFI_MESSAGES_BACKEND``)."""
    if settings.LUVAT_SUOMIFI_MESSAGES_BACKEND == "suomifi":
        from luvat.notifications.letters.suomifi import SuomifiMessages

        return SuomifiMessages(
            base_url=settings.LUVAT_SUOMIFI_MESSAGES_URL,
            username=settings.LUVAT_SUOMIFI_MESSAGES_USERNAME,
            password=settings.LUVAT_SUOMIFI_MESSAGES_PASSWORD,
        )
    from luvat.notifications.letters.local import LocalMessages

    return LocalMessages()
