from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.assessment.models import Assessment
from luvat.assessment.selectors import assessment_result
from luvat.audit.models import AuditEvent

FUTURE = (timezone.localdate() + timedelta(days=200)).isoformat()
EVENT = {
    "municipality": "837",
    "start_date": FUTURE,
    "public_event": True,
    "small_and_harmless": False,
    "attendance": 800,
    "hazards": ["fireworks"],
    "fireworks_by_licensed_firm": True,
    "amplified_noise": True,
    "noise_several_municipalities": False,
    "sells_food": "vendors",
    "serves_alcohol": False,
    "structures": False,
}


def post(client, body):
    return client.post("/api/v1/assessments", body, content_type="application/json")


def test_packages_are_listed_with_their_services(client, catalogue):
    response = client.get("/api/v1/packages")
    assert response.status_code == 200
    packages = {p["code"]: p for p in response.json()}
    assert len(packages) == 6
    assert "event-rescue-plan" in packages["event"]["services"]
    assert packages["event"]["name"]["sv"] == "Ordna ett evenemang"


def test_questionnaire_has_conditions_and_help(client, catalogue):
    response = client.get("/api/v1/packages/event/questionnaire")
    questions = {q["id"]: q for q in response.json()["questions"]}
    assert questions["small_and_harmless"]["show_if"] == {"===": [{"var": "public_event"}, True]}
    assert questions["attendance"]["help"]["en"]
    assert {q["type"] for q in questions.values()} >= {
        "yes_no",
        "number",
        "date",
        "choice",
        "multi_choice",
        "municipality",
    }
    assert client.get("/api/v1/packages/nope/questionnaire").status_code == 404


def test_an_assessment_is_stored_and_retrievable(client, catalogue):
    response = post(client, {"package": "event", "answers": EVENT, "language": "en"})
    assert response.status_code == 201, response.json()
    body = response.json()
    definitely = {i["service"]["code"]: i for i in body["result"]["definitely"]}
    assert set(definitely) == {
        "public-event-notification",
        "event-rescue-plan",
        "noise-notification",
        "fireworks-display-notification",
    }
    assert definitely["event-rescue-plan"]["authority"]["code"] == "TRE-RESCUE"
    assert definitely["noise-notification"]["authority"]["code"] == "TRE-ENV"
    assert "800 people" in definitely["event-rescue-plan"]["reasons"][0]["text"]
    stored = client.get(f"/api/v1/assessments/{body['id']}").json()
    assert stored["result"] == body["result"] == assessment_result(body["id"])
    assert stored["answers"]["attendance"] == 800
    assert AuditEvent.objects.filter(
        action="assessment.create", target_id=str(Assessment.objects.get().pk)
    ).exists()


def test_unknown_assessment_is_404(client, catalogue):
    assert client.get("/api/v1/assessments/7a2b4c1e-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/api/v1/assessments/not-a-uuid").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"attendance": "many"}, "answers.attendance", "wrong_type"),
        ({"attendance": -5}, "answers.attendance", "out_of_range"),
        ({"attendance": 2.5}, "answers.attendance", "not_integer"),
        ({"public_event": "yes"}, "answers.public_event", "wrong_type"),
        ({"start_date": "2001-01-01"}, "answers.start_date", "in_past"),
        ({"start_date": "31.12.2030"}, "answers.start_date", "wrong_type"),
        ({"municipality": "999"}, "answers.municipality", "unknown_municipality"),
        ({"sells_food": "pizza"}, "answers.sells_food", "unknown_option"),
        ({"hazards": ["lasers"]}, "answers.hazards", "unknown_option"),
        ({"colour": "red"}, "answers.colour", "unknown_question"),
        ({"small_and_harmless": None}, "answers.small_and_harmless", "required"),
    ],
)
def test_bad_answers_are_422_naming_the_field(client, catalogue, change, field, code):
    response = post(client, {"package": "event", "answers": {**EVENT, **change}, "language": "fi"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/invalid-answers"
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]
    assert not Assessment.objects.exists()


def test_error_messages_follow_the_language(client, catalogue):
    fi = post(
        client, {"package": "event", "answers": {**EVENT, "attendance": -1}, "language": "fi"}
    ).json()
    sv = post(
        client, {"package": "event", "answers": {**EVENT, "attendance": -1}, "language": "sv"}
    ).json()
    assert fi["errors"][0]["message"] != sv["errors"][0]["message"]


def test_unknown_package_and_language_are_422(client, catalogue):
    response = post(client, {"package": "circus", "answers": {}})
    assert response.status_code == 422 and response.json()["field"] == "package"
    response = post(client, {"package": "event", "answers": EVENT, "language": "de"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"][-1] == "language"


def test_hidden_questions_are_ignored(client, catalogue):
    answers = {**EVENT, "public_event": False, "small_and_harmless": "nonsense"}
    response = post(client, {"package": "event", "answers": answers})
    assert response.status_code == 201
    assert "small_and_harmless" not in response.json()["answers"]


@pytest.mark.parametrize(
    "package",
    [
        "event",
        "industrial-plant-change",
        "mine-supervision",
        "social-health-company",
        "renewable-energy",
        "rural-investment",
    ],
)
def test_every_package_runs_over_the_api(client, catalogue, package, settings):
    from tests.assessment.answers import valid_answers

    response = post(
        client, {"package": package, "answers": valid_answers(package, FUTURE), "language": "sv"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["result"]["language"] == "sv"
