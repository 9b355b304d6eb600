"""The questionnaire and result pages without JavaScript (plain form posts)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from luvat.assessment.models import Assessment

FUTURE = (timezone.localdate() + timedelta(days=120)).isoformat()
BASE = {
    "municipality": "091",
    "start_date": FUTURE,
    "public_event": "yes",
    "attendance": "250",
    "amplified_noise": "no",
    "sells_food": "none",
    "serves_alcohol": "no",
    "structures": "no",
}


def field_errors(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(
        re.findall(
            r'id="q-(\w+)-error"><span class="visually-hidden">[^<]*</span> ([^<]*)</p>', html
        )
    )


def test_packages_page_lists_every_package(client, catalogue):
    response = client.get("/fi/assessment/")
    assert response.status_code == 200
    assert len(re.findall(r'href="/fi/assessment/[a-z-]+/"', response.content.decode())) == 6


def test_continue_reveals_follow_up_questions_and_keeps_answers_in_the_url(client, catalogue):
    first = client.get("/en/assessment/event/")
    assert 'name="small_and_harmless"' not in first.content.decode()
    response = client.post("/en/assessment/event/", {**BASE, "action": "continue"})
    assert response.status_code == 303
    location = urlsplit(response["Location"])
    assert location.fragment == "q-small_and_harmless"
    assert parse_qs(location.query)["attendance"] == ["250"]
    page = client.get(f"{location.path}?{location.query}").content.decode()
    assert 'name="small_and_harmless"' in page
    assert 'value="250"' in page


def test_errors_are_shown_next_to_the_field_in_the_users_language(client, catalogue):
    response = client.post(
        "/fi/assessment/event/", {**BASE, "attendance": "paljon", "action": "continue"}
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors["attendance"] == "Syötä luku."
    assert 'href="#q-attendance"' in response.content.decode()
    assert 'value="paljon"' in response.content.decode()
    response = client.post(
        "/sv/assessment/event/", {**BASE, "start_date": "2000-01-01", "action": "result"}
    )
    errors = field_errors(response)
    assert errors["start_date"] == "Datumet får inte ligga i det förflutna."
    assert errors["small_and_harmless"] == "Svara på frågan."
    assert not Assessment.objects.exists()


def test_show_result_stores_the_assessment_and_renders_a_printable_page(client, catalogue):
    response = client.post(
        "/fi/assessment/event/",
        {**BASE, "small_and_harmless": "no", "action": "result", "start_date": "1.6.2099"},
    )
    assert response.status_code == 303
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/fi/assessment/results/{assessment.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Pelastussuunnitelma" in page or "pelastussuunnitelma" in page
    assert "Helsingin kaupungin pelastuslaitos" in page
    assert 'class="form-actions no-print"' in page
    assert "/fi/assessment/event/?municipality=091" in page  # change answers keeps them
    assert assessment.answers["start_date"] == "2099-06-01"


def test_unknown_package_and_result_are_404(client, catalogue):
    assert client.get("/fi/assessment/circus/").status_code == 404
    assert (
        client.get("/fi/assessment/results/7a2b4c1e-0000-4000-8000-000000000000/").status_code
        == 404
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_result_page_renders_in_each_language(client, catalogue, language):
    response = client.post(
        f"/{language}/assessment/event/", {**BASE, "small_and_harmless": "no", "action": "result"}
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode()


def test_result_opens_with_an_overview_numbered_by_tier_in_finnish_dates(client, catalogue):
    import re

    response = client.post(
        "/fi/assessment/event/",
        {**BASE, "small_and_harmless": "no", "action": "result", "start_date": "1.6.2099"},
    )
    page = client.get(response["Location"]).content.decode()
    overview = page[page.index('id="overview-heading"') : page.index('id="definitely-heading"')]
    assert "Viimeinen jättöpäivä" in overview and "Helsingin kaupungin pelastuslaitos" in overview
    assert "1.6.2099" in page and ">2099-06-01<" not in page
    for tier in ("definitely", "possibly"):
        start = page.index(f'id="{tier}-heading"')
        section = page[start : page.find("</section>", start)]
        numbers = [int(n) for n in re.findall(r'<span class="position">(\d+)\.</span>', section)]
        assert numbers == list(range(1, len(numbers) + 1)), (tier, numbers)
    assert "<dd>ei löytynyt" not in page  # no legal basis is shown as "not found"


def test_switching_language_on_a_result_shows_its_texts_in_the_new_language(client, catalogue):
    response = client.post(
        "/fi/assessment/event/", {**BASE, "small_and_harmless": "no", "action": "result"}
    )
    finnish = client.get(response["Location"]).content.decode()
    swedish = client.get(response["Location"].replace("/fi/", "/sv/")).content.decode()
    assert "Pelastussuunnitelma" in finnish or "pelastussuunnitelma" in finnish
    assert "Räddningsplan" in swedish or "räddningsplan" in swedish
