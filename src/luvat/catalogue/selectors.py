"""Reads of the catalogue shared by the assessment, projects and back office."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
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


def authority_search(
    *,
    query: str = "",
    kind: str = "",
    municipality_code: str = "",
    include_former: bool = False,
    on: date | None = None,
) -> QuerySet[Authority]:
    """Authorities matching a name (any language or code), kind and municipality served.

    Without ``include_former`` only authorities valid ``on`` (today) are listed. A
    municipality matches the authorities serving it, nationwide ones included.
    """
    authorities = Authority.objects.all()
    if not include_former:
        authorities = authorities.filter(Authority.valid_on_q(on or timezone.localdate()))
    for word in query.split():
        authorities = authorities.filter(
            Q(name_fi__icontains=word)
            | Q(name_sv__icontains=word)
            | Q(name_en__icontains=word)
            | Q(code__icontains=word)
        )
    if kind:
        authorities = authorities.filter(kind=kind)
    if municipality_code:
        served = Authority.objects.filter(municipalities__code=municipality_code).values("pk")
        authorities = authorities.filter(Q(nationwide=True) | Q(pk__in=served))
    return authorities.select_related("successor").order_by("name_fi", "code")


def authority_detail(code: str) -> Authority | None:
    """One authority with its area served, successor and predecessors (3 queries)."""
    return (
        Authority.objects.select_related("successor")
        .prefetch_related("municipalities", "predecessors")
        .filter(code=code)
        .first()
    )
