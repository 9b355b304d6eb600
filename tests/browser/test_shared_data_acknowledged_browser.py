"""Done-when (issue 15): a shared-data change after two submissions (one light, one redirect)
appears in both officials' inboxes, is acknowledged by both, and the customer sees both
acknowledgements, in the browser, without JavaScript-only steps."""

from __future__ import annotations

import pytest

from luvat.backoffice.services import application_mark_received
from tests.backoffice.factories import POLICE, RESCUE, event_project, official
from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base, name, choice):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(f"{base}/fi/login/test/")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name=choice).click()
    return context, page


def test_both_officials_acknowledge_a_change_and_the_customer_sees_both(live_server, browser):
    case = event_project()
    OfficialRoleFactory.create(
        authority_code=RESCUE, person__given_name="Riku", person__family_name="Pelastaja"
    )
    OfficialRoleFactory.create(
        authority_code=POLICE, person__given_name="Pekka", person__family_name="Poliisi"
    )
    LocalMandateFactory.create(
        business_id=FESTIVAALI, person__given_name="Maija", person__family_name="Meikäläinen"
    )
    # The redirect-mode notice reached the police in its own e-service.
    application_mark_received(
        application=case.police_notice, actor=official(POLICE, "Paula", "Poliisi")
    )
    base = live_server.url
    project_url = f"{base}/fi/projects/{case.project.public_id}/"

    _customer, customer = log_in(browser, base, "Maija Meikäläinen", "Festivaali Oy (3141593-8)")
    customer.goto(f"{project_url}shared-data/")
    starts_on = customer.get_by_role("group", name="Alkaa")
    starts_on.get_by_label("Päivä").fill("1")
    starts_on.get_by_label("Kuukausi").fill("7")
    starts_on.get_by_label("Vuosi").fill("2027")
    customer.get_by_role("button", name="Tallenna yhteiset tiedot").click()
    assert "Yhteiset tiedot tallennettu." in customer.inner_text("main")
    customer.goto(project_url)
    customer.get_by_role("button", name="Lähetä muutos").click()
    sent = customer.locator("#acknowledgements").inner_text()
    assert sent.count("Ei vielä kuitattu") == 2, sent

    rescue_ref = f"{case.rescue_plan.reference}-M1"
    police_ref = f"{case.police_notice.reference}-M1"
    for name, authority, reference in (
        ("Riku Pelastaja", RESCUE, rescue_ref),
        ("Pekka Poliisi", POLICE, police_ref),
    ):
        _context, page = log_in(browser, base, name, authority)
        page.goto(f"{base}/fi/backoffice/")
        waiting = page.get_by_role("region", name="Kuitattavat muutokset")
        text = waiting.inner_text()
        assert reference in text and "1.7.2027" in text, text
        assert (police_ref if authority == RESCUE else rescue_ref) not in text
        assert axe_violations(page) == [], page.url
        page.get_by_role("button", name=f"Kuittaa muutos {reference}").click()
        assert f"Muutos {reference} kuitattiin." in page.inner_text("main")
        assert page.get_by_role("region", name="Kuitattavat muutokset").count() == 0

    customer.goto(project_url)
    rows = customer.locator("#acknowledgements tbody tr")
    assert rows.count() == 2
    for index in range(2):
        row = rows.nth(index).inner_text()
        assert "Kuitattu" in row and "Ei vielä kuitattu" not in row, row
    table = customer.locator("#acknowledgements").inner_text()
    assert "Helsingin pelastuslaitos" in table and "Helsingin poliisilaitos" in table
    assert rescue_ref in table and police_ref in table
    assert axe_violations(customer) == [], customer.url
