"""The log-in flow in a real browser, each page checked with axe-core (WCAG 2.1 A/AA)."""

import pytest

from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_logs_in_with_the_test_idp_chooses_a_company_and_reads_the_access_log(
    live_server, page
):
    person = PersonFactory.create(given_name="Maija", family_name="Meikäläinen")
    LocalMandateFactory.create(person=person, business_id=FESTIVAALI, company_name="Festivaali Oy")
    LocalMandateFactory.create(
        person=person, business_id="2718282-8", company_name="Pohjolan Teräs Oy"
    )

    page.goto(f"{live_server.url}/fi/")
    page.get_by_role("link", name="Kirjaudu").click()
    assert page.locator("h1").inner_text() == "Kirjaudu"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Testitunnistus").click()
    assert "Tämä on testipalvelu." in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("Maija Meikäläinen").check()
    page.get_by_role("button", name="Kirjaudu").click()

    assert page.locator("h1").inner_text() == "Valitse, kenen puolesta asioit"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Festivaali Oy (3141593-8)").click()

    # The company's work first: its projects, the rest one click away in the header.
    assert page.locator("h1").inner_text() == "Hankkeesi"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Maija Meikäläinen \u2013 Festivaali Oy").click()
    assert page.locator("h1").inner_text() == "Omat tiedot"
    assert "Festivaali Oy (3141593-8)" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Kuka on käsitellyt tietojamme").click()
    assert page.locator("h1").inner_text() == "Kuka on käsitellyt tietojamme"
    assert axe_violations(page) == []

    page.get_by_role("button", name="Kirjaudu ulos").first.click()
    assert page.locator("h1").inner_text() == "Olet kirjautunut ulos"
    assert axe_violations(page) == []


def test_test_idp_errors_are_announced_and_accessible(live_server, page):
    PersonFactory.create(given_name="Nelli", family_name="Nieminen")
    page.goto(f"{live_server.url}/en/login/test/")
    page.get_by_role("button", name="Log in").click()
    assert "Choose the person you want to log in as." in page.inner_text("main")
    assert axe_violations(page) == []


def test_no_mandate_page_is_accessible(live_server, page):
    person = PersonFactory.create(given_name="Nelli", family_name="Nieminen")
    page.goto(f"{live_server.url}/sv/login/test/")
    page.get_by_label(person.full_name).check()
    page.get_by_role("button", name="Logga in").click()
    assert page.locator("h1").inner_text() == "Ingen fullmakt att uträtta ärenden för företaget"
    assert axe_violations(page) == []
