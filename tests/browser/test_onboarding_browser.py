"""Done when, in the browser: an authority administrator takes a light-mode service through the
pilot to production, the gate refusing until the checklist is complete; an API-mode service is
refused until a conformance run passes. axe on the main onboarding pages."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.onboarding.phases import Phase
from tests.browser.conftest import axe_violations
from tests.identity.helpers import act_as_official
from tests.onboarding.conformance import conformance_run, endpoint
from tests.onboarding.factories import (
    authority_admin,
    complete_checklist,
    environment_service,
    joining_with_service,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ville_page(browser, live_server):
    client = Client()
    act_as_official(client, authority_admin("HKI-ENV"), "HKI-ENV")
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def move(page, phase_label):
    page.get_by_label("Move to phase").select_option(label=phase_label)
    page.get_by_role("button", name="Move the service").click()


def test_light_service_through_pilot_to_production(live_server, browser):
    joining_with_service(
        service=environment_service("noise", name_en="Noise notification"), phase=Phase.TESTING
    )
    context, page = ville_page(browser, live_server)
    base = f"{live_server.url}/en/onboarding/HKI-ENV"

    page.goto(f"{base}/")
    assert_accessible(page)
    page.get_by_role("link", name="Noise notification").click()
    assert_accessible(page)
    move(page, "pilot")
    assert page.locator("#service-phase").inner_text() == "Pilot"
    page.get_by_label("Business ID").fill("2718282-8")
    page.get_by_role("button", name="Add to the pilot").click()
    assert "2718282-8" in page.locator("#pilot ~ ul").first.inner_text()

    move(page, "in production")
    refusal = page.locator("#refused")
    assert "Not moved to production" in refusal.inner_text()
    assert refusal.locator("li").count() == 8
    assert_accessible(page)

    service_url = page.url.split("/phase/")[0] + "/"
    links = page.locator("#checklist ~ div table tbody a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 8
    for index, href in enumerate(hrefs):
        page.goto(f"{live_server.url}{href}")
        if index == 0:
            assert_accessible(page)
        page.get_by_label("Owner").fill("Ville")
        page.get_by_label("State").select_option("done")
        page.locator("#id_evidence_note").fill("Checked in the steering group.")
        page.get_by_role("button", name="Save").click()
    page.goto(service_url)
    assert "Everything mandatory is done" in page.content()
    move(page, "in production")
    assert page.locator("#service-phase").inner_text() == "In production"

    for path in ("metrics/", "cost-benefit/", "risks/"):
        page.goto(f"{base}/{path}")
        assert_accessible(page)
    context.close()


def test_api_service_refused_without_a_passing_conformance_run(live_server, browser):
    service_joining = joining_with_service(
        service=environment_service("biogas", name_en="Biogas permit"),
        mode="api",
        phase=Phase.TESTING,
    )
    complete_checklist(service_joining)
    target = endpoint("HKI-ENV")
    conformance_run("HKI-ENV", target.url, passed=False)
    context, page = ville_page(browser, live_server)
    page.goto(f"{live_server.url}/en/onboarding/HKI-ENV/services/biogas/")
    move(page, "in production")
    refusal = page.locator("#refused")
    assert refusal.locator("li").count() == 1
    assert "no conformance run has passed" in refusal.inner_text()
    assert_accessible(page)

    conformance_run("HKI-ENV", target.url)
    page.goto(f"{live_server.url}/en/onboarding/HKI-ENV/services/biogas/")
    move(page, "in production")
    assert page.locator("#service-phase").inner_text() == "In production"
    context.close()


def test_administrator_board_is_accessible(live_server, browser):
    from tests.identity.factories import PersonFactory
    from tests.identity.helpers import act_as_administrator

    joining_with_service(phase=Phase.PILOT)
    client = Client()
    act_as_administrator(client, PersonFactory.create(administrator=True))
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/fi/onboarding/board/")
    assert_accessible(page)
    context.close()
