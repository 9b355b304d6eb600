"""The forms moved to GOV.UK classes pass axe: the official's supervision page (its schedule
form with errors too) and onboarding's risk form with its date input, wrong date included."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.onboarding.phases import Phase
from tests.browser.conftest import axe_violations
from tests.identity.factories import OfficialRoleFactory
from tests.identity.helpers import act_as_official
from tests.onboarding.factories import authority_admin, joining_with_service
from tests.projects.factories import AuthorityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def official_page(browser, live_server, person, code):
    client = Client()
    act_as_official(client, person, code)
    context = browser.new_context(locale="fi-FI")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def test_supervision_schedule_form_passes_axe_with_and_without_errors(live_server, browser):
    AuthorityFactory.create(code="HKI-RESCUE", name_fi="Helsingin pelastuslaitos")
    person = OfficialRoleFactory.create(authority_code="HKI-RESCUE").person
    context, page = official_page(browser, live_server, person, "HKI-RESCUE")
    page.goto(f"{live_server.url}/fi/backoffice/supervision/")
    assert page.locator("#event-business_id.govuk-input--width-10").count() == 1
    assert axe_violations(page) == [], page.url
    page.get_by_role("button", name="Sovi valvontatapahtuma").click()
    assert page.locator(".govuk-error-message").count() > 0
    assert axe_violations(page) == [], page.url
    context.close()


def test_onboarding_risk_form_date_input_passes_axe_and_links_to_the_wrong_box(
    live_server, browser
):
    joining_with_service(phase=Phase.PILOT)
    context, page = official_page(browser, live_server, authority_admin("HKI-ENV"), "HKI-ENV")
    page.goto(f"{live_server.url}/fi/onboarding/HKI-ENV/risks/")
    assert axe_violations(page) == [], page.url
    group = page.get_by_role("group", name="Seuraava katselmointi")
    group.get_by_label("Päivä").fill("31")
    group.get_by_label("Kuukausi").fill("4")
    group.get_by_label("Vuosi").fill("2027")
    page.locator("input[name=title]").fill("Henkilöstö ei huomaa ilmoituksia")
    page.locator("form:has(input[name=title]) button[type=submit]").click()
    summary_link = page.locator(".govuk-error-summary a[href='#id_review_on-day']")
    assert summary_link.count() == 1
    assert group.get_by_label("Päivä").input_value() == "31"
    assert axe_violations(page) == [], page.url
    context.close()
