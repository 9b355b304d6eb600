"""What a logged-in browser session carries: who logged in, how, and whom they act for.

Keys live under ``luvat.*`` in the Django session (database-backed, signed cookie id). The
identity code is kept only between log-in and the e-Authorizations registration call.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest

from luvat.identity.identities import VerifiedIdentity
from luvat.identity.mandates.base import CompanyMandate
from luvat.identity.models import Person
from luvat.identity.services import session_register

LOGIN = "luvat.login"  # {"method", "loa"}
ACTING = "luvat.acting"  # {"kind", "business_id", "company_name", "authority_code"}
MANDATES = "luvat.mandates"  # {"fetched_at", "companies", "state"}
PENDING_NATIONAL_ID = "luvat.pending_national_id"
SAML = "luvat.saml"  # {"idp", "name_id", "session_index"}

CUSTOMER, OFFICIAL, ADMINISTRATOR = "customer", "official", "administrator"


def session_login(request: HttpRequest, *, person: Person, identity: VerifiedIdentity) -> None:
    """Log ``person`` in on this browser (a new session id) and remember the session."""
    login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LOGIN] = {
        "method": str(identity.method),
        "loa": identity.level_of_assurance,
    }
    if identity.national_id:
        request.session[PENDING_NATIONAL_ID] = identity.national_id
    request.session.save()
    session_key = request.session.session_key
    if session_key:
        session_register(user=person.user, session_key=session_key, method=str(identity.method))


def session_logout(request: HttpRequest) -> None:
    logout(request)


def acting(request: HttpRequest) -> dict[str, str]:
    value = request.session.get(ACTING) if hasattr(request, "session") else None
    return dict(value) if isinstance(value, dict) else {}


def act_for_company(request: HttpRequest, *, business_id: str, company_name: str) -> None:
    request.session[ACTING] = {
        "kind": CUSTOMER,
        "business_id": business_id,
        "company_name": company_name,
    }


def act_as_official(
    request: HttpRequest, *, authority_code: str, authority_admin: bool = False
) -> None:
    """``authority_admin`` only chooses the header's links; every page asks the policy."""
    request.session[ACTING] = {
        "kind": OFFICIAL,
        "authority_code": authority_code,
        "authority_admin": authority_admin,
    }


def act_as_administrator(request: HttpRequest) -> None:
    request.session[ACTING] = {"kind": ADMINISTRATOR}


def stop_acting(request: HttpRequest) -> None:
    request.session.pop(ACTING, None)


def mandate_state(request: HttpRequest) -> dict[str, Any]:
    stored = request.session.get(MANDATES) or {}
    state = stored.get("state") or {}
    return dict(state)


def store_mandate_state(request: HttpRequest, state: dict[str, Any]) -> None:
    stored = dict(request.session.get(MANDATES) or {})
    stored["state"] = state
    request.session[MANDATES] = stored


def cached_companies(request: HttpRequest) -> list[CompanyMandate] | None:
    """The person's companies if fetched within LUVAT_MANDATE_CACHE_SECONDS, else None."""
    stored = request.session.get(MANDATES) or {}
    fetched_at = stored.get("fetched_at")
    if fetched_at is None or time.time() - fetched_at > settings.LUVAT_MANDATE_CACHE_SECONDS:
        return None
    return [
        CompanyMandate(
            business_id=item["business_id"],
            name=item["name"],
            roles=tuple(item["roles"]),
            basis=item.get("basis", ""),
        )
        for item in stored.get("companies", [])
    ]


def store_companies(request: HttpRequest, companies: list[CompanyMandate]) -> None:
    stored = dict(request.session.get(MANDATES) or {})
    stored["fetched_at"] = time.time()
    stored["companies"] = [asdict(company) for company in companies]
    request.session[MANDATES] = stored
