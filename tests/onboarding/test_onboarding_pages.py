"""Onboarding pages: who may see and change what, bad input next to the field, query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luvat.onboarding.models import ChecklistItem, CostBenefitLine, PilotFeedback, Risk
from luvat.onboarding.phases import Phase
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.onboarding.factories import (
    admin_client,
    authority_admin,
    environment_authority,
    joining_with_service,
    official,
    official_client,
)
from tests.samples import MINIMAL_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_joining():
    return joining_with_service(phase=Phase.PILOT)


@pytest.fixture
def ville(service_joining) -> Client:
    return official_client(authority_admin())


def test_authority_administrator_sees_and_changes_their_joining(ville, service_joining):
    code = service_joining.service.code
    for url in (
        "/fi/onboarding/HKI-ENV/",
        f"/sv/onboarding/HKI-ENV/services/{code}/",
        "/en/onboarding/HKI-ENV/metrics/",
        "/en/onboarding/HKI-ENV/cost-benefit/",
        "/en/onboarding/HKI-ENV/risks/",
    ):
        assert ville.get(url).status_code == 200, url
    assert ville.get("/en/onboarding/").url == "/en/onboarding/HKI-ENV/"
    response = ville.post(
        "/en/onboarding/HKI-ENV/risks/",
        {"title": "Staff miss notices", "likelihood": "3", "impact": "4"},
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert risk.score == 12
    edited = ville.post(
        f"/en/onboarding/HKI-ENV/risks/{risk.pk}/",
        {"title": "Staff miss notices", "likelihood": "2", "impact": "4", "closed": "on"},
    )
    assert edited.status_code == 302
    risk.refresh_from_db()
    assert (risk.score, risk.closed) == (8, True)


def test_production_refused_page_lists_what_is_missing(ville, service_joining):
    url = f"/en/onboarding/HKI-ENV/services/{service_joining.service.code}/phase/"
    response = ville.post(url, {"phase": "production"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Not moved to production" in body
    assert "Staff are trained" in body


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_lost(ville, service_joining):
    url = f"/en/onboarding/HKI-ENV/services/{service_joining.service.code}/pilot/"
    response = ville.post(url, {"business_id": "123", "company_name": "Kept Oy"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="business_id-error"' in body
    assert 'href="#id_business_id"' in body
    assert 'value="Kept Oy"' in body


def test_other_authorities_and_plain_officials_are_refused(service_joining):
    rescue = official_client(authority_admin("HKI-RESCUE"), "HKI-RESCUE")
    assert rescue.get("/en/onboarding/HKI-ENV/").status_code == 403
    assert rescue.get("/en/onboarding/HKI-ENV/metrics.csv").status_code == 403
    plain = official_client(official("HKI-ENV"))
    assert plain.get("/en/onboarding/HKI-ENV/").status_code == 200
    response = plain.post("/en/onboarding/HKI-ENV/risks/", {"title": "x", "likelihood": "1"})
    assert response.status_code == 403
    assert not Risk.objects.exists()
    assert plain.get("/en/onboarding/board/").status_code == 403
    customer = Client()
    act_for_company(customer, LocalMandateFactory.create().person, FESTIVAALI)
    assert customer.get("/en/onboarding/HKI-ENV/").status_code == 403


def test_administrator_board_and_starting_a_joining(service_joining, django_assert_max_num_queries):
    client = admin_client()
    environment_authority("TRE-ENV")
    with django_assert_max_num_queries(12):
        response = client.get("/en/onboarding/board/")
    assert response.status_code == 200
    assert service_joining.service.name in response.content.decode()
    response = client.post("/en/onboarding/board/", {"authority": "TRE-ENV"})
    assert response.status_code == 302
    assert ChecklistItem.objects.filter(joining__authority__code="TRE-ENV").count() == 6


def test_evidence_file_is_checked_and_served_only_to_the_authority(ville, service_joining):
    item = ChecklistItem.objects.filter(service_joining__isnull=True).order_by("id")[0]
    url = f"/en/onboarding/HKI-ENV/checklist/{item.pk}/"
    program = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00rest", content_type="application/pdf")
    response = ville.post(url, {"state": "done", "evidence_file": program})
    assert response.status_code == 422
    assert b"a program, not a document" in response.content
    pdf = SimpleUploadedFile("plan.pdf", MINIMAL_PDF, content_type="application/pdf")
    response = ville.post(url, {"state": "done", "owner": "Ville", "evidence_file": pdf})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_done and item.done_on is not None
    download = ville.get(f"{url}evidence/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    rescue = official_client(authority_admin("HKI-RESCUE"), "HKI-RESCUE")
    assert rescue.get(f"{url}evidence/").status_code == 403


def test_cost_benefit_sheet_sums_per_year(ville, service_joining):
    url = "/en/onboarding/HKI-ENV/cost-benefit/"
    for kind, amount in (("cost", "100"), ("benefit", "250.50")):
        data = {"kind": kind, "year": "2026", "description": kind, "amount_eur": amount}
        assert ville.post(url, data).status_code == 302
    response = ville.post(
        url,
        {
            "kind": "benefit",
            "year": "2026",
            "description": "x",
            "amount_eur": "1",
            "expected_value": "5",
        },
    )
    assert response.status_code == 422
    assert b'id="metric-error"' in response.content
    assert CostBenefitLine.objects.count() == 2
    assert "150.50" in ville.get(url).content.decode()


def test_pilot_feedback_from_a_pilot_company_and_an_official(service_joining):
    from luvat.onboarding import services
    from tests.onboarding.factories import SYSTEM

    services.pilot_company_add(
        service_joining=service_joining, business_id=TERAS, company_name="", actor=SYSTEM
    )
    url = f"/en/onboarding/HKI-ENV/services/{service_joining.service.code}/feedback/"
    teras = Client()
    act_for_company(teras, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    assert teras.post(url, {"rating": "4", "worked_well": "Easy"}).status_code == 200
    festivaali = Client()
    act_for_company(festivaali, LocalMandateFactory.create().person, FESTIVAALI)
    assert festivaali.get(url).status_code == 403
    officer = official_client(official("HKI-ENV"))
    assert officer.post(url, {"rating": "2", "to_improve": "Slow"}).status_code == 200
    assert sorted(PilotFeedback.objects.values_list("respondent", "rating")) == [
        ("customer", 4),
        ("official", 2),
    ]
    assert officer.post(url, {}).status_code == 422


def test_a_risk_review_date_is_typed_in_three_boxes_and_a_wrong_one_named(ville, service_joining):
    url = "/fi/onboarding/HKI-ENV/risks/"
    page = ville.get(url).content.decode()
    assert 'name="review_on-day"' in page and "esim. 27 3 2026" in page
    assert 'class="govuk-input govuk-!-width-three-quarters"' in page
    typed = {"title": "Staff miss notices", "likelihood": "3", "impact": "4"}
    wrong = ville.post(url, {**typed, "review_on-day": "12", "review_on-month": "13"})
    assert wrong.status_code == 422
    body = wrong.content.decode()
    assert 'href="#id_review_on-year"' in body
    assert "Päivämäärästä puuttuu vuosi." in body
    assert 'name="review_on-day" type="text" inputmode="numeric" value="12"' in body
    assert not Risk.objects.exists()
    boxes = {"review_on-day": "12", "review_on-month": "3", "review_on-year": "2027"}
    assert ville.post(url, {**typed, **boxes}).status_code == 302
    assert str(Risk.objects.get().review_on) == "2027-03-12"
