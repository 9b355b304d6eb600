"""No typed work lost: attaching a file keeps what was typed into the application form; after
the idle time-out (a four-second session here) the warning shows, the save goes to log-in, and
logging in again lands on the form with the text back; "Stay logged in" keeps the session."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.projects.factories import AuthorityFactory, ServiceFactory, vocabulary
from tests.samples import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHORT_SESSION = 4  # seconds; the warning shows half-way


def log_in(page, base, person):
    page.goto(f"{base}/fi/login/")
    page.get_by_role("link", name="Testitunnistus").click()
    page.get_by_label(person.full_name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name=f"Festivaali Oy ({FESTIVAALI})").click()


def open_new_application(page):
    page.get_by_label("Hankkeen nimi").fill("Kesäfestivaali")
    page.get_by_role("button", name="Luo hanke").click()
    page.get_by_label("Yleisötilaisuusilmoitus").check()
    page.get_by_role("button", name="Lisää hankkeeseen").click()
    page.get_by_role("link", name="Yleisötilaisuusilmoitus").click()


@pytest.fixture
def festival(db):
    vocabulary()
    AuthorityFactory.create(code="HKI-POLICE")
    ServiceFactory.create(code="event", name_fi="Yleisötilaisuusilmoitus")
    return LocalMandateFactory.create(business_id=FESTIVAALI).person


def test_attaching_keeps_the_text_and_a_time_out_keeps_it_over_a_new_log_in(
    live_server, page, festival, settings, tmp_path
):
    attachment = tmp_path / "kartta.pdf"
    attachment.write_bytes(MINIMAL_PDF)
    log_in(page, live_server.url, festival)
    open_new_application(page)
    form_url = page.url

    page.get_by_label("Event name").fill("Kesäfestari")
    page.get_by_label("Largest attendance at once").fill("1200")
    page.get_by_label("Venue").select_option("outdoor")
    page.get_by_label("Tiedosto").set_input_files(str(attachment))
    settings.SESSION_COOKIE_AGE = SHORT_SESSION  # from the attaching request on
    page.get_by_role("button", name="Liitä").click()

    assert "Tiedosto liitettiin." in page.inner_text(".messages")
    assert page.get_by_role("link", name="kartta.pdf").is_visible()
    assert page.get_by_label("Event name").input_value() == "Kesäfestari"
    assert page.get_by_label("Largest attendance at once").input_value() == "1200"
    assert page.get_by_label("Venue").input_value() == "outdoor"

    # The warning comes before the end; nobody answers it, and the session ends.
    warning = page.get_by_role("alertdialog", name="Sinut kirjataan pian ulos")
    warning.wait_for(state="visible", timeout=10_000)
    assert axe_violations(page) == []
    page.get_by_label("Largest attendance at once").fill("1500")
    page.get_by_text("Istuntosi on jo päättynyt").wait_for(state="visible", timeout=10_000)
    settings.SESSION_COOKIE_AGE = 30 * 60
    page.get_by_role("button", name="Tallenna luonnos").click()

    assert page.locator("h1").inner_text() == "Kirjaudu"
    assert "Mitä kirjoitit, säilytettiin" in page.inner_text(".messages")
    page.get_by_role("link", name="Testitunnistus").click()
    page.get_by_label(festival.full_name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name=f"Festivaali Oy ({FESTIVAALI})").click()

    assert page.url == form_url
    assert page.get_by_role("heading", name="Kirjoittamasi tiedot palautettiin").is_visible()
    assert page.get_by_label("Largest attendance at once").input_value() == "1500"
    assert page.get_by_label("Event name").input_value() == "Kesäfestari"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Tallenna luonnos").click()
    assert page.get_by_label("Largest attendance at once").input_value() == "1500"
    page.reload()
    assert page.get_by_role("heading", name="Kirjoittamasi tiedot palautettiin").count() == 0


def test_stay_logged_in_keeps_the_session(live_server, page, festival, settings):
    log_in(page, live_server.url, festival)
    settings.SESSION_COOKIE_AGE = SHORT_SESSION
    page.get_by_role("link", name="Valvonta", exact=True).click()
    warning = page.get_by_role("alertdialog", name="Sinut kirjataan pian ulos")
    warning.wait_for(state="visible", timeout=10_000)
    with page.expect_response(lambda r: "keep-alive" in r.url) as answer:
        warning.get_by_role("button", name="Pysy kirjautuneena").click()
    assert answer.value.status == 204
    warning.wait_for(state="hidden")
    page.wait_for_timeout(SHORT_SESSION * 1000 * 0.7)  # past the first session's end
    settings.SESSION_COOKIE_AGE = 30 * 60
    page.reload()
    assert page.locator("h1").inner_text() != "Kirjaudu"
    assert page.get_by_role("navigation", name="Päävalikko").is_visible()
