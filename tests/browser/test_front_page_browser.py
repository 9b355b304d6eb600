import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fi", "Luvat ja valvonta yhdestä paikasta"),
        ("sv", "Tillstånd och tillsyn på ett ställe"),
        ("en", "Permits and supervision in one place"),
    ],
)
def test_front_page_has_no_wcag_violations(live_server, page, language, heading):
    page.goto(f"{live_server.url}/{language}/")
    assert page.locator("h1").inner_text() == heading
    assert page.get_attribute("html", "lang") == language
    assert axe_violations(page) == []


def test_keyboard_user_reaches_skip_link_first_and_can_switch_language(live_server, page):
    page.goto(f"{live_server.url}/fi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_role("link", name="På svenska").click()
    page.wait_for_url(f"{live_server.url}/sv/")
    assert page.locator("h1").inner_text() == "Tillstånd och tillsyn på ett ställe"


def test_narrow_screen_has_no_horizontal_scroll(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
