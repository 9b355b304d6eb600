"""Done-when (issue 19): an inforequest to two authorities, both officials answer in the back
office, and the customer makes one answer an application with one click; the application shows
the question and the answer and its form is pre-filled with what was told with the question;
a file an official attaches to the answer reaches the customer with it."""

from __future__ import annotations

import pytest

from luvat.inforequests.models import Addressee
from tests.backoffice.factories import POLICE, RESCUE
from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI
from tests.inforequests.factories import planned_festival
from tests.samples import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base, name, choice):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(f"{base}/fi/login/test/")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name=choice).click()
    return context, page


def answer_as(browser, base, name, code, text, file=None):
    context, page = log_in(browser, base, name, code)
    page.goto(f"{base}/fi/backoffice/")
    page.get_by_role("link", name="1 neuvontapyyntö odottaa viranomaisesi vastausta").click()
    page.get_by_role("link", name="Lava puistossa").click()
    main = page.inner_text("main")
    assert "Tarvitaanko pelastussuunnitelma" in main and "Puistofestivaali 2027" in main
    page.get_by_label("Viranomaisesi vastaus").fill(text)
    if file is not None:
        page.get_by_label("Liitä vastaukseen tiedostoja (vapaaehtoinen)").set_input_files(file)
        assert axe_violations(page) == [], page.url
    page.get_by_role("button", name="Lähetä vastaus").click()
    assert "Vastauksesi lähetettiin asiakkaalle." in page.inner_text("main")
    assert axe_violations(page) == [], page.url
    context.close()


def test_two_authorities_answer_and_one_answer_becomes_a_pre_filled_application(
    live_server, browser, tmp_path
):
    planned = planned_festival()
    base = live_server.url
    plan = tmp_path / "lavasuunnitelma.pdf"
    plan.write_bytes(MINIMAL_PDF)

    _customer, customer = log_in(
        browser, base, planned.maija.label, f"Festivaali Oy ({FESTIVAALI})"
    )
    customer.goto(f"{base}/fi/projects/{planned.project.public_id}/")
    customer.get_by_role("link", name="Neuvontapyynnöt").click()
    customer.get_by_role("link", name="Kysy viranomaisilta").click()
    customer.get_by_label("Helsingin pelastuslaitos").check()
    customer.get_by_label("Helsingin poliisilaitos").check()
    customer.get_by_label("Aihe").fill("Lava puistossa")
    customer.get_by_label("Kysymyksesi").fill(
        "Tarvitaanko pelastussuunnitelma 800 hengen tapahtumaan puistossa?"
    )
    customer.get_by_label("Toiminnan nimi").fill("Puistofestivaali 2027")
    customer.get_by_label("Liitteet (vapaaehtoinen)").set_input_files(str(plan))
    assert axe_violations(customer) == [], customer.url
    customer.get_by_role("button", name="Lähetä kysymys").click()
    main = customer.inner_text("main")
    assert "Kysymyksesi lähetettiin viranomaisille." in main
    assert "lavasuunnitelma.pdf" in main and main.count("Odottaa vastausta.") == 2
    assert axe_violations(customer) == [], customer.url

    guide = tmp_path / "pelastussuunnitelman-ohje.pdf"
    guide.write_bytes(MINIMAL_PDF)
    answer_as(
        browser,
        base,
        planned.rescue.label,
        RESCUE,
        "Tarvitaan, 14 päivää ennen tapahtumaa.",
        file=str(guide),
    )
    answer_as(
        browser, base, planned.police.label, POLICE, "Tee yleisötilaisuusilmoitus 5 päivää ennen."
    )
    assert Addressee.objects.filter(answered_at__isnull=False).count() == 2

    customer.reload()
    main = customer.inner_text("main")
    assert "Tarvitaan, 14 päivää ennen tapahtumaa." in main
    assert "Tee yleisötilaisuusilmoitus 5 päivää ennen." in main
    # The rescue's file comes with its answer (officials attach files, issue 19).
    assert "Vastauksen liitteet" in main
    assert customer.get_by_role("link", name="pelastussuunnitelman-ohje.pdf").is_visible()
    customer.get_by_role("button", name="Hae: Pelastussuunnitelma tällä vastauksella").click()
    main = customer.inner_text("main")
    assert "Tehty neuvontapyynnöstä" in main
    assert "Tarvitaanko pelastussuunnitelma 800 hengen" in main
    assert "Tarvitaan, 14 päivää ennen tapahtumaa." in main
    assert customer.get_by_label("Event name").input_value() == "Puistofestivaali 2027"
    assert axe_violations(customer) == [], customer.url
    # The other answer stays an answer; the first now names the application it became.
    customer.go_back()
    customer.reload()
    assert "Tehty asioinniksi:" in customer.inner_text("main")
