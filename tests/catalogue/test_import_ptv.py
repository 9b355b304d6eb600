import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luvat.audit.actors import Actor
from luvat.catalogue.models import Origin, Service
from luvat.catalogue.ptv import ptv_import

SAMPLE = Path(__file__).parent / "data" / "ptv_services_page.json"
ACTOR = Actor.system("test")


def test_a_page_export_updates_creates_and_skips(catalogue):
    report = ptv_import(path=SAMPLE, actor=ACTOR)
    assert report.updated == ["public-event-notification"]
    assert report.created == ["ptv-0a6b94a5-3f27-4c71-9c8e-5a3f1d2b7c10"]
    assert dict(report.skipped) == {
        "5d7e2c19-8b4a-4f0e-9d63-1a2b3c4d5e6f": (
            "the responsible organisation is not a catalogued authority"
        ),
        "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b": "publishing status Draft",
    }
    updated = Service.objects.get(code="public-event-notification")
    assert updated.name_en == "Notification of a public event"
    assert updated.legal_basis == "Kokoontumislaki 530/1999"
    assert updated.lead_time_days == 5  # maintainers' figures stay
    created = Service.objects.get(code="ptv-0a6b94a5-3f27-4c71-9c8e-5a3f1d2b7c10")
    assert created.authority_kind == "tukes" and created.origin == Origin.PTV
    assert created.processing_time_note_fi == "Noin kuukausi."


def test_importing_again_changes_nothing(catalogue):
    ptv_import(path=SAMPLE, actor=ACTOR)
    report = ptv_import(path=SAMPLE, actor=ACTOR)
    assert report.created == report.updated == []
    assert len(report.unchanged) == 2


def test_single_service_and_list_exports(catalogue, tmp_path):
    page = json.loads(SAMPLE.read_text())
    single = tmp_path / "one.json"
    single.write_text(json.dumps(page["itemList"][1]))
    assert ptv_import(path=single, actor=ACTOR).summary()["created"] == 1
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps(page["itemList"][:1]))
    assert ptv_import(path=listing, actor=ACTOR).summary()["updated"] == 1


def test_imported_services_survive_a_catalogue_load(catalogue):
    from luvat.catalogue.services import catalogue_load

    ptv_import(path=SAMPLE, actor=ACTOR)
    catalogue_load(actor=ACTOR)
    assert Service.objects.get(code="ptv-0a6b94a5-3f27-4c71-9c8e-5a3f1d2b7c10").active


def test_the_command_reports_and_rejects_bad_files(catalogue, tmp_path, capsys):
    call_command("import_ptv", str(SAMPLE))
    out = capsys.readouterr().out
    assert "services: 1 created, 1 updated, 0 unchanged, 2 skipped" in out
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CommandError, match="every service must be an object"):
        call_command("import_ptv", str(bad))


def test_a_file_with_only_finnish_texts_keeps_the_swedish_and_english_ones(catalogue, tmp_path):
    service = Service.objects.get(code="public-event-notification")
    before = {f: getattr(service, f) for f in ("name_sv", "name_en", "description_en")}
    assert all(before.values())
    page = json.loads(SAMPLE.read_text())
    finnish_only = dict(page["itemList"][0])
    finnish_only["serviceNames"] = [{"type": "Name", "language": "fi", "value": "Uusi nimi"}]
    finnish_only["serviceDescriptions"] = [
        {"type": "Summary", "language": "fi", "value": "Uusi kuvaus."}
    ]
    path = tmp_path / "fi.json"
    path.write_text(json.dumps(finnish_only))
    report = ptv_import(path=path, actor=ACTOR)
    service.refresh_from_db()
    assert (service.name_fi, service.description_fi) == ("Uusi nimi", "Uusi kuvaus.")
    assert {f: getattr(service, f) for f in before} == before
    assert set(report.changes["public-event-notification"]) >= {"name_fi", "description_fi"}
    assert "name_en" not in report.changes["public-event-notification"]
    assert report.kept_languages["public-event-notification"] == ["sv", "en"]


def test_the_command_names_the_fields_it_changed(catalogue, capsys):
    call_command("import_ptv", str(SAMPLE))
    out = capsys.readouterr().out
    assert "updated public-event-notification: " in out
    assert "name_en" in out.split("updated public-event-notification: ")[1].splitlines()[0]
