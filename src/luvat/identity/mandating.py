"""Asking the mandate source for the current person's companies, with the short cache.

Reads may use the list for ``LUVAT_MANDATE_CACHE_SECONDS``; before every unsafe request the
door (luvat.identity.door) asks the source again with :func:`companies_fresh`, so a revoked
mandate takes effect on the next write.
"""

from __future__ import annotations

import structlog
from django.http import HttpRequest

from luvat.identity import sessions
from luvat.identity.mandates import CompanyMandate, mandate_source

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
