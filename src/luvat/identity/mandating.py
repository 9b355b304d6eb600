"""Asking the mandate source for the current person's companies, with the short cache.

Reads may use the list for ``LUVAT_MANDATE_CACHE_SECONDS``; every write calls
:func:`recheck_acting_company`, which asks the source again, so a revoked mandate takes effect
on the next write.
"""

from __future__ import annotations

import structlog
from django.http import HttpRequest

from luvat.audit.actors import Actor
from luvat.audit.services import access_record, audit_record
from luvat.identity import sessions
from luvat.identity.mandates import CompanyMandate, MandateError, mandate_source
from luvat.identity.policy import MandateMissing, person_id_of

log = structlog.get_logger(__name__)


def companies_fresh(request: HttpRequest) -> list[CompanyMandate]:
    """Ask the source now (MandateError when it cannot answer) and refresh the cache."""
    person_id = request.user.person.pk  # type: ignore[union-attr]
    companies = mandate_source().companies(
        person_id=person_id, state=sessions.mandate_state(request)
    )
    sessions.store_companies(request, companies)
    return companies


def companies_cached(request: HttpRequest) -> list[CompanyMandate]:
    cached = sessions.cached_companies(request)
    return cached if cached is not None else companies_fresh(request)


def recheck_acting_company(request: HttpRequest, *, actor: Actor) -> CompanyMandate:
    """Before a write: does the person still hold a mandate for the company they act for?"""
    business_id = actor.on_behalf_of
    try:
        companies = companies_fresh(request)
    except MandateError as exc:
        log.warning("mandate.recheck_failed", error=str(exc))
        raise MandateMissing(business_id, "unavailable") from exc
    for company in companies:
        if company.business_id == business_id:
            return company
    sessions.stop_acting(request)
    access_record(
        actor=actor,
        object_type="company",
        object_id=business_id,
        subject_business_id=business_id,
        purpose="mandate re-check before a write",
        outcome="denied",
    )
    audit_record(
        actor=actor,
        action="mandate.lost",
        target=("company", business_id),
        details={"person": person_id_of(actor)},
    )
    raise MandateMissing(business_id, "revoked")
