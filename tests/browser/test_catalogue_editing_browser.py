"""Done-when: an authority administrator changes a service's processing time and fee, a
second person approves, and the change is live with a new catalogue version. Axe on the
edit and review pages."""

from __future__ import annotations

import pytest

from luvat.audit.actors import Actor
from luvat.catalogue.models import Service
from luvat.catalogue.services import catalogue_load
from tests.browser.conftest import axe_violations
from tests.identity.factories import OfficialRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERVICE = "explosives-storage-permit"  # Tukes alone provides it


def log_in(browser, base, name):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(f"{base}/fi/login/test/")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name="TUKES").click()
    return context, page


def test_a_processing_time_and_fee_change_is_live_after_a_second_persons_review(
    live_server, browser
):
    catalogue_load(actor=Actor.system("test"))
    for given, family in (("Tuula", "Tukes"), ("Teemu", "Tarkastaja")):
        OfficialRoleFactory.create(
            authority_code="TUKES",
            is_authority_admin=True,
            person__given_name=given,
            person__family_name=family,
        )
    base = live_server.url

    tuula, page = log_in(browser, base, "Tuula Tukes")
    page.goto(f"{base}/fi/authorities/services/{SERVICE}/edit/")
    assert axe_violations(page) == [], page.url
    page.get_by_label("Käsittelyaika (päivää)").fill("120")
    page.get_by_label("Maksu suomeksi").fill("Tukesin maksuasetuksen mukaan.")
    page.get_by_label("Maksu ruotsiksi").fill("Enligt Tukes avgiftsförordning.")
    page.get_by_label("Maksu englanniksi").fill("Under the Tukes fee decree.")
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    page.get_by_text("Muutos odottaa toisen henkilön tarkastusta.").wait_for()
    assert page.get_by_text("Tarkastettavia muutoksia ei ole.").is_visible()  # not her own
    assert Service.objects.get(code=SERVICE).processing_time_days is None  # not live yet
    tuula.close()

    teemu, page = log_in(browser, base, "Teemu Tarkastaja")
    page.goto(f"{base}/fi/authorities/changes/")
    assert axe_violations(page) == [], page.url
    assert page.get_by_role("cell", name="Tukesin maksuasetuksen mukaan.").is_visible()
    page.get_by_role("button", name="Hyväksy ja julkaise").click()
    page.get_by_text("Julkaistu luettelon versiona 1.").wait_for()
    page.goto(f"{base}/fi/authorities/versions/")
    assert page.get_by_role("heading", name=f"Versio 1: {SERVICE}").is_visible()
    teemu.close()

    service = Service.objects.get(code=SERVICE)
    assert service.processing_time_days == 120
    assert service.fee_fi == "Tukesin maksuasetuksen mukaan."
