"""Discussion backends; ``LUVAT_DISCUSSION_BACKEND`` chooses one."""

from __future__ import annotations

from django.conf import settings

from luvat.discussion.backends.base import DiscussionBackend


def get_backend() -> DiscussionBackend:
    if settings.LUVAT_DISCUSSION_BACKEND == "zulip":
        from luvat.discussion.backends.zulip import ZulipBackend, ZulipClient

        return ZulipBackend(
            ZulipClient(
                site=settings.LUVAT_ZULIP_SITE,
                email=settings.LUVAT_ZULIP_EMAIL,
                api_key=settings.LUVAT_ZULIP_API_KEY,
            ),
            channel_prefix=settings.LUVAT_ZULIP_CHANNEL_PREFIX,
            bot_email=settings.LUVAT_ZULIP_EMAIL,
        )
    from luvat.discussion.backends.builtin import BuiltinBackend

    return BuiltinBackend()
