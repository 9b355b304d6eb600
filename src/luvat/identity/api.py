"""API of the identity context for authority systems (mounted at /api/v1/identity/)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from luvat.audit.context import current_request_context
from luvat.audit.services import access_record
from luvat.identity.apiauth import authority_system_auth, require_authority
from luvat.identity.companies import (
    CompanyNotFound,
    InvalidBusinessId,
    RegisterUnavailable,
    company_register,
)
from luvat.identity.door import actor_from_request
from luvat.identity.models import ApiClient
from luvat.identity.selectors import officials_of_authority
from luvat.web.api_errors import ApiProblem

router = Router(tags=["identity"], auth=authority_system_auth)


class ClientOut(Schema):
    name: str
    authority_code: str
    service_codes: list[str]
    x_road_client: str


class OfficialOut(Schema):
    given_name: str
    family_name: str
    email: str
    service_codes: list[str]
    is_authority_admin: bool


class AddressOut(Schema):
    street: str
    post_code: str
    city: str


class CompanyOut(Schema):
    business_id: str
    name: str
    form: dict[str, str]
    address: AddressOut | None
    main_line_of_business_code: str
    main_line_of_business: dict[str, str]
    active: bool
    checked_at: datetime


@router.get("/me", response=ClientOut, summary="Who am I: the authority system of this key")
def me(request: HttpRequest) -> ClientOut:
    client = getattr(request, "auth", None)
    if not isinstance(client, ApiClient):  # the router's auth guarantees it
        raise ApiProblem(status=401, slug="unauthenticated")

    return ClientOut(
        name=client.name,
        authority_code=client.authority_code,
        service_codes=list(client.service_codes),
        x_road_client=current_request_context().x_road_client,
    )


@router.get(
    "/authorities/{authority_code}/officials",
    response=list[OfficialOut],
    summary="The officials of your authority (personal data: every read is logged)",
)
def officials(request: HttpRequest, authority_code: str) -> list[OfficialOut]:
    require_authority(request, authority_code, object_type="authority.officials")
    roles = officials_of_authority(authority_code)
    access_record(
        actor=actor_from_request(request),
        object_type="authority.officials",
        object_id=authority_code,
        purpose="api:identity.officials",
    )
    return [
        OfficialOut(
            given_name=role.person.given_name,
            family_name=role.person.family_name,
            email=role.person.email,
            service_codes=list(role.service_codes),
            is_authority_admin=role.is_authority_admin,
        )
        for role in roles
    ]


@router.get(
    "/companies/{business_id}",
    response=CompanyOut,
    summary="A company from the company register by business ID",
)
def company(request: HttpRequest, business_id: str) -> CompanyOut:
    from django.utils import timezone

    try:
        found = company_register().get(business_id)
    except InvalidBusinessId:
        raise ApiProblem(
            status=422,
            slug="invalid-business-id",
            detail="Not a valid Finnish business ID (7 digits, hyphen, check digit).",
        ) from None
    except CompanyNotFound:
        raise ApiProblem(
            status=404, slug="not-found", detail="The register has no such company."
        ) from None
    except RegisterUnavailable:
        raise ApiProblem(
            status=503, slug="unavailable", detail="The company register cannot be reached."
        ) from None
    address = found.address
    return CompanyOut(
        business_id=found.business_id,
        name=found.name,
        form=found.form,
        address=AddressOut(street=address.street, post_code=address.post_code, city=address.city)
        if address
        else None,
        main_line_of_business_code=found.main_line_of_business_code,
        main_line_of_business=found.main_line_of_business,
        active=found.active,
        checked_at=timezone.now(),
    )
