"""Technical readiness of an API integration, from the conformance kit's stored runs.

The integrations app keeps the authority endpoints (``AuthorityEndpoint``, with
``endpoint_changed_at``) and the conformance runs with their reports (``ConformanceRun``).
This module is the only place onboarding reads them: :func:`latest_passing_conformance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from luvat.catalogue.models import Service
from luvat.integrations.models import AuthorityEndpoint, ConformanceRun


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str = ""  # no_endpoint, no_run
    explanation: str = ""
    run_id: int | None = None
    run_finished_at: datetime | None = None


def _endpoint(authority_code: str, service_code: str) -> AuthorityEndpoint | None:
    """The endpoint the service delivers to: the one it names, else the authority's enabled one
    (the same choice as ``luvat.integrations.endpoints.choose_endpoint``)."""
    reference = (
        Service.objects.filter(code=service_code)
        .values_list("integration_endpoint", flat=True)
        .first()
    )
    endpoints = AuthorityEndpoint.objects.filter(authority_code=authority_code, enabled=True)
    if reference:
        return endpoints.filter(code=reference).first()
    return endpoints.order_by("code").first()


def _changed_at(endpoint: AuthorityEndpoint) -> datetime:
    return endpoint.endpoint_changed_at or endpoint.created_at


def latest_passing_conformance(authority_code: str, service_code: str) -> ConformanceRun | None:
    """The newest passing ``ConformanceRun`` of the service's endpoint that started after the
    endpoint last changed, or None."""
    endpoint = _endpoint(authority_code, service_code)
    if endpoint is None:
        return None
    runs = ConformanceRun.objects.filter(
        authority_code=authority_code,
        transport=endpoint.transport,
        passed=True,
        finished_at__isnull=False,
        started_at__gt=_changed_at(endpoint),
    )
    if endpoint.transport == "http":
        runs = runs.filter(endpoint_url=endpoint.url)
    return runs.order_by("-started_at", "-id").first()


def technical_readiness(*, authority_code: str, service_code: str) -> Readiness:
    """Whether the API integration of the service may go live, and why not."""
    endpoint = _endpoint(authority_code, service_code)
    if endpoint is None:
        return Readiness(False, "no_endpoint", _("no enabled integration endpoint is registered"))
    run = latest_passing_conformance(authority_code, service_code)
    if run is None:
        return Readiness(
            False,
            "no_run",
            _("no conformance run has passed against the endpoint since it last changed"),
        )
    return Readiness(True, run_id=run.pk, run_finished_at=run.finished_at)
