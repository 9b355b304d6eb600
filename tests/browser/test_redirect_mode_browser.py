"""Done-when (issue 15): a redirect-mode application goes received → in processing →
supplement requested (the clock stops) → supplement received → decision → closed, recorded by
the police official in the browser from the inbox; the customer gets an e-mail at each step,
arriving at a local SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.notifications.tasks import fan_out_batch, send_email_batch
from tests.backoffice.factories import POLICE, event_project
from tests.browser.conftest import axe_violations
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.mailserver import mail_server  # noqa: F401  (fixture)
from tests.notifications.factories import EmailAddressFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIJA = "maija@festivaali.example"


def log_in(browser, base, name, choice):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(f"{base}/fi/login/test/")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name=choice).click()
    return context, page


def deliver() -> None:
    """What the worker does: fan the notices out, send the e-mails."""
    while fan_out_batch():
        pass
    send_email_batch()


def test_the_police_official_records_every_step_and_the_customer_is_e_mailed_at_each(
    live_server,
    browser,
    mail_server,  # noqa: F811
):
    case = event_project()
    OfficialRoleFactory.create(
        authority_code=POLICE, person__given_name="Pekka", person__family_name="Poliisi"
    )
    maija = LocalMandateFactory.create(
        business_id=FESTIVAALI, person__given_name="Maija", person__family_name="Meikäläinen"
    ).person
    EmailAddressFactory.create(user=maija.user, address=MAIJA)
    base = live_server.url
    project_url = f"{base}/fi/projects/{case.project.public_id}/"
    notice_url = f"{project_url}applications/{case.police_notice.public_id}/"

    _customer, customer = log_in(browser, base, "Maija Meikäläinen", "Festivaali Oy (3141593-8)")
    customer.goto(notice_url)
    customer.get_by_label("Olen hakenut siellä: asiointipalvelun antama tunnus").fill("ILM-77")
    customer.get_by_role("button", name="Tallenna tunnus").click()
    assert "Tallennettu" in customer.inner_text("main")
    deliver()
    mail_server.arrived.clear()

    _official, page = log_in(browser, base, "Pekka Poliisi", "HKI-POLICE")
    page.goto(f"{base}/fi/backoffice/")
    page.get_by_label("Asioinnin tunnus").fill("ILM-77")
    page.get_by_role("button", name="Hae", exact=True).click()
    assert "ILM-77" in page.inner_text("main")

    steps = [
        ("Merkitse vastaanotetuksi", "viranomainen vastaanottanut"),
        ("Aloita käsittely", "käsittelyssä"),
        ("Lähetä pyyntö", "Täydennyspyyntö"),
        ("Kirjaa täydennys saapuneeksi", "käsittelyssä"),
        ("Kirjaa päätös", "Päätös tehty"),
        ("Päätä asiointi", "päättynyt"),
    ]
    for number, (button, subject) in enumerate(steps, start=1):
        if button == "Merkitse vastaanotetuksi":
            page.get_by_label("Oma asianumero (vapaaehtoinen)").fill("POL/2027/77")
        if button == "Lähetä pyyntö":
            page.get_by_label("Mitä asiakkaan pitää täydentää?").fill("Liikennesuunnitelma.")
            due = timezone.localdate() + timedelta(days=10)
            page.get_by_label("Vastattava viimeistään").fill(due.isoformat())
        if button == "Kirjaa päätös":
            page.get_by_label("Myönnetty", exact=True).check()
            page.get_by_label("Päätöksen päivämäärä").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name=button).click()
        deliver()
        arrived = mail_server.to(MAIJA)
        assert len(arrived) == number, [m.subject for m in arrived]
        assert subject in arrived[-1].subject
        if button == "Lähetä pyyntö":
            customer.goto(project_url)
            summary = customer.inner_text("main")
            assert "täydennystä pyydetty" in summary
            assert "(laskenta keskeytetty)" in summary  # the clock stopped for the customer
    assert axe_violations(page) == [], page.url
    main = page.inner_text("main")
    assert "POL/2027/77" in main and "päättynyt" in main
    customer.goto(project_url)
    assert "päättynyt" in customer.inner_text("main")
