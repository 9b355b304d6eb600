"""Configuration checks of log-in and access, run by ``luvat check`` and before serving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from luvat.identity.saml.config import IDPS, configuration_problems
from luvat.identity.saml.metadata_check import metadata_problems

KNOWN_BACKENDS = {"suomifi", "virtu", "test"}


@register("luvat")
def identity_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    backends = settings.LUVAT_LOGIN_BACKENDS
    unknown = sorted(set(backends) - KNOWN_BACKENDS)
    if unknown:
        problems.append(
            Error(
                f"LUVAT_LOGIN_BACKENDS names unknown log-in methods: {', '.join(unknown)}.",
                hint="Use suomifi, virtu and/or test.",
                id="luvat.E101",
            )
        )
    if not backends:
        problems.append(Error("LUVAT_LOGIN_BACKENDS is empty: nobody can log in.", id="luvat.E102"))
    if settings.PRODUCTION and "test" in backends:
        problems.append(
            Error(
                "The test identity provider is enabled in production: anyone could log in as "
                "anyone.",
                hint="Remove `test` from LUVAT_LOGIN_BACKENDS.",
                id="luvat.E103",
            )
        )
    for idp in IDPS:
        if idp in backends:
            for problem in configuration_problems(idp):
                problems.append(Error(f"{idp} log-in: {problem}.", id="luvat.E104"))
            metadata = settings.LUVAT_SAML_IDPS[idp]["metadata"]
            if metadata and Path(metadata).is_file():
                problems.extend(idp_metadata_checks(idp, metadata))
    if settings.LUVAT_MANDATES_BACKEND == "suomifi":
        for name in ("LUVAT_EAUTH_CLIENT_ID", "LUVAT_EAUTH_API_KEY", "LUVAT_EAUTH_OAUTH_PASSWORD"):
            if not getattr(settings, name):
                problems.append(
                    Error(f"{name} is empty but LUVAT_MANDATES_BACKEND=suomifi.", id="luvat.E105")
                )
    if settings.PRODUCTION and settings.LUVAT_MANDATES_BACKEND == "local":
        problems.append(
            Error(
                "LUVAT_MANDATES_BACKEND=local in production: mandates would come from the "
                "stand-in table instead of Suomi.fi e-Authorizations.",
                id="luvat.E106",
            )
        )
    return problems


def idp_metadata_checks(idp: str, path: str) -> list[CheckMessage]:
    """The IdP metadata parses, names its entity and has a current signing certificate."""
    variable = f"LUVAT_SAML_{idp.upper()}_IDP_METADATA"
    messages: list[CheckMessage] = []
    for problem in metadata_problems(path):
        kind = Warning if problem.is_warning else Error
        messages.append(
            kind(
                f"{idp} log-in: {variable} ({path}): {problem.message}.",
                hint="Download the identity provider's current metadata again.",
                id=f"luvat.{problem.code}",
            )
        )
    return messages
