"""Stand-in company register for the demo and tests: demo companies from a fixture file in the
YTJ v3 JSON format, read with the real client's parser so that it behaves the same."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from luvat.identity.companies.base import Company, RegisterUnavailable, normalise_business_id
from luvat.identity.companies.ytj import parse_companies_response

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "demo_companies.json"
# A business ID for which the stand-in answers like a register that is down (to test errors).
UNAVAILABLE_BUSINESS_ID = "0000001-9"


@cache
def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class LocalCompanyRegister:
    name = "local"

    def __init__(self, fixture: Path = FIXTURE) -> None:
        self.fixture = fixture

    def get(self, business_id: str) -> Company:
        business_id = normalise_business_id(business_id)
        if business_id == UNAVAILABLE_BUSINESS_ID:
            raise RegisterUnavailable("the company register answered with HTTP 503")
        return parse_companies_response(_load(self.fixture), business_id)

    def business_ids(self) -> list[str]:
        return [
            normalise_business_id(str(item["businessId"]["value"]))
            for item in _load(self.fixture)["companies"]
        ]
