"""Done-when flow in the browser: a project with four applications, shared data typed once and
shown pre-filled in every form, two applications submitted with receipts, and the summary with
statuses, deadlines and the timeline; axe on every page on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import (
    AuthorityFactory,
    MunicipalityFactory,
    ServiceFactory,
    vocabulary,
)
from tests.samples import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = MINIMAL_PDF
SERVICES = ("Yleisötilaisuusilmoitus", "Pelastussuunnitelma", "Meluilmoitus", "Myyntiilmoitus")


def logged_in_page(browser, live_server):
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    context = browser.new_context(locale="fi-FI")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def test_project_from_empty_to_two_receipts(live_server, browser, tmp_path):
    MunicipalityFactory.create()
    vocabulary()
    AuthorityFactory.create(code="HKI-POLICE")
    for index, name in enumerate(SERVICES):
        ServiceFactory.create(code=f"event-{index}", name_fi=name, lead_time_days=14 + 10 * index)
    attachment = tmp_path / "kartta.pdf"
    attachment.write_bytes(PDF)
    context, page = logged_in_page(browser, live_server)
    base = live_server.url

    page.goto(f"{base}/fi/projects/")
    assert_accessible(page)
    page.get_by_label("Hankkeen nimi").fill("Kesäfestivaali")
    page.get_by_role("button", name="Luo hanke").click()
    for name in SERVICES:
        page.get_by_label(name).check()
    assert_accessible(page)
    page.get_by_role("button", name="Lisää hankkeeseen").click()
    assert page.locator("table[aria-labelledby=applications-title] tbody tr").count() == 4

    page.get_by_role("link", name="Yhteiset tiedot").first.click()
    page.get_by_label("Yhteyshenkilön sähköposti").fill("maija@example.fi")
    page.get_by_label("Toiminnan nimi").fill("Kesäfestari")
    starts = timezone.localdate() + timedelta(days=60)
    starts_on = page.get_by_role("group", name="Alkaa")
    starts_on.get_by_label("Päivä").fill(str(starts.day))
    starts_on.get_by_label("Kuukausi").fill(str(starts.month))
    starts_on.get_by_label("Vuosi").fill(str(starts.year))
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna yhteiset tiedot").click()
    page.get_by_role("link", name="Yhteenveto", exact=True).click()

    summary_url = page.url
    for name in SERVICES:
        page.goto(summary_url)
        page.get_by_role("link", name=name).click()
        assert page.get_by_label("Organiser e-mail").input_value() == "maija@example.fi"
        assert page.get_by_label("Event name").input_value() == "Kesäfestari"
    assert_accessible(page)

    for name in SERVICES[:2]:
        page.goto(summary_url)
        page.get_by_role("link", name=name).click()
        page.get_by_label("Largest attendance at once").fill("1200")
        page.get_by_label("Venue").select_option("outdoor")
        page.get_by_role("button", name="Tallenna luonnos").click()
        page.get_by_label("Tiedosto").set_input_files(str(attachment))
        page.get_by_role("button", name="Liitä").click()
        page.get_by_role("button", name="Tallenna ja lähetä").click()
        assert page.get_by_role("heading", name="Vastaanottokuittaus").is_visible()
        assert len(page.locator("code.hash").inner_text()) == 64
        assert_accessible(page)

    page.goto(summary_url)
    rows = page.locator("table[aria-labelledby=applications-title] tbody tr")
    statuses = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(4)]
    assert statuses.count("lähetetty") == 2, statuses
    table = page.locator("table[aria-labelledby=applications-title] tbody")
    assert table.get_by_text("päätös odotettavissa").count() == 2
    assert table.get_by_text("jätä viimeistään").count() == 2
    assert page.get_by_role("heading", name="Aikajana").is_visible()
    assert page.locator(".timeline-row").count() == 4
    assert_accessible(page)
    context.close()
