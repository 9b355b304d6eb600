"""Checks over the catalogue data files themselves: the national municipality list and
the authorities serving it (issue 13). They read the shipped files, not a fixture."""

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from luvat.catalogue.datafiles import read_catalogue

# Kinds every mainland municipality is served by (one authority each).
FULL_COVERAGE_KINDS = (
    "police",
    "rescue",
    "food_control",
    "municipal_health",
    "municipal_environment",
    "building_control",
)
CONTACT_FIELDS = ("phone", "email", "visiting_address", "postal_address", "website", "e_service")
ALAND_COUNT = 16


@pytest.fixture(scope="module")
def data():
    return read_catalogue()


def mainland(data):
    return [m["code"] for m in data.municipalities if not m.get("aland")]


def test_the_municipality_list_is_the_2026_one_with_aland_marked(data):
    codes = [m["code"] for m in data.municipalities]
    assert len(codes) == len(set(codes)) == 309
    assert len(mainland(data)) == 309 - ALAND_COUNT
    by_code = {m["code"]: m for m in data.municipalities}
    assert by_code["478"]["aland"] is True  # Maarianhamina / Mariehamn
    assert by_code["091"]["county"] == "HKI"
    for municipality in data.municipalities:
        assert municipality["source_url"].startswith("https://"), municipality["code"]
        if not municipality.get("aland"):
            assert municipality["county"], municipality["code"]


@pytest.mark.parametrize("kind", FULL_COVERAGE_KINDS)
def test_every_mainland_municipality_has_exactly_one_authority_of_the_kind(data, kind):
    served = Counter(
        code for a in data.authorities if a["kind"] == kind for code in a["municipalities"]
    )
    missing_or_double = [code for code in mainland(data) if served[code] != 1]
    assert missing_or_double == []


def test_every_authority_has_a_source_and_a_phone_or_email_or_says_not_found(data):
    for authority in data.authorities:
        assert authority["source_url"].startswith("https://"), authority["code"]
        not_found = set(authority.get("not_found", []))
        for field in ("phone", "email"):
            assert (
                authority.get(field)
                or field in not_found
                or authority.get("phone" if field == "email" else "email")
            ), (authority["code"], field)


def test_every_contact_field_is_given_or_explicitly_not_found(data):
    for authority in data.authorities:
        not_found = set(authority.get("not_found", []))
        for field in CONTACT_FIELDS:
            assert authority.get(field) or field in not_found, (authority["code"], field)


def test_joint_environmental_health_units_name_their_sources_and_serve_several_municipalities(
    data,
):
    units = [
        a
        for a in data.authorities
        if a["kind"] == "food_control" and not a["code"].removeprefix("FOOD-").isdigit()
    ]
    assert len(units) >= 20
    for unit in units:
        assert unit["source_url"].startswith("https://"), unit["code"]
        assert unit["source_note"], unit["code"]
    by_code = {a["code"]: a for a in data.authorities}
    # Spot checks against the units' own pages.
    assert set(by_code["FOOD-KESKI-POHJANMAA"]["municipalities"]) >= {"272", "217", "288"}
    assert "698" in by_code["FOOD-ROVAKAARI"]["municipalities"]
    assert by_code["FOOD-TURKU"]["municipalities"] == ["853"]
    assert len(by_code["TRE-FOOD"]["municipalities"]) == 8


def test_no_authority_serves_aland(data):
    aland = {m["code"] for m in data.municipalities if m.get("aland")}
    for authority in data.authorities:
        assert not aland & set(authority["municipalities"]), authority["code"]


def test_every_form_field_and_option_has_finnish_swedish_and_english_labels(data):
    for service in data.services:
        properties = (service.get("form_schema") or {}).get("properties", {})
        for name, prop in properties.items():
            for key in ("title", "title_sv", "title_en"):
                assert prop.get(key), (service["code"], name, key)
            for key in ("description_sv", "description_en"):
                if prop.get("description"):
                    assert prop.get(key), (service["code"], name, key)
            values = prop.get("enum") or (prop.get("items") or {}).get("enum") or []
            labels = prop.get("x-enum-labels") or (prop.get("items") or {}).get("x-enum-labels")
            for value in values:
                for language in ("fi", "sv", "en"):
                    assert labels and labels[language].get(value), (
                        service["code"],
                        name,
                        value,
                        language,
                    )


def test_every_redirect_service_has_an_https_e_service_address(data):
    for service in data.services:
        if service.get("joining_mode") == "redirect":
            assert service.get("redirect_url", "").startswith("https://"), service["code"]


def test_every_service_has_a_processing_time_or_says_it_is_not_published_with_a_source(data):
    for service in data.services:
        processing = service.get("processing_time") or {}
        assert (
            processing.get("days") is not None
            or processing.get("note")
            or processing.get("published") is False
        ), service["code"]
        assert processing.get("source_url", "").startswith("https://"), service["code"]


def test_every_fee_and_means_of_redress_has_a_source_and_three_languages(data):
    stated = {"fee": 0, "redress": 0}
    for service in data.services:
        for fact in stated:
            if service.get(fact):
                stated[fact] += 1
                assert service[fact]["source_url"].startswith("https://"), service["code"]
                for language in ("fi", "sv", "en"):
                    assert service[fact]["text"][language], (service["code"], fact, language)
    assert stated["fee"] >= 2 and stated["redress"] >= 8


# Pairs (kind, municipality code) known not to resolve yet to one authority with a phone or
# e-mail and a source, for a kind some local service resolves by municipality. The data test
# fails both when a pair is missing that is not listed here and when a listed pair has been
# filled in (shrink the list with write_known_contact_gaps below).
KNOWN_CONTACT_GAPS = Path(__file__).parent / "data" / "contact_gaps.yaml"


def local_kinds(data) -> list[str]:
    """Authority kinds some service finds by the site's or the operator's municipality."""
    by_municipality = {"site_municipality", "home_municipality"}
    return sorted(
        {
            s["authority_kind"]
            for s in data.services
            if s.get("authority_resolution", "site_municipality") in by_municipality
        }
    )


def contact_gaps(data) -> dict[str, list[str]]:
    """For every local kind, the mainland municipalities not served by exactly one authority
    of the kind that has a phone or an e-mail and an https source."""
    gaps: dict[str, list[str]] = {}
    for kind in local_kinds(data):
        serving: dict[str, list[dict[str, Any]]] = {}
        for authority in data.authorities:
            if authority["kind"] == kind and not authority.get("valid_until"):
                for code in authority["municipalities"]:
                    serving.setdefault(code, []).append(authority)
        missing = [
            code
            for code in mainland(data)
            if len(serving.get(code, [])) != 1
            or not (serving[code][0].get("phone") or serving[code][0].get("email"))
            or not serving[code][0]["source_url"].startswith("https://")
        ]
        if missing:
            gaps[kind] = missing
    return gaps


def known_contact_gaps() -> dict[str, list[str]]:
    return yaml.safe_load(KNOWN_CONTACT_GAPS.read_text(encoding="utf-8")) or {}


def test_every_municipality_resolves_for_every_local_service_to_an_authority_with_a_contact(
    data,
):
    """The Done-when of issue 13, with the gaps still open listed by name: a new gap fails,
    and so does a listed gap that the data has closed (the list only shrinks)."""
    gaps = contact_gaps(data)
    known = known_contact_gaps()
    new = {k: sorted(set(v) - set(known.get(k, []))) for k, v in gaps.items()}
    closed = {k: sorted(set(v) - set(gaps.get(k, []))) for k, v in known.items()}
    assert {k: v for k, v in new.items() if v} == {}, "gaps not in contact_gaps.yaml"
    assert {k: v for k, v in closed.items() if v} == {}, "closed gaps: shrink contact_gaps.yaml"


@pytest.mark.xfail(strict=True, reason="contact_gaps.yaml still lists open gaps")
def test_no_municipality_lacks_a_contactable_authority_for_a_local_service(data):
    assert contact_gaps(data) == {}


def write_known_contact_gaps() -> None:
    """Rewrites contact_gaps.yaml from the data, after data was added:
    `DJANGO_SETTINGS_MODULE=luvat.config.settings python -c "import django; django.setup();
    from tests.catalogue.test_national_data import write_known_contact_gaps as w; w()"`."""
    found = contact_gaps(read_catalogue())
    KNOWN_CONTACT_GAPS.write_text(
        "# Written by write_known_contact_gaps() in test_national_data.py; see there.\n"
        + "".join(f"{kind}: {json.dumps(codes)}\n" for kind, codes in found.items()),
        encoding="utf-8",
    )
    for kind, codes in found.items():
        print(f"{kind}: {len(codes)} municipalities without a contactable authority")
