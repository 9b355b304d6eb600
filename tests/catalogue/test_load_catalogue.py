import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from luvat.audit.actors import Actor
from luvat.audit.models import AuditEvent
from luvat.catalogue.datafiles import DATA_DIR, CatalogueInvalid
from luvat.catalogue.models import (
    Authority,
    CatalogueLoad,
    Municipality,
    Service,
    ServicePackage,
    VocabularyField,
)
from luvat.catalogue.services import catalogue_load

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_catalogue_loads_with_six_packages(catalogue):
    assert ServicePackage.objects.filter(active=True).count() == 6
    assert Municipality.objects.count() >= 300
    for code, name in {
        "091": "Helsinki",
        "837": "Tampere",
        "564": "Oulu",
        "049": "Espoo",
        "092": "Vantaa",
        "853": "Turku",
    }.items():
        assert Municipality.objects.get(code=code).name_fi == name
    assert Service.objects.filter(active=True).count() >= 45
    assert VocabularyField.objects.filter(code="expected_attendance").exists()
    assert catalogue.summary["packages"] == {
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
    }


def test_demo_authority_codes_exist_with_their_areas(catalogue):
    for code in ("HKI-POLICE", "HKI-RESCUE", "HKI-ENV", "TRE-ENV", "LVV", "TUKES"):
        assert Authority.objects.filter(code=code).exists(), code
    assert list(
        Authority.objects.get(code="HKI-POLICE").municipalities.values_list("code", flat=True)
    ) == ["091"]
    lvv = Authority.objects.get(code="LVV")
    assert str(lvv.valid_from) == "2026-01-01" and lvv.nationwide
    for old in ("VALVIRA", "AVI-ESAVI", "ELY-UUSIMAA"):
        authority = Authority.objects.get(code=old)
        assert str(authority.valid_until) == "2025-12-31" and authority.successor == lvv


def test_loading_twice_changes_nothing(catalogue):
    second = catalogue_load(actor=ACTOR)
    for kind, counts in second.summary.items():
        assert counts["created"] == counts["updated"] == counts["removed"] == 0, kind
    assert CatalogueLoad.objects.count() == 2
    assert AuditEvent.objects.filter(action="catalogue.load").count() == 2


def test_a_changed_file_reports_updates_and_removals(catalogue, data_copy):
    edit(
        data_copy / "authorities.yaml",
        "Helsingin poliisilaitos",
        "Helsingin poliisilaitos (Pasila)",
    )
    services = data_copy / "services" / "event.yaml"
    document = yaml.safe_load(services.read_text(encoding="utf-8"))
    document["items"] = [s for s in document["items"] if s["code"] != "consumer-safety-document"]
    services.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    package = data_copy / "packages" / "event.yaml"
    document = yaml.safe_load(package.read_text(encoding="utf-8"))
    document["services"].remove("consumer-safety-document")
    document["rules"] = [r for r in document["rules"] if r["service"] != "consumer-safety-document"]
    package.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    load = catalogue_load(actor=ACTOR, directory=data_copy)

    assert load.summary["authorities"]["updated"] == 1
    assert load.summary["services"]["removed"] == 1
    assert load.summary["packages"]["updated"] == 1
    assert not Service.objects.get(code="consumer-safety-document").active
    assert Authority.objects.get(code="HKI-POLICE").name_fi == "Helsingin poliisilaitos (Pasila)"


def rejected(data_copy) -> list[str]:
    before = CatalogueLoad.objects.count()
    with pytest.raises(CatalogueInvalid) as error:
        catalogue_load(actor=ACTOR, directory=data_copy)
    assert CatalogueLoad.objects.count() == before
    return [str(problem) for problem in error.value.problems]


def test_a_broken_rule_is_rejected_with_file_and_line_and_the_old_catalogue_stays(
    catalogue, data_copy
):
    path = data_copy / "packages" / "event.yaml"
    rule = '{">=": [{"var": "attendance"}, 200]}'
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text_line in enumerate(lines, 1) if rule in text_line)
    edit(path, '{">=": [{"var": "attendance"}, 200]}', '{"greater": [{"var": "attendance"}, 200]}')
    edit(data_copy / "authorities.yaml", "Helsingin poliisilaitos", "Changed name")

    problems = rejected(data_copy)

    assert any(p.startswith(f"data/packages/event.yaml:{line}: broken rule") for p in problems), (
        problems
    )
    assert Authority.objects.get(code="HKI-POLICE").name_fi == "Helsingin poliisilaitos"


def test_a_rule_reading_an_unknown_question_is_rejected(catalogue, data_copy):
    edit(
        data_copy / "packages" / "event.yaml",
        '{">=": [{"var": "attendance"}, 200]}',
        '{">=": [{"var": "atendance"}, 200]}',
    )
    assert any("rule reads 'atendance', not a question" in p for p in rejected(data_copy))


def test_a_dependency_cycle_is_rejected(catalogue, data_copy):
    edit(
        data_copy / "services" / "event.yaml",
        "depends_on: [temporary-structures-permit]",
        "depends_on: [public-event-notification]",
    )
    problems = rejected(data_copy)
    assert any(
        "dependency cycle" in p and p.startswith("data/services/event.yaml:") for p in problems
    ), problems


def test_a_missing_authority_kind_is_rejected(catalogue, data_copy):
    edit(
        data_copy / "services" / "common.yaml",
        "authority_kind: building_control",
        "authority_kind: harbour_master",
    )
    problems = rejected(data_copy)
    assert any(
        p.startswith("data/services/common.yaml:")
        and "unknown authority kind 'harbour_master'" in p
        for p in problems
    )


def test_a_kind_without_any_catalogued_authority_is_rejected(catalogue, data_copy):
    path = data_copy / "authorities.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["items"] = [a for a in document["items"] if a["kind"] != "traficom"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert any("no authority of kind 'traficom'" in p for p in rejected(data_copy))


def test_schema_errors_name_the_line(catalogue, data_copy):
    edit(
        data_copy / "municipalities.yaml",
        '{code: "091", fi: "Helsinki", sv: "Helsingfors", county: HKI',
        '{code: "91", fi: "Helsinki", county: HKI',
    )
    problems = rejected(data_copy)
    lines = (data_copy / "municipalities.yaml").read_text().splitlines()
    line = next(i for i, text_line in enumerate(lines, 1) if '"91"' in text_line)
    assert any(
        p.startswith(f"data/municipalities.yaml:{line}:") and "does not match" in p
        for p in problems
    ), problems


def test_the_command_reports_changes_and_refuses_broken_files(data_copy, capsys):
    call_command("load_catalogue")
    assert "packages: 6 created, 0 updated, 0 unchanged, 0 removed" in capsys.readouterr().out
    edit(
        data_copy / "services" / "common.yaml",
        "authority_kind: building_control",
        "authority_kind: nobody",
    )
    with pytest.raises(CommandError, match="previous catalogue stays active"):
        call_command("load_catalogue", "--directory", str(data_copy))
    assert "unknown authority kind 'nobody'" in capsys.readouterr().err


def test_a_load_keeps_a_joining_mode_set_outside_the_files_and_reports_it(catalogue, capsys):
    service = Service.objects.get(code="event-rescue-plan")
    assert service.joining_mode == service.files_joining_mode
    service.joining_mode = "api"  # as onboarding or the demo records it
    service.save(update_fields=["joining_mode"])
    call_command("load_catalogue")
    service.refresh_from_db()
    assert service.joining_mode == "api"
    out = capsys.readouterr().out
    assert "kept event-rescue-plan joining_mode 'api' set outside the files" in out
    load = CatalogueLoad.objects.order_by("-loaded_at", "-pk").first()
    assert load is not None
    assert {"service": "event-rescue-plan", "field": "joining_mode", "kept": "api"}.items() <= (
        load.summary["conflicts"][0].items()
    )
