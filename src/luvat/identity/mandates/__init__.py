"""Mandates: which companies may a person act for. ``mandate_source()`` returns the backend chosen
by ``LUVAT_MANDATES_BACKEND``: Suomi.fi e-Authorizations or the local stand-in table."""

from __future__ import annotations

from django.conf import settings

from luvat.identity.mandates.base import (
    CompanyMandate,
    MandateError,
    MandateSource,
    MandateStart,
    MandateUnavailable,
)

__all__ = [
    "CompanyMandate",
    "MandateError",
    "MandateSource",
    "MandateStart",
    "MandateUnavailable",
    "mandate_source",
]


def mandate_source() -> MandateSource:
    if settings.LUVAT_MANDATES_BACKEND == "suomifi":
        from luvat.identity.mandates.suomifi import EAuthorizationsClient

        return EAuthorizationsClient(
            base_url=settings.LUVAT_EAUTH_URL,
            client_id=settings.LUVAT_EAUTH_CLIENT_ID,
            api_key=settings.LUVAT_EAUTH_API_KEY,
            oauth_password=settings.LUVAT_EAUTH_OAUTH_PASSWORD,
            accepted_roles=frozenset(settings.LUVAT_EAUTH_ROLES),
            mandate_issue=settings.LUVAT_EAUTH_MANDATE_ISSUE,
            timeout=settings.LUVAT_HTTP_TIMEOUT_SECONDS,
        )
    from luvat.identity.mandates.local import LocalMandates

    return LocalMandates()
