from datetime import date

import pytest

from luvat.assessment.results import authorities_for
from luvat.catalogue.models import Authority, Service
from luvat.catalogue.selectors import authority_search, resolve_authority


def test_search_by_municipality_kind_and_name(client, catalogue, django_assert_num_queries):
    response = client.get("/api/v1/authorities", {"municipality": "091", "kind": "police"})
    assert [a["code"] for a in response.json()["items"]] == ["HKI-POLICE"]
    response = client.get("/api/v1/authorities", {"q": "pelastuslaitos Pirkanmaan"})
    assert [a["code"] for a in response.json()["items"]] == ["TRE-RESCUE"]
    response = client.get("/api/v1/authorities", {"municipality": "564", "kind": "lvv"})
    assert [a["code"] for a in response.json()["items"]] == ["LVV"]  # nationwide serve everyone
    with django_assert_num_queries(3):  # municipality check, count, page
        client.get("/api/v1/authorities", {"municipality": "837"})


def test_former_authorities_are_hidden_unless_asked(client, catalogue):
    codes = {a["code"] for a in client.get("/api/v1/authorities", {"kind": "avi"}).json()["items"]}
    assert codes == set()
    response = client.get("/api/v1/authorities", {"kind": "avi", "include_former": "true"})
    items = response.json()["items"]
    assert {a["code"] for a in items} == {"AVI-ESAVI", "AVI-LSSAVI", "AVI-PSAVI"}
    assert {a["successor"] for a in items} == {"LVV"}


def test_authority_detail_has_contacts_area_and_history(
    client, catalogue, django_assert_num_queries
):
    with django_assert_num_queries(3):
        body = client.get("/api/v1/authorities/LVV").json()
    assert body["valid_from"] == "2026-01-01"
    assert "VALVIRA" in body["predecessors"]
    body = client.get("/api/v1/authorities/TUKES").json()
    assert body["email"] == "kirjaamo@tukes.fi" and body["business_id"] == "1021277-9"
    assert client.get("/api/v1/authorities/NOPE").status_code == 404


def test_bad_filters_are_422(client, catalogue):
    response = client.get("/api/v1/authorities", {"municipality": "999"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "municipality"
    assert client.get("/api/v1/authorities", {"kind": "wizard"}).status_code == 422


def test_directory_pages(client, catalogue):
    page = client.get(
        "/fi/authorities/", {"municipality": "837", "kind": "rescue"}
    ).content.decode()
    assert "Pirkanmaan pelastuslaitos" in page and "Helsingin kaupungin pelastuslaitos" not in page
    page = client.get("/en/authorities/AVI-PSAVI/").content.decode()
    assert "Permit and Supervision Agency" in page  # successor named
    page = client.get("/sv/authorities/", {"municipality": "abc"}).content.decode()
    assert 'aria-invalid="true"' in page
    assert client.get("/fi/authorities/NOPE/").status_code == 404


def test_resolution_follows_validity_dates(catalogue):
    service = Service.objects.get(code="alcohol-serving-permit")
    service.authority_kind = "avi"
    service.authority_resolution = "site_municipality"
    authority = resolve_authority(service=service, municipality_code="091", on=date(2025, 6, 1))
    assert authority is not None and authority.code == "AVI-ESAVI"
    assert resolve_authority(service=service, municipality_code="091", on=date(2026, 6, 1)) is None


@pytest.mark.parametrize("municipality", ["091", "837", "564", "092", "005"])
def test_bulk_resolution_agrees_with_resolve_authority(catalogue, municipality):
    services = list(Service.objects.all())
    on = date(2026, 6, 1)
    bulk = authorities_for(services, {municipality}, on)
    for service in services:
        assert bulk[(service.code, municipality)] == resolve_authority(
            service=service, municipality_code=municipality, on=on
        ), service.code


def test_search_selector_filters_kind(catalogue):
    assert all(a.kind == "police" for a in authority_search(kind="police"))
    assert Authority.objects.count() > authority_search(kind="police").count()
