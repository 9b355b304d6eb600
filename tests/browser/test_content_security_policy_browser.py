"""Done when: the main pages, under the Content-Security-Policy the service sends, cause no
violation in Chromium (``securitypolicyviolation`` events and console reports are both
collected), and the scripts they load (htmx, Swagger UI) still run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from luvat.assessment.services import assessment_create
from luvat.audit.actors import Actor
from luvat.catalogue.models import ServicePackage
from luvat.catalogue.services import catalogue_load
from tests.assessment.answers import valid_answers
from tests.backoffice.factories import RESCUE, event_project
from tests.identity.factories import (
    FESTIVAALI,
    LocalMandateFactory,
    OfficialRoleFactory,
    PersonFactory,
)
from tests.identity.helpers import act_as_administrator, act_as_official, act_for_company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded in the page before any of its own scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Watched:
    """A browser page whose CSP violations (events and console messages) are collected."""

    def __init__(self, browser: Any, base: str, session: str | None = None) -> None:
        self.base = base
        self.context = browser.new_context(locale="fi-FI")
        if session:
            self.context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, path: str) -> Any:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "default-src 'none'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.assert_clean()
        return response

    def assert_clean(self) -> None:
        self.page.wait_for_timeout(100)  # let late reports arrive
        events = self.page.evaluate("window.__cspViolations")
        assert events == [] and self.console == [], (self.page.url, events, self.console)

    def close(self) -> None:
        self.context.close()


def session_of(login) -> str:
    client = Client()
    login(client)
    return client.cookies["sessionid"].value


def test_public_pages_assessment_and_api_docs(live_server, browser) -> None:
    catalogue_load(actor=Actor.system("test"))
    start = (timezone.localdate() + timedelta(days=60)).isoformat()
    assessment = assessment_create(
        package=ServicePackage.objects.get(code="event"),
        answers=valid_answers("event", start),
        language="fi",
        actor=Actor.anonymous(),
    )
    watched = Watched(browser, live_server.url)

    watched.visit("/fi/")
    assert watched.page.evaluate("typeof htmx") == "object"  # htmx loaded and ran
    watched.visit("/fi/assessment/")
    watched.visit("/fi/assessment/event/")
    watched.visit(f"/fi/assessment/results/{assessment.public_id}/")
    watched.visit("/fi/authorities/")

    watched.visit("/api/v1/docs")
    watched.page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)  # Swagger UI ran
    watched.page.locator(".opblock-summary").first.click()
    watched.assert_clean()
    watched.close()


def test_customer_official_and_administrator_pages(live_server, browser) -> None:
    case = event_project()
    project = case.project
    rescue = case.rescue_plan
    police = case.police_notice
    customer = session_of(
        lambda client: act_for_company(
            client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI
        )
    )
    official = session_of(
        lambda client: act_as_official(
            client, OfficialRoleFactory.create(authority_code=RESCUE).person, RESCUE
        )
    )
    administrator = session_of(
        lambda client: act_as_administrator(client, PersonFactory.create(administrator=True))
    )

    watched = Watched(browser, live_server.url, customer)
    watched.visit("/fi/projects/")
    watched.visit(f"/fi/projects/{project.public_id}/")  # the summary, with its timeline
    assert watched.page.locator("svg.timeline-track").count() >= 1
    assert watched.page.locator("svg.gantt-track").count() >= 1  # the critical path's chart
    watched.visit(f"/fi/projects/{project.public_id}/applications/{police.public_id}/")
    watched.visit(f"/fi/projects/{project.public_id}/applications/{rescue.public_id}/")
    watched.visit(f"/fi/projects/{project.public_id}/shared-data/")
    watched.visit("/fi/supervision/")
    watched.visit("/fi/notifications/")
    watched.close()

    watched = Watched(browser, live_server.url, official)
    watched.visit("/fi/backoffice/")
    watched.page.get_by_role("link", name="Pelastussuunnitelma").first.click()
    watched.page.wait_for_load_state("load")
    watched.assert_clean()
    assert "/backoffice/" in watched.page.url
    watched.visit("/fi/backoffice/supervision/")
    watched.close()

    watched = Watched(browser, live_server.url, administrator)
    watched.visit("/fi/onboarding/board/")
    watched.close()
