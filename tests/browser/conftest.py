"""Playwright against Debian's chromium (never a downloaded browser), plus an axe-core check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# pytest-django's live server fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    yield page
    context.close()


AXE_PATH = "/__tests__/axe-core.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return the WCAG 2.1 A/AA violations.

    axe is loaded as a script of the page's own origin, answered by Playwright from the file:
    the Content-Security-Policy allows no inline script, and the check must not need one."""
    # A click that navigates returns once the navigation has started; the new document may
    # not have a <head> yet, so wait for it to load before adding the script.
    page.wait_for_load_state("load")
    origin = "/".join(page.url.split("/", 3)[:3])
    page.route(
        f"{origin}{AXE_PATH}",
        lambda route: route.fulfill(
            body=AXE_JS.read_text(encoding="utf-8"), content_type="application/javascript"
        ),
    )
    page.add_script_tag(url=f"{origin}{AXE_PATH}")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


# The main pages with frozen data (tests/browser/pages.py), for the visual and language checks.
from tests.browser.pages import frozen, site  # noqa: E402, F401
