"""Done-when: the rescue official logs in through the test IdP, finds the event project's
rescue plan in the inbox, marks it received and asks for a supplement; the customer answers;
the official records a granted decision with a PDF; the customer's summary shows it; the police
official of the same project sees that decision but not the rescue plan's attachments. Axe on
the inbox and the application pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.backoffice.factories import PDF, POLICE, RESCUE, event_project
from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(browser, base, name, choice):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(f"{base}/fi/login/test/")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name=choice).click()
    return context, page


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def test_rescue_official_handles_the_rescue_plan_and_police_sees_only_the_decision(
    live_server, browser, tmp_path
):
    case = event_project()
    OfficialRoleFactory.create(
        authority_code=RESCUE, person__given_name="Riikka", person__family_name="Pelastaja"
    )
    OfficialRoleFactory.create(
        authority_code=POLICE, person__given_name="Pekka", person__family_name="Poliisi"
    )
    LocalMandateFactory.create(
        business_id=FESTIVAALI, person__given_name="Maija", person__family_name="Meikäläinen"
    )
    decision_pdf = tmp_path / "paatos.pdf"
    decision_pdf.write_bytes(PDF)
    base = live_server.url

    riikka, page = log_in(browser, base, "Riikka Pelastaja", "HKI-RESCUE")
    page.goto(f"{base}/fi/backoffice/")
    assert_accessible(page)
    page.get_by_role("link", name="Pelastussuunnitelma").click()
    assert "alueen-kartta.pdf" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Oma asianumero (vapaaehtoinen)").fill("PEL/42/2026")
    page.get_by_role("button", name="Merkitse vastaanotetuksi").click()
    assert "PEL/42/2026" in page.inner_text("main")
    page.get_by_label("Mitä asiakkaan pitää täydentää?").fill("Lisää karttaan poistumisreitit.")
    due = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Vastattava viimeistään").fill(due.isoformat())
    page.get_by_role("button", name="Lähetä pyyntö").click()
    assert "täydennystä pyydetty" in page.inner_text("main")
    assert_accessible(page)
    application_url = page.url

    maija, customer_page = log_in(browser, base, "Maija Meikäläinen", "Festivaali Oy (3141593-8)")
    customer_page.goto(
        f"{base}/fi/projects/{case.project.public_id}/applications/{case.rescue_plan.public_id}/"
    )
    customer_page.get_by_role("link", name="Vastaa pyyntöön").click()
    assert_accessible(customer_page)
    customer_page.get_by_label("Vastaus viranomaiselle").fill("Poistumisreitit lisätty.")
    customer_page.get_by_role("button", name="Lähetä vastaus").click()
    assert "Vastauksesi lähetettiin viranomaiselle." in customer_page.inner_text("main")

    page.goto(application_url)
    assert "Poistumisreitit lisätty." in page.inner_text("main")
    page.get_by_label("Myönnetty", exact=True).check()
    page.get_by_label("Päätöksen päivämäärä").fill(timezone.localdate().isoformat())
    page.get_by_label("Päätösasiakirja (PDF)").set_input_files(str(decision_pdf))
    page.get_by_role("button", name="Kirjaa päätös").click()
    assert "Päätös kirjattiin" in page.inner_text("main")
    assert_accessible(page)

    customer_page.goto(f"{base}/fi/projects/{case.project.public_id}/")
    row = customer_page.locator("table[aria-labelledby=applications-title] tbody tr").filter(
        has_text="Pelastussuunnitelma"
    )
    assert "päätös tehty: myönnetty" in row.inner_text()

    pekka, police_page = log_in(browser, base, "Pekka Poliisi", "HKI-POLICE")
    police_page.goto(f"{base}/fi/backoffice/?reference={case.police_notice.reference}")
    main = police_page.inner_text("main")
    assert "Yleisötilaisuusilmoitus" in police_page.locator("h1").inner_text()
    others = police_page.get_by_role("row").filter(has_text="Pelastussuunnitelma")
    assert "Myönnetty" in others.inner_text()
    assert others.get_by_role("link", name="Päätösasiakirja").count() == 1
    assert "alueen-kartta.pdf" not in main
    assert "kartta" not in police_page.content()
    assert_accessible(police_page)
    response = police_page.request.get(application_url)
    assert "alueen-kartta.pdf" not in response.text()
    attachment = case.rescue_plan.attachments.get()
    refused = police_page.request.get(
        f"{application_url}attachments/{attachment.public_id}/", max_redirects=0
    )
    # Another authority's attachment answers like a missing one (the refusal is logged).
    assert refused.status == 404
    for context in (riikka, maija, pekka):
        context.close()
