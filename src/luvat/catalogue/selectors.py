"""Reads of the catalogue shared by the assessment, projects and back office."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from luvat.catalogue.models import Authority, AuthorityResolution, Service


def authorities_valid_on(day: date | None = None) -> QuerySet[Authority]:
    return Authority.objects.filter(Authority.valid_on_q(day or timezone.localdate()))


def resolve_authority(
    *, service: Service, municipality_code: str | None, on: date | None = None
) -> Authority | None:
    """The concrete authority that handles ``service`` for a site in ``municipality_code``,
    as the catalogue stood on ``on`` (today by default); None when none is catalogued.

    A municipality-bound authority wins over a nationwide one of the same kind.
    """
    if service.authority_resolution == AuthorityResolution.NONE:
        return None
    candidates = authorities_valid_on(on).filter(kind=service.authority_kind)
    if service.authority_resolution != AuthorityResolution.NATIONAL and municipality_code:
        local = candidates.filter(municipalities__code=municipality_code).order_by("code").first()
        if local is not None:
            return local
    return candidates.filter(nationwide=True).order_by("code").first()
