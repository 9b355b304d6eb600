"""Authority directory API (public): find an authority by name, kind or municipality."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from pydantic import Field

from luvat.catalogue.models import Authority, AuthorityKind, Municipality, localized
from luvat.catalogue.selectors import authority_detail, authority_search
from luvat.web.api_errors import ApiProblem

# Beyond any real list and far below the 64-bit limit of the database's OFFSET.
MAX_OFFSET = 1_000_000
router = Router(tags=["authorities"])


class AuthorityOut(Schema):
    code: str
    name: str
    name_fi: str
    name_sv: str
    name_en: str
    kind: AuthorityKind
    business_id: str
    phone: str
    email: str
    visiting_address: str
    postal_address: str
    website: str
    service_hours: str
    nationwide: bool
    valid_from: date | None
    valid_until: date | None
    successor: str | None


class MunicipalityOut(Schema):
    code: str
    name: str


class AuthorityDetailOut(AuthorityOut):
    municipalities: list[MunicipalityOut]
    predecessors: list[str]


class AuthorityPageOut(Schema):
    count: int
    items: list[AuthorityOut]


class AuthorityFilter(Schema):
    q: str = Field("", max_length=200, description="words of the name (any language) or code")
    kind: AuthorityKind | None = None
    municipality: str = Field("", description="official three-digit municipality code")
    include_former: bool = Field(False, description="also authorities no longer valid")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _out(authority: Authority) -> dict[str, object]:
    language = get_language()
    return {
        "code": authority.code,
        "name": localized(authority, "name", language),
        "name_fi": authority.name_fi,
        "name_sv": authority.name_sv,
        "name_en": authority.name_en,
        "kind": authority.kind,
        "business_id": authority.business_id,
        "phone": authority.phone,
        "email": authority.email,
        "visiting_address": authority.visiting_address,
        "postal_address": authority.postal_address,
        "website": authority.website,
        "service_hours": localized(authority, "service_hours", language),
        "nationwide": authority.nationwide,
        "valid_from": authority.valid_from,
        "valid_until": authority.valid_until,
        "successor": authority.successor.code if authority.successor else None,
    }


@router.get("", response=AuthorityPageOut, summary="Search the authority directory")
def list_authorities(request: HttpRequest, filters: Query[AuthorityFilter]) -> dict[str, object]:
    if filters.municipality and not Municipality.objects.filter(code=filters.municipality).exists():
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail=f"There is no municipality with the code {filters.municipality!r}.",
            errors=[
                {
                    "location": ["query", "municipality"],
                    "field": "municipality",
                    "message": "unknown municipality code",
                    "code": "unknown_municipality",
                }
            ],
        )
    authorities = authority_search(
        query=filters.q,
        kind=filters.kind or "",
        municipality_code=filters.municipality,
        include_former=filters.include_former,
    )
    page = authorities[filters.offset : filters.offset + filters.limit]
    return {"count": authorities.count(), "items": [_out(a) for a in page]}


@router.get("/{code}", response=AuthorityDetailOut, summary="One authority with contact details")
def get_authority(request: HttpRequest, code: str) -> dict[str, object]:
    authority = authority_detail(code)
    if authority is None:
        raise ApiProblem(status=404, slug="not-found", detail=f"No authority {code!r}.")
    return {
        **_out(authority),
        "municipalities": [
            {"code": m.code, "name": m.name}
            for m in sorted(authority.municipalities.all(), key=lambda m: m.code)
        ],
        "predecessors": sorted(p.code for p in authority.predecessors.all()),
    }
