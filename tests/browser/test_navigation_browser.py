"""Each role logs in through the test identity provider, lands on its work, and reaches each
main page in one click from the header's navigation; axe on the landing pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, PersonFactory
from tests.onboarding.factories import (
    authority_admin,
    environment_service,
    joining_with_service,
    official,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, person, choice):
    page.goto(f"{base}/en/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Test identity provider").click()
    page.get_by_label(person.full_name).check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=choice).click()


def header(page):
    return page.get_by_role("navigation", name="Main")


def h1(page):
    return page.locator("h1").inner_text()


def reaches(page, link, heading):
    """One click on the header link lands on the page and marks the link current."""
    header(page).get_by_role("link", name=link, exact=True).click()
    assert h1(page).startswith(heading), (link, h1(page))
    assert header(page).get_by_role("link", name=link, exact=True).get_attribute(
        "aria-current"
    ) in ("page", None)


def test_company_user_lands_on_projects_and_reaches_their_work(live_server, page):
    person = LocalMandateFactory.create(business_id=FESTIVAALI).person
    log_in(page, live_server.url, person, f"Festivaali Oy ({FESTIVAALI})")

    assert h1(page) == "Your projects"
    assert header(page).get_by_role("link", name="Projects").get_attribute("aria-current") == (
        "page"
    )
    assert axe_violations(page) == []
    reaches(page, "Permit assessment", "Permit-need assessment")
    reaches(page, "Supervision", "Upcoming supervision")
    reaches(page, "Discussion", "Discussion")
    assert axe_violations(page) == []
    reaches(page, "Notifications", "Notifications")
    reaches(page, "Access log", "Who has accessed our data")
    reaches(page, "Change company", "Choose whom you act for")
    reaches(page, "Projects", "Your projects")


def test_official_lands_on_the_inbox_and_reaches_their_work(live_server, page):
    joining_with_service(service=environment_service("noise"))
    log_in(page, live_server.url, official("HKI-ENV"), "Work as an official of HKI-ENV")

    assert h1(page).startswith("Inbox")
    assert axe_violations(page) == []
    nav = header(page)
    assert nav.get_by_role("link", name="Onboarding").count() == 0
    reaches(page, "Supervision", "Supervision events")
    reaches(page, "Discussion", "Discussion")
    reaches(page, "Metrics", "Change metrics")
    reaches(page, "Inbox", "Inbox")


def test_authority_administrator_also_reaches_onboarding_and_catalogue(live_server, page):
    service_joining = joining_with_service(service=environment_service("noise"))
    log_in(page, live_server.url, authority_admin("HKI-ENV"), "Work as an official of HKI-ENV")

    assert h1(page).startswith("Inbox")
    reaches(page, "Onboarding", "Joining")
    assert axe_violations(page) == []
    reaches(page, "Catalogue entries", service_joining.joining.authority.name)
    reaches(page, "Officials' roles", "Joining")
    assert page.url.endswith("#roles")


def test_service_layer_administrator_lands_on_the_board(live_server, page):
    person = PersonFactory.create(administrator=True)
    log_in(page, live_server.url, person, "Work as a service-layer administrator")

    assert h1(page) == "Joinings of authorities"
    assert axe_violations(page) == []
    header(page).get_by_role("link", name="Outbox").click()
    assert "outbox" in page.url
    page.go_back()
    header(page).get_by_role("link", name="Catalogue").click()
    assert page.url.endswith("/admin/catalogue/")
