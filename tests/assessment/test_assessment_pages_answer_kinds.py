"""The new answer kinds on the pages, without JavaScript: "not sure", repeatable rows."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from luvat.assessment.models import Assessment

FUTURE = (timezone.localdate() + timedelta(days=120)).isoformat()
BASE = {
    "municipality": "837",
    "start_date": FUTURE,
    "public_event": "yes",
    "small_and_harmless": "no",
    "attendance": "150",
    "amplified_noise": "no",
    "sells_food": "vendors",
    "serves_alcohol": "no",
    "structures": "no",
}


def test_not_sure_is_offered_and_kept(client, catalogue):
    response = client.post(
        "/en/assessment/event/",
        {
            **BASE,
            "small_and_harmless": "not_sure",
            "attendance__not_sure": "1",
            "action": "continue",
        },
    )
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert 'name="small_and_harmless" id="q-small_and_harmless-2" value="not_sure" checked' in page
    assert 'name="attendance__not_sure" id="q-attendance-not-sure" value="1" checked' in page
    assert 'for="q-attendance-not-sure">Not sure</label>' in page


def test_rows_are_added_by_continue_and_give_one_result_item_each(client, catalogue):
    first = client.post("/en/assessment/event/", {**BASE, "action": "continue"})
    page = client.get(first["Location"]).content.decode()
    assert '<fieldset class="repeat-row" id="q-vendors-0">' in page
    assert 'name="vendors-0-home_municipality"' in page
    assert 'name="vendors-1-name"' not in page
    row = {
        "vendors-0-name": "Oulun Grilli",
        "vendors-0-home_municipality": "564",
        "vendors-0-registered": "yes",
    }
    second = client.post("/en/assessment/event/", {**BASE, **row, "action": "continue"})
    page = client.get(second["Location"]).content.decode()
    assert 'name="vendors-1-name"' in page
    both = {
        **row,
        "vendors-1-name": "Kuopion Kala",
        "vendors-1-home_municipality": "297",
        "vendors-1-registered": "not_sure",
    }
    done = client.post("/en/assessment/event/", {**BASE, **both, "action": "result"})
    assert done.status_code == 303
    result = client.get(done["Location"]).content.decode()
    assessment = Assessment.objects.get(public_id=urlsplit(done["Location"]).path.split("/")[-2])
    notices = [
        i
        for i in assessment.result["definitely"]
        if i["service"]["code"] == "mobile-food-sales-notice"
    ]
    assert len(notices) == 2
    assert "Oulun Grilli, Oulu" in result
    assert "Kuopion Kala, Kuopio" in result
    assert "Who decides" in result
    assert "The food control of the operator&#x27;s home municipality." in result


def test_a_wrong_row_answer_is_a_form_error_pointing_at_the_row(client, catalogue):
    row = {
        "vendors-0-name": "X",
        "vendors-0-home_municipality": "999",
        "vendors-0-registered": "yes",
    }
    response = client.post("/en/assessment/event/", {**BASE, **row, "action": "result"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#q-vendors-0-home_municipality"' in html
    assert 'id="q-vendors-0-home_municipality-error"' in html


def test_non_finite_and_huge_numbers_are_form_errors(client, catalogue):
    for text in ("NaN", "Infinity", "1e400", "99999999999999999999"):
        response = client.post(
            "/en/assessment/event/", {**BASE, "attendance": text, "action": "result"}
        )
        assert response.status_code == 200, text
        assert 'id="q-attendance-error"' in response.content.decode(), text
