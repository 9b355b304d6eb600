"""The questionnaire's dates are GOV.UK date inputs: three boxes read by the one parser."""

from datetime import timedelta

from django.utils import timezone

from tests.assessment.test_assessment_pages_answer_kinds import BASE


def _boxes(value) -> dict[str, str]:
    return {
        "start_date-day": str(value.day),
        "start_date-month": str(value.month),
        "start_date-year": str(value.year),
    }


def box(part: str, value: object) -> str:
    return f'name="start_date-{part}" type="text" inputmode="numeric" value="{value}"'


def test_a_date_in_three_boxes_is_read_and_shown_again_in_them(client, catalogue):
    start = timezone.localdate() + timedelta(days=90)
    answers = {k: v for k, v in BASE.items() if k != "start_date"}
    response = client.post(
        "/fi/assessment/event/", {**answers, **_boxes(start), "action": "continue"}
    )
    assert response.status_code == 303
    assert f"start_date={start.isoformat()}" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert box("day", start.day) in page and box("year", start.year) in page
    assert "esim. 27 3 2026" in page


def test_a_wrong_date_is_named_at_its_wrong_box_and_kept_as_typed(client, catalogue):
    answers = {k: v for k, v in BASE.items() if k != "start_date"}
    wrong = {"start_date-day": "30", "start_date-month": "2", "start_date-year": "2031"}
    response = client.post("/fi/assessment/event/", {**answers, **wrong, "action": "continue"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#q-start_date-day"' in page
    assert "kuukaudessa ei ole sitä päivää" in page
    assert box("day", "30") in page and box("month", "2") in page
    assert page.count("govuk-input--error") == 1


def test_a_missing_year_is_named_in_swedish(client, catalogue):
    answers = {k: v for k, v in BASE.items() if k != "start_date"}
    typed = {"start_date-day": "3", "start_date-month": "4", "action": "continue"}
    page = client.post("/sv/assessment/event/", {**answers, **typed}).content.decode()
    assert 'href="#q-start_date-year"' in page
    assert "Datumet saknar år." in page
