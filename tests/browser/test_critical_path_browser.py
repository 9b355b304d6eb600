"""Done-when (issue 19): a dependent application submitted before the one it needs was decided
is warned about on the form, the receipt and the summary, and still submitted; the summary
shows the expected dates, the longest path and the fees with their sources; an opening that
cannot be kept is announced with the earliest feasible date, and the schedule is an ordered
list a screen reader reads in path order; axe on each page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from luvat import workdays
from luvat.audit.actors import Actor, ActorKind
from luvat.projects.services import project_create
from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import (
    AuthorityFactory,
    MunicipalityFactory,
    ServiceFactory,
    vocabulary,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def plain(code: str, name: str, **kwargs):
    return ServiceFactory.create(
        code=code, name_fi=name, form_schema={}, shared_data_mapping={}, attachments=[], **kwargs
    )


def test_submitting_the_dependent_first_shows_the_warning(live_server, browser):
    MunicipalityFactory.create()
    vocabulary()
    AuthorityFactory.create(code="HKI-POLICE")
    plan = plain(
        "landuse-plan",
        "Asemakaava",
        processing_time_days=90,
        fact_sources={"processing_time": "https://example.fi/kaava"},
    )
    building = plain("building-permit", "Rakentamislupa", processing_time_days=60)
    building.depends_on.add(plan)
    project = project_create(
        actor=Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="M", on_behalf_of=FESTIVAALI),
        business_id=FESTIVAALI,
        name="Tuulipuisto",
        services=[plan, building],
    )
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    context = browser.new_context(locale="fi-FI")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    summary_url = f"{live_server.url}/fi/projects/{project.public_id}/"

    page.goto(summary_url)
    path = page.get_by_role("region", name="Odotetut päivät, käsittelyajat ja maksut")
    assert "Asemakaava → Rakentamislupa" in path.inner_text()
    assert path.get_by_role("link", name="lähde").first.get_attribute("href") == (
        "https://example.fi/kaava"
    )
    assert page.locator("#submitted-early").count() == 0
    assert axe_violations(page) == [], page.url

    page.get_by_role("link", name="Rakentamislupa").first.click()
    warning = page.locator(".dependency-warning")
    assert "edellyttää päätöstä, jota ei ole vielä tehty" in warning.inner_text()
    assert "Asemakaava" in warning.inner_text()
    assert axe_violations(page) == [], page.url

    page.get_by_role("button", name="Tallenna ja lähetä").click()
    assert page.get_by_role("heading", name="Vastaanottokuittaus").is_visible()
    assert "lähetettiin ennen kuin sen edellyttämä päätös oli tehty" in (
        page.locator(".dependency-warning").inner_text()
    )
    assert axe_violations(page) == [], page.url

    page.goto(summary_url)
    early = page.get_by_role("region", name="Lähetetty ennen tarvittavaa päätöstä")
    assert early.is_visible()
    assert "Rakentamislupa" in early.inner_text() and "Asemakaava" in early.inner_text()
    assert axe_violations(page) == [], page.url
    context.close()


def test_an_opening_that_cannot_be_kept_shows_the_banner_and_the_schedule_list(
    live_server, browser
):
    MunicipalityFactory.create()
    vocabulary()
    AuthorityFactory.create(code="HKI-POLICE")
    plan = plain("landuse-plan", "Asemakaava", processing_time_days=90)
    building = plain("building-permit", "Rakentamislupa", processing_time_days=60)
    building.depends_on.add(plan)
    today = timezone.localdate()
    opening = today + timedelta(days=100)
    project = project_create(
        actor=Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="M", on_behalf_of=FESTIVAALI),
        business_id=FESTIVAALI,
        name="Tuulipuisto",
        services=[building, plan],
        shared_data={"start_date": opening.isoformat()},
    )
    earliest = workdays.statutory_deadline(workdays.statutory_deadline(today, 90), 60)
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    context = browser.new_context(locale="fi-FI")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/fi/projects/{project.public_id}/")

    banner = page.get_by_role("region", name="Suunniteltua aloituspäivää ei voida pitää")
    assert banner.is_visible()
    shown = f"{opening.day}.{opening.month}.{opening.year}"
    feasible = f"{earliest.day}.{earliest.month}.{earliest.year}"
    assert (
        f"Suunniteltua aloituspäivää {shown} ei voida pitää; aikaisin mahdollinen päivä on "
        f"{feasible}."
    ) in banner.inner_text()
    assert "Asemakaava" in banner.inner_text()

    schedule = page.get_by_role("region", name="Aikataulu suunniteltuun aloitukseen")
    items = schedule.get_by_role("list").first.get_by_role("listitem")
    assert items.count() == 2
    # Path order as a screen reader reads it: the plan first (the project listed it second).
    assert items.nth(0).inner_text().startswith("Asemakaava")
    assert items.nth(1).inner_text().startswith("Rakentamislupa")
    assert "liian myöhään aloitukseen nähden" in items.nth(1).inner_text()
    # The bars are drawn (SVG geometry, not style attributes) but hidden from the reader.
    bar = items.nth(0).locator("rect.gantt-planned")
    assert bar.bounding_box()["width"] > 10
    assert items.nth(0).locator("svg").get_attribute("aria-hidden") == "true"
    assert page.get_by_role("link", name="Katso aikataulu").get_attribute("href") == "#gantt"
    assert axe_violations(page) == [], page.url
    context.close()
