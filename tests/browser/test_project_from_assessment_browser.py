"""Done when, in the browser: the event-package assessment → log in with the test identity
provider as a demo customer → a project with four applications → shared data typed once and
shown pre-filled in every application → two applications submitted with receipts (HTML and
PDF) → the summary with statuses, deadlines and the timeline. axe on every main page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.services import catalogue_load
from luvat.identity.demo import load_demo_accounts
from luvat.projects.models import Project
from luvat.workdays import latest_submission_date
from tests.assessment.answers import ANSWERS
from tests.browser.conftest import axe_violations
from tests.browser.test_assessment_browser import fill
from tests.samples import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = MINIMAL_PDF
SHARED = {  # typed once, on the shared-data page (Finnish labels of the vocabulary)
    "Kohteen osoite": ("site_address", "Kaisaniemen puisto, Helsinki"),
    "Toiminnan tai tapahtuman nimi": ("activity_name", "Kesäfestari"),
    "Toiminnan kuvaus": ("activity_description", "Kolmipäiväinen ulkoilmafestivaali"),
    "Yhteyshenkilön nimi": ("contact_name", "Maija Meikäläinen"),
}
SUBMIT = {  # service → answers only it asks, and its required attachments
    "Yleisötilaisuuden pelastussuunnitelma": ({}, ("rescue_plan", "site_map")),
    "Meluilmoitus": ({"noise_source": "Ulkolava ja äänentoisto"}, ("site_map",)),
}


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def test_from_event_assessment_to_two_receipts(live_server, page, tmp_path):
    catalogue_load(actor=Actor.system("test"))
    load_demo_accounts()
    attachment = tmp_path / "liite.pdf"
    attachment.write_bytes(PDF)
    base = live_server.url
    answers = {
        **ANSWERS["event"],
        "start_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }

    # The assessment, anonymously.
    page.goto(f"{base}/fi/assessment/event/")
    filled: set[str] = set()
    for _ in range(6):
        shown = [
            e.get_attribute("id").removeprefix("field-")
            for e in page.locator("[id^='field-']").all()
        ]
        todo = [q for q in shown if q in answers and q not in filled]
        if not todo:
            break
        for question_id in todo:
            fill(page, question_id, answers[question_id])
            filled.add(question_id)
        page.get_by_role("button", name="Jatka").click()
        page.wait_for_load_state()
    page.get_by_role("button", name="Näytä tulos").click()
    page.wait_for_url("**/results/**")
    accessible(page)

    # Creating a project needs a log-in; the customer comes back to the confirmation page.
    page.get_by_role("link", name="Luo hanke tämän tuloksen pohjalta").click()
    page.get_by_role("link", name="Testitunnistus").click()
    page.get_by_label("Maija Meikäläinen").check()
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("button", name="Festivaali Oy (3141593-8)").click()
    assert page.locator("h1").inner_text() == "Luo hanke lupatarveselvityksestä"
    accessible(page)
    boxes = page.locator("input[name=service]")
    assert boxes.count() == 4
    assert all(boxes.nth(i).is_checked() for i in range(4))
    page.get_by_role("button", name="Luo hanke").click()

    project = Project.objects.get()
    summary_url = f"{base}/fi/projects/{project.public_id}/"
    assert page.url == summary_url
    assert page.locator("table[aria-labelledby=applications-title] tbody tr").count() == 4
    accessible(page)

    # Shared data, typed once.
    page.get_by_role("link", name="Yhteiset tiedot").first.click()
    assert page.get_by_role("group", name="Aikataulu").is_visible()  # groups in Finnish
    for label, (_code, value) in SHARED.items():
        page.get_by_label(label, exact=True).fill(value)
    accessible(page)
    page.get_by_role("button", name="Tallenna yhteiset tiedot").click()
    assert "Yhteiset tiedot tallennettu." in page.inner_text("main")

    # Pre-filled in every application: form fields, or the data to give in the redirect.
    typed = {code: value for code, value in SHARED.values()}
    typed["company_name"] = project.company_name
    for application in project.applications.select_related("service"):
        service = application.service
        page.goto(summary_url)
        page.get_by_role("link", name=service.name_fi, exact=True).click()
        prefilled = 0
        for prop, code in (service.shared_data_mapping or {}).items():
            if code not in typed:
                continue
            if service.joining_mode == "redirect":
                value = page.locator(f"#field-{prop} + dd").inner_text()
            else:
                value = page.locator(f"#field-{prop}").input_value()
            assert value == typed[code], (service.code, prop)
            prefilled += 1
        assert prefilled >= 1, service.code
        accessible(page)

    # Two applications submitted, each with a receipt.
    for name, (answers_here, codes) in SUBMIT.items():
        page.goto(summary_url)
        page.get_by_role("link", name=name, exact=True).click()
        for prop, value in answers_here.items():
            page.locator(f"#field-{prop}").fill(value)
        page.get_by_role("button", name="Tallenna luonnos").click()
        for code in codes:
            page.locator(f"#file-{code}").set_input_files(str(attachment))
            page.locator(f'button[value="attach:{code}"]').click()
        page.get_by_role("button", name="Tallenna ja lähetä").click()
        assert page.get_by_role("heading", name="Vastaanottokuittaus").is_visible()
        assert len(page.locator("code.hash").inner_text()) == 64
        accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Lataa kuittaus (PDF)").click()
        assert download.value.suggested_filename.endswith(".pdf")

    # The summary: statuses, deadlines, the timeline.
    page.goto(summary_url)
    rows = page.locator("table[aria-labelledby=applications-title] tbody tr")
    statuses = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(4)]
    assert statuses.count("lähetetty") == 2, statuses
    table = page.locator("table[aria-labelledby=applications-title] tbody")
    # The catalogue has no processing-time target for these two, so no decision date is
    # promised; the draft still waiting is shown with its last submission day.
    notice = project.applications.get(service__code="public-event-notification")
    assert project.starts_on is not None
    latest = latest_submission_date(project.starts_on, 5, working_days=False)
    row = page.locator(
        "table[aria-labelledby=applications-title] tbody tr", has_text=notice.reference
    )
    assert f"jätä viimeistään {latest.day}.{latest.month}.{latest.year}" in row.inner_text()
    assert "Jatka viranomaisen asiointipalvelussa." in row.inner_text()
    kept = page.locator(
        "table[aria-labelledby=applications-title] tbody tr", has_text="Turvallisuusasiakirja"
    ).inner_text()
    assert "yritys säilyttää itse" in kept
    assert table.get_by_text("Ei toimenpiteitä: viranomainen käsittelee hakemusta.").count() == 2
    assert page.get_by_role("heading", name="Aikajana").is_visible()
    assert page.locator(".timeline-row").count() == 4
    accessible(page)
    page.goto(f"{base}/fi/projects/")
    assert page.get_by_role("link", name=project.name).is_visible()
    accessible(page)
