"""Done when: the main pages of each role look as approved at 1280 px and 390 px (screenshots
within 0.1 % of the committed baselines), have no WCAG 2.1 A/AA violations (axe), and the
project summary at 390 px shows each application's status and next deadline without sideways
scrolling."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import factory
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from luvat.assessment.services import assessment_create
from luvat.audit.actors import Actor
from luvat.catalogue.models import ServicePackage
from luvat.projects.models import Project
from tests.assessment.answers import valid_answers
from tests.backoffice.factories import RESCUE, event_project
from tests.browser.conftest import axe_violations
from tests.browser.visual import (
    FROZEN_NOW,
    SCREENSHOT_OPTIONS,
    compare_with_baseline,
    fixed_references,
)
from tests.identity.factories import (
    FESTIVAALI,
    LocalMandateFactory,
    OfficialRoleFactory,
    PersonFactory,
)
from tests.identity.helpers import act_as_administrator, act_as_official, act_for_company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "mobile": 390}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands still and the random references are fixed, for the data and the pages."""
    references = fixed_references()
    monkeypatch.setattr(Project._meta.get_field("reference"), "default", lambda: next(references))
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@dataclass
class Site:
    """The pages to look at and the sessions that see them."""

    pages: list[tuple[str, str, str | None]]  # (name, path, session cookie or None)


def reset_factory_sequences() -> None:
    """Factory names (``Given3``) start from the same number whatever ran before in the worker."""

    def subclasses(cls: type) -> list[type]:
        return [cls, *(sub for direct in cls.__subclasses__() for sub in subclasses(direct))]

    for cls in subclasses(factory.Factory):
        with contextlib.suppress(ValueError):  # a subclass sharing its parent's sequence
            cls.reset_sequence()


def session_of(login) -> str:
    client = Client()
    login(client)
    return client.cookies["sessionid"].value


def person(**names: str):
    return PersonFactory.create(**names)


@pytest.fixture
def site(frozen) -> Site:
    from luvat.catalogue.services import catalogue_load

    reset_factory_sequences()
    submitted = event_project()
    draft = event_project(submit=False)
    # The assessment needs the real catalogue's questionnaire; the projects above keep the
    # test catalogue's services.
    catalogue_load(actor=Actor.system("test"))
    assessment = assessment_create(
        package=ServicePackage.objects.get(code="event"),
        answers=valid_answers("event", (timezone.localdate() + timedelta(days=60)).isoformat()),
        language="fi",
        actor=Actor.anonymous(),
    )
    customer_person = LocalMandateFactory.create(
        business_id=FESTIVAALI,
        person=person(given_name="Maija", family_name="Meikäläinen", demo_key="maija"),
    ).person
    customer = session_of(lambda client: act_for_company(client, customer_person, FESTIVAALI))
    official_person = OfficialRoleFactory.create(
        authority_code=RESCUE,
        person=person(given_name="Olli", family_name="Virkailija", demo_key="olli"),
    ).person
    official = session_of(lambda client: act_as_official(client, official_person, RESCUE))
    administrator = session_of(
        lambda client: act_as_administrator(
            client,
            PersonFactory.create(
                administrator=True, given_name="Aino", family_name="Ylläpitäjä", demo_key="aino"
            ),
        )
    )
    rescue = submitted.rescue_plan
    receipt = rescue.submissions.order_by("arrived_at").first()
    assert receipt is not None
    project = submitted.project
    return Site(
        pages=[
            ("front-page", "/fi/", None),
            ("assessment-question", "/fi/assessment/event/", None),
            ("assessment-result", f"/fi/assessment/results/{assessment.public_id}/", None),
            ("project-summary", f"/fi/projects/{project.public_id}/", customer),
            (
                "application-form",
                f"/fi/projects/{draft.project.public_id}/applications/"
                f"{draft.rescue_plan.public_id}/",
                customer,
            ),
            (
                "receipt",
                f"/fi/projects/{project.public_id}/receipts/{receipt.public_id}/",
                customer,
            ),
            ("inbox", "/fi/backoffice/", official),
            ("official-application", f"/fi/backoffice/applications/{rescue.public_id}/", official),
            ("onboarding-board", "/fi/onboarding/board/", administrator),
        ]
    )


def open_page(browser: Any, base: str, width: int, session: str | None) -> Any:
    context = browser.new_context(
        locale="fi-FI",
        viewport={"width": width, "height": 900},
        device_scale_factor=1,
        reduced_motion="reduce",
    )
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context


def volatile(page: Any) -> list[Any]:
    """What changes between runs however the data is frozen: receipts' content hashes (they
    cover random public ids)."""
    return [page.locator("code.hash"), page.locator(".hash")]


TOO_WIDE = """() => {
  const past = (el) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
  return [...document.querySelectorAll('main *')]
    .filter((el) => past(el) && ![...el.children].some(past))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.slice(0, 40)}`);
}"""


def too_wide(page: Any) -> list[str]:
    """The innermost elements that reach past the right edge, to say what to fix."""
    return page.evaluate(TOO_WIDE)


@pytest.mark.parametrize("layout", list(WIDTHS))
def test_main_pages_look_as_approved_and_pass_axe(live_server, browser, site, layout):
    width = WIDTHS[layout]
    problems: list[str] = []
    for name, path, session in site.pages:
        context = open_page(browser, live_server.url, width, session)
        page = context.new_page()
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, (name, path)
        page.wait_for_load_state("load")
        png = page.screenshot(mask=volatile(page), **SCREENSHOT_OPTIONS)
        comparison = compare_with_baseline(f"{name}-{layout}", png)
        if not comparison:
            problems.append(f"{name}: {comparison.problem}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{name}: axe {violations}")
        scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if scroll > 0:
            problems.append(
                f"{name}: scrolls sideways by {scroll} px at {width} px: {too_wide(page)}"
            )
        context.close()
    assert not problems, "\n".join(problems)


def test_summary_on_a_phone_shows_status_and_deadline_without_scrolling(live_server, browser, site):
    name, path, session = site.pages[3]
    assert name == "project-summary"
    context = open_page(browser, live_server.url, 390, session)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    table = page.locator("table.responsive-table").first
    table.wait_for()
    for cell in table.locator("td[data-label]").all():
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (cell.inner_text(), box)
    labels = " ".join(
        table.locator("td[data-label]").evaluate_all("cells => cells.map(c => c.dataset.label)")
    )
    assert "Tila" in labels
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
