"""Company register: the YTJ v3 client against recorded responses, the stand-in, and business
ID validation before any look-up."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from luvat.identity.companies import (
    CompanyNotFound,
    InvalidBusinessId,
    RegisterUnavailable,
    company_register,
    normalise_business_id,
)
from luvat.identity.companies.local import UNAVAILABLE_BUSINESS_ID, LocalCompanyRegister
from luvat.identity.companies.ytj import YtjCompanyRegister
from tests.identity.recorded_server import Answer, recorded_server

RECORDED = Path(__file__).parent / "recorded"


@pytest.fixture
def ytj():
    with recorded_server() as server:

        def companies(request):
            business_id = parse_qs(urlparse(request.path).query).get("businessId", [""])[0]
            name = "ytj_company.json" if business_id == "2331972-7" else "ytj_empty.json"
            return Answer(200, (RECORDED / name).read_bytes())

        server.answer("GET", "/opendata-ytj-api/v3/companies", companies)
        yield server


def register(url: str) -> YtjCompanyRegister:
    return YtjCompanyRegister(base_url=f"{url}/opendata-ytj-api/v3", timeout=5)


def test_ytj_company_is_read_from_the_v3_format(ytj):
    company = register(ytj.url).get("2331972-7")
    assert company.business_id == "2331972-7"
    assert company.name == "Tapahtumatoimisto Kesä Oy"  # current main name, not the old one
    assert company.form_in("sv") == "Aktiebolag"
    assert str(company.address) == "Mannerheimintie 10 B 12, 00100 HELSINKI"
    assert company.main_line_of_business_code == "82300"
    assert company.line_of_business_in("fi") == "Messujen ja kongressien järjestäminen"
    assert company.active
    assert ytj.seen[0].path == "/opendata-ytj-api/v3/companies?businessId=2331972-7"


def test_ytj_unknown_company_is_not_found(ytj):
    with pytest.raises(CompanyNotFound):
        register(ytj.url).get("1618033-3")


@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_ytj_errors_are_unavailable(ytj, status):
    ytj.answer("GET", "/opendata-ytj-api/v3/companies", lambda r: Answer(status, b"{}"))
    with pytest.raises(RegisterUnavailable, match=str(status)):
        register(ytj.url).get("2331972-7")


def test_ytj_unexpected_body_is_unavailable(ytj):
    ytj.answer(
        "GET", "/opendata-ytj-api/v3/companies", lambda r: Answer(200, b'{"companies": [1]}')
    )
    with pytest.raises(RegisterUnavailable, match="unexpected format"):
        register(ytj.url).get("2331972-7")


def test_invalid_business_id_is_refused_before_any_look_up(ytj):
    with pytest.raises(InvalidBusinessId):
        register(ytj.url).get("2331972-8")
    assert ytj.seen == []


def test_stand_in_behaves_like_the_register_errors_included():
    local = LocalCompanyRegister()
    assert local.get("3141593-8").name == "Festivaali Oy"
    assert not local.get("3102030-3").active  # in bankruptcy (KONK)
    with pytest.raises(CompanyNotFound):
        local.get("2331972-7")
    with pytest.raises(InvalidBusinessId):
        local.get("3141593-9")
    with pytest.raises(RegisterUnavailable):
        local.get(UNAVAILABLE_BUSINESS_ID)


def test_backend_is_chosen_by_settings():
    with override_settings(LUVAT_COMPANY_REGISTER="ytj"):
        assert company_register().name == "ytj"
    with override_settings(LUVAT_COMPANY_REGISTER="local"):
        assert company_register().name == "local"


WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def check_digit(digits: str) -> int | None:
    """The business ID check digit as the register defines it (None: no valid check digit)."""
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


@given(st.from_regex(r"[0-9]{7}", fullmatch=True), st.integers(min_value=0, max_value=9))
def test_business_id_validation_matches_the_check_digit_rule(digits, last):
    text = f"{digits}-{last}"
    if check_digit(digits) == last:
        assert normalise_business_id(text) == text
        assert normalise_business_id(f" {digits} {last} ") == text
    else:
        with pytest.raises(InvalidBusinessId):
            normalise_business_id(text)


@given(st.text(max_size=30))
def test_business_id_validation_never_crashes(value):
    try:
        result = normalise_business_id(value)
    except InvalidBusinessId:
        return
    assert len(result) == 9 and result[7] == "-"
