"""Client of the YTJ open data API v3 (Finnish Patent and Registration Office), JSON format.

``GET {base}/companies?businessId=…`` → ``{"totalResults", "companies": [Company]}``.
The same parser reads the local stand-in's fixture, which is stored in this format.
"""

from __future__ import annotations

from typing import Any

import requests
import structlog

from luvat.identity.companies.base import (
    Address,
    Company,
    CompanyNotFound,
    RegisterUnavailable,
    normalise_business_id,
)

log = structlog.get_logger(__name__)
LANGUAGES = {"1": "fi", "2": "sv", "3": "en"}
MAIN_NAME_TYPE = "1"
VISITING_ADDRESS, POSTAL_ADDRESS = 1, 2
ENDED_SITUATIONS = {"KONK", "SELTILA"}


def _descriptions(items: list[dict[str, Any]] | None) -> dict[str, str]:
    texts: dict[str, str] = {}
    for item in items or []:
        language = LANGUAGES.get(str(item.get("languageCode", "")))
        if language and item.get("description"):
            texts[language] = str(item["description"])
    return texts


def _current_name(names: list[dict[str, Any]]) -> str:
    current = [n for n in names if not n.get("endDate") and str(n.get("type")) == MAIN_NAME_TYPE]
    current.sort(key=lambda n: int(n.get("version") or 99))
    if current:
        return str(current[0]["name"])
    return str(names[0]["name"]) if names else ""


def _address(addresses: list[dict[str, Any]]) -> Address | None:
    by_type = {int(a.get("type", 0)): a for a in addresses}
    chosen = by_type.get(VISITING_ADDRESS) or by_type.get(POSTAL_ADDRESS)
    if not chosen:
        return None
    street = " ".join(
        str(chosen.get(key) or "").strip()
        for key in ("street", "buildingNumber", "entrance", "apartmentNumber")
        if chosen.get(key)
    )
    if not street and chosen.get("postOfficeBox"):
        street = f"PL {chosen['postOfficeBox']}"
    offices = chosen.get("postOffices") or []
    finnish = [o for o in offices if str(o.get("languageCode")) == "1"] or offices
    city = str(finnish[0].get("city", "")) if finnish else ""
    return Address(street=street, post_code=str(chosen.get("postCode") or ""), city=city)


def parse_company(data: dict[str, Any]) -> Company:
    """One company object of the v3 format."""
    forms = data.get("companyForms") or []
    current_forms = [f for f in forms if not f.get("endDate")] or forms
    business_line = data.get("mainBusinessLine") or {}
    situations = {str(s.get("type")) for s in data.get("companySituations") or []}
    return Company(
        business_id=normalise_business_id(str(data["businessId"]["value"])),
        name=_current_name(data.get("names") or []),
        form=_descriptions(current_forms[0].get("descriptions")) if current_forms else {},
        address=_address(data.get("addresses") or []),
        main_line_of_business_code=str(business_line.get("type") or ""),
        main_line_of_business=_descriptions(business_line.get("descriptions")),
        active=not (situations & ENDED_SITUATIONS) and str(data.get("status", "2")) != "3",
    )


def parse_companies_response(body: Any, business_id: str) -> Company:
    """The company with ``business_id`` from a ``/companies`` answer, or CompanyNotFound."""
    try:
        for item in body.get("companies") or []:
            if normalise_business_id(str(item["businessId"]["value"])) == business_id:
                return parse_company(item)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise RegisterUnavailable("the company register answered in an unexpected format") from exc
    raise CompanyNotFound(f"no company with business ID {business_id} in the register")


class YtjCompanyRegister:
    name = "ytj"

    def __init__(self, *, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def get(self, business_id: str) -> Company:
        business_id = normalise_business_id(business_id)
        try:
            response = requests.get(
                f"{self.base_url}/companies",
                params={"businessId": business_id},
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            log.warning("company_register.unreachable", error=type(exc).__name__)
            raise RegisterUnavailable("the company register cannot be reached") from exc
        if response.status_code == 404:
            raise CompanyNotFound(f"no company with business ID {business_id} in the register")
        if response.status_code != 200:
            log.warning("company_register.error", status=response.status_code)
            raise RegisterUnavailable(
                f"the company register answered with HTTP {response.status_code}"
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise RegisterUnavailable("the company register answered with invalid JSON") from exc
        return parse_companies_response(body, business_id)
