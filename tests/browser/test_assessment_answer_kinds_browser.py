"""A Tampere event with two food trucks of other operators, and a "not sure" answer, in a
real browser without JavaScript-only controls: one notice per truck, each to the event
municipality's food control with its own last day; the "not sure" item names who decides."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.services import catalogue_load
from luvat.workdays import add_working_days
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(transactional_db):
    catalogue_load(actor=Actor.system("test"))


def _continue(page):
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_two_food_trucks_from_oulu_and_kuopio_and_a_not_sure_answer(live_server, page, loaded):
    start = timezone.localdate() + timedelta(days=120)
    kuopio_first_day = start + timedelta(days=7)
    page.goto(f"{live_server.url}/en/assessment/event/")
    page.select_option("#q-municipality", "837")
    page.fill("#q-start_date-day", str(start.day))
    page.fill("#q-start_date-month", str(start.month))
    page.fill("#q-start_date-year", str(start.year))
    page.check("#q-public_event-0")
    page.fill("#q-attendance", "150")
    page.check("#q-amplified_noise-1")
    page.check("input[name='sells_food'][value='vendors']")
    page.check("#q-serves_alcohol-1")
    page.check("#q-structures-1")
    _continue(page)
    # Follow-ups: small and harmless ("not sure"), and the first truck's row.
    page.check("input[name='small_and_harmless'][value='not_sure']")
    assert (
        page.locator("fieldset#q-vendors > legend")
        .inner_text()
        .startswith("Mobile food premises of other businesses")
    )
    page.fill("#q-vendors-0-name", "Oulun Grilli Oy")
    page.select_option("#q-vendors-0-home_municipality", "564")
    page.check("input[name='vendors-0-registered'][value='yes']")
    _continue(page)
    page.fill("#q-vendors-1-name", "Kuopion Kalakukko Ky")
    page.select_option("#q-vendors-1-home_municipality", "297")
    page.check("input[name='vendors-1-registered'][value='yes']")
    page.fill("#q-vendors-1-first_day-day", str(kuopio_first_day.day))
    page.fill("#q-vendors-1-first_day-month", str(kuopio_first_day.month))
    page.fill("#q-vendors-1-first_day-year", str(kuopio_first_day.year))
    _continue(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Show result").click()
    page.wait_for_url("**/results/**")

    notices = page.locator("article.result-item[data-service='mobile-food-sales-notice']")
    assert notices.count() == 2
    expected = {
        "Oulun Grilli Oy, Oulu": add_working_days(start, -4),
        "Kuopion Kalakukko Ky, Kuopio": add_working_days(kuopio_first_day, -4),
    }
    seen = {}
    for index in range(2):
        notice = notices.nth(index)
        subject = notice.locator(".subject").inner_text()
        authority = notice.locator("a[href*='/authorities/']").first.get_attribute("href")
        assert authority.rstrip("/").endswith("TRE-FOOD")  # the event municipality's
        day = notice.locator("time").first.get_attribute("datetime")
        seen[subject.split(": ", 1)[1]] = date.fromisoformat(day)
    assert seen == expected
    assert seen["Oulun Grilli Oy, Oulu"] != seen["Kuopion Kalakukko Ky, Kuopio"]

    possibly = page.locator("section[aria-labelledby='possibly-heading']")
    notification = possibly.locator("article[data-service='public-event-notification']")
    assert notification.count() == 1
    assert "police of the venue area" in notification.locator(".decided-by").inner_text()
    assert "Whom to ask" in page.locator("#ask-heading").inner_text()
    assert axe_violations(page) == []
