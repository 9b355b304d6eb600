"""Done when: the main pages of each role look as approved at 1280 px and 390 px (screenshots
within 0.1 % of the committed baselines), have no WCAG 2.1 A/AA violations (axe), and the
project summary at 390 px shows each application's status and next deadline without sideways
scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.visual import SCREENSHOT_OPTIONS, compare_with_baseline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "mobile": 390}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
    cover random public ids) and the assessment's public id."""
    return [page.locator(".hash"), page.locator(".assessment-reference")]


TOO_WIDE = """() => {
  const past = (el) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
  return [...document.querySelectorAll('main *')]
    .filter((el) => past(el) && ![...el.children].some(past))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.slice(0, 40)}`);
}"""


def too_wide(page: Any) -> list[str]:
    """The innermost elements that reach past the right edge, to say what to fix."""
    return [str(text) for text in page.evaluate(TOO_WIDE)]


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
