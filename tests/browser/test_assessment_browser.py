"""The assessment end to end in a real browser, Finnish and English, every package,
with an axe check on the questionnaire and result pages; the directory pages too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.services import catalogue_load
from tests.assessment.answers import ANSWERS, valid_answers
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"fi": "Tarvitsemasi luvat ja ilmoitukset", "en": "Permits and notifications you need"}
CONTINUE = {"fi": "Jatka", "en": "Continue"}
SHOW = {"fi": "Näytä tulos", "en": "Show result"}


@pytest.fixture
def loaded(transactional_db):
    catalogue_load(actor=Actor.system("test"))


def fill(page, question_id, value):
    if isinstance(value, list) and value and isinstance(value[0], dict):
        # A repeatable answer: the form offers one blank row; Continue adds the next.
        for index, item in enumerate(value):
            for sub_id, sub_value in item.items():
                fill(page, f"{question_id}-{index}-{sub_id}", sub_value)
            if index < len(value) - 1:
                page.get_by_role(
                    "button", name=CONTINUE.get(page_language(page), "Continue")
                ).click()
                page.wait_for_load_state()
        return
    if isinstance(value, dict):
        page.fill(f"#q-{question_id}-before", str(value["before"]))
        page.fill(f"#q-{question_id}-after", str(value["after"]))
        return
    if isinstance(value, bool):
        page.check(f"#q-{question_id}-{0 if value else 1}")
    elif isinstance(value, list):
        name = question_id
        for item in value:
            page.check(f"input[name='{name}'][value='{item}']")
    elif page.locator(f"#q-{question_id}.govuk-date-input").count():
        year, month, day = str(value).split("-")
        page.fill(f"#q-{question_id}-day", str(int(day)))
        page.fill(f"#q-{question_id}-month", str(int(month)))
        page.fill(f"#q-{question_id}-year", year)
    elif page.locator(f"select#q-{question_id}").count():
        page.select_option(f"#q-{question_id}", value)
    elif page.locator(f"input[type=radio][name='{question_id}']").count():
        page.check(f"input[name='{question_id}'][value='{value}']")
    else:
        page.fill(f"#q-{question_id}", str(value))


def page_language(page) -> str:
    return str(page.evaluate("document.documentElement.lang"))[:2]


@pytest.mark.parametrize("language", ["fi", "en"])
@pytest.mark.parametrize("package", sorted(ANSWERS))
def test_assessment_end_to_end(live_server, page, loaded, package, language):
    start = (timezone.localdate() + timedelta(days=150)).isoformat()
    answers = valid_answers(package, start)
    page.goto(f"{live_server.url}/{language}/assessment/{package}/")
    filled: set[str] = set()
    for _ in range(6):
        shown = [
            element.get_attribute("id").removeprefix("field-")
            for element in page.locator("[id^='field-']").all()
        ]
        todo = [q for q in shown if q in answers and q not in filled]
        if not todo:
            break
        for question_id in todo:
            fill(page, question_id, answers[question_id])
            filled.add(question_id)
        page.get_by_role("button", name=CONTINUE[language]).click()
        page.wait_for_load_state()
    assert axe_violations(page) == []
    page.get_by_role("button", name=SHOW[language]).click()
    page.wait_for_url("**/results/**")
    assert page.locator("h1").inner_text() == HEADINGS[language]
    assert page.locator("article.result-item").count() >= 1
    assert axe_violations(page) == []


def test_errors_are_announced_next_to_fields(live_server, page, loaded):
    page.goto(f"{live_server.url}/en/assessment/event/")
    page.fill("#q-attendance", "lots")
    page.get_by_role("button", name="Continue").click()
    assert (
        " ".join(page.locator("#q-attendance-error").inner_text().split())
        == "Error: Enter a number."
    )
    assert page.get_attribute("#q-attendance", "aria-invalid") == "true"
    assert page.locator(".error-summary a[href='#q-attendance']").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["fi", "en"])
def test_directory_and_package_pages_are_accessible(live_server, page, loaded, language):
    for path in (
        "assessment/",
        "authorities/?municipality=091",
        "authorities/HKI-RESCUE/",
        "authorities/AVI-PSAVI/",
    ):
        page.goto(f"{live_server.url}/{language}/{path}")
        assert axe_violations(page) == [], path
