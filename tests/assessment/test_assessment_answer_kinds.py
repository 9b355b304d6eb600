"""The answer kinds beyond a single value: "not sure", repeatable items, bad numbers."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from luvat.assessment.questionnaire import clean_answers, compiled_package
from luvat.assessment.selectors import package_by_code

FUTURE = (timezone.localdate() + timedelta(days=200)).isoformat()
BASE = {
    "municipality": "837",
    "start_date": FUTURE,
    "public_event": True,
    "small_and_harmless": False,
    "attendance": 300,
    "hazards": [],
    "amplified_noise": False,
    "sells_food": "none",
    "serves_alcohol": False,
    "structures": False,
}


def post_raw(client, text):
    return client.post("/api/v1/assessments", text, content_type="application/json")


def post(client, answers):
    body = {"package": "event", "answers": {**BASE, **answers}, "language": "en"}
    return post_raw(client, json.dumps(body))


def _fields(response):
    return [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_a_422_naming_the_field(client, catalogue, literal):
    body = json.dumps({"package": "event", "answers": {**BASE, "attendance": 1}})
    response = post_raw(client, body.replace('"attendance": 1', f'"attendance": {literal}'))
    assert response.status_code == 422
    assert "attendance" in response.content.decode()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_the_answer_parser_itself_refuses_non_finite_numbers(catalogue, value):
    event = package_by_code("event")
    assert event is not None
    package = compiled_package(event)
    clean = clean_answers(package, {**BASE, "attendance": value}, today=date(2026, 1, 1))
    assert clean.errors["attendance"].code == "not_finite"


@pytest.mark.parametrize("value", [10**20, 10**400, -(10**30), 1e300])
def test_overflowing_numbers_are_a_422_naming_the_field(client, catalogue, value):
    response = post(client, {"attendance": value})
    assert response.status_code == 422
    assert _fields(response) == ["answers.attendance"]
    assert response.json()["errors"][0]["code"] in {"too_large", "out_of_range"}


def test_hundreds_of_items_are_a_422_naming_the_field(client, catalogue):
    vendors = [
        {"name": f"Truck {i}", "home_municipality": "564", "registered": True} for i in range(300)
    ]
    response = post(client, {"sells_food": "vendors", "vendors": vendors})
    assert response.status_code == 422
    assert _fields(response) == ["answers.vendors"]
    assert response.json()["errors"][0]["code"] == "too_many_items"


def test_a_wrong_item_answer_names_the_item_and_its_question(client, catalogue):
    vendors = [
        {"name": "Oulun Grilli", "home_municipality": "564", "registered": True},
        {"name": "X", "home_municipality": "999", "registered": "perhaps", "extra": 1},
    ]
    response = post(client, {"sells_food": "vendors", "vendors": vendors})
    assert response.status_code == 422
    assert set(_fields(response)) == {
        "answers.vendors.1.home_municipality",
        "answers.vendors.1.registered",
        "answers.vendors.1.extra",
    }
    locations = [e["location"] for e in response.json()["errors"]]
    assert ["body", "answers", "vendors", 1, "home_municipality"] in locations


def test_not_sure_is_refused_where_the_question_does_not_offer_it(client, catalogue):
    response = post(client, {"public_event": "not_sure"})
    assert response.status_code == 422
    assert _fields(response) == ["answers.public_event"]


def test_a_service_matched_in_both_tiers_keeps_all_reasons_grouped(client, catalogue):
    response = post(client, {"hazards": ["waterside"]})
    assert response.status_code == 201
    items = {i["service"]["code"]: i for i in response.json()["result"]["definitely"]}
    document = items["consumer-safety-document"]
    assert document["tier"] == "definitely"
    assert len(document["reasons_by_tier"]["definitely"]) == 1
    assert len(document["reasons_by_tier"]["possibly"]) == 1
    assert [r["tier"] for r in document["reasons"]] == ["definitely", "possibly"]


def test_not_sure_of_the_start_date_says_which_date_could_not_be_computed(client, catalogue):
    response = post(client, {"start_date": "not_sure"})
    result = response.json()["result"]
    items = {i["service"]["code"]: i for i in result["definitely"]}
    notice = items["public-event-notification"]
    assert notice["latest_submission_date"] is None
    assert "When does the event start?" in notice["date_not_computed"]
    assert {d["service"] for d in result["dates_not_computed"]} >= {
        "public-event-notification",
        "event-rescue-plan",
    }
    assert result["ask"][0]["question"] == "start_date"


def test_per_item_results_have_their_own_subject_authority_and_deadline(client, catalogue):
    first_day = (date.fromisoformat(FUTURE) + timedelta(days=7)).isoformat()
    vendors = [
        {"name": "Oulun Grilli Oy", "home_municipality": "564", "registered": True},
        {
            "name": "Kuopion Kalakukko",
            "home_municipality": "297",
            "registered": True,
            "first_day": first_day,
        },
    ]
    response = post(client, {"sells_food": "vendors", "vendors": vendors})
    notices = [
        i
        for i in response.json()["result"]["definitely"]
        if i["service"]["code"] == "mobile-food-sales-notice"
    ]
    assert [n["subject"]["label"] for n in notices] == [
        "1: Oulun Grilli Oy, Oulu",
        "2: Kuopion Kalakukko, Kuopio",
    ]
    assert {n["authority"]["code"] for n in notices} == {"TRE-FOOD"}
    assert notices[0]["latest_submission_date"] < notices[1]["latest_submission_date"]
    assert "Oulun Grilli Oy" in notices[0]["reasons"][0]["text"]


@pytest.mark.parametrize("question_id", ["\u00b3", "x.\u0663", "vendors.\u00b2.name"])
def test_a_question_id_of_non_ascii_digits_is_a_422_not_a_500(client, catalogue, question_id):
    """Found by schemathesis: ``"³".isdigit()`` is true, ``int("³")`` is not."""
    response = post(client, {question_id: {}})
    assert response.status_code == 422
    assert f"answers.{question_id}" in [error["field"] for error in response.json()["errors"]]
