"""``luvat catalogue coverage``: the shipped catalogue is fully covered, and gaps are found."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from luvat.assessment.coverage import FACTS_DOCUMENT, catalogue_coverage, fact_rows
from luvat.catalogue.datafiles import DATA_DIR


def test_the_command_reports_every_package_covered_and_exits_zero():
    done = subprocess.run(
        [sys.executable, "-m", "luvat.cli", "catalogue", "coverage"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "luvat.config.settings"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every package is covered" in done.stdout
    for package in ("event", "industrial-plant-change", "rural-investment"):
        assert f"{package}: OK" in done.stdout


def test_every_row_of_the_facts_document_is_claimed_by_its_package():
    rows = fact_rows(FACTS_DOCUMENT)
    assert sorted(rows) == ["1", "2", "3", "4", "5", "6"]
    assert sum(len(r) for r in rows.values()) == 42  # 40 table rows and 2 sentences
    assert "EIA threshold for wind power: not found." in rows["5"]
    results = {r.code: r for r in catalogue_coverage()}
    assert all(r.ok for r in results.values()), {c: r.problems for c, r in results.items()}
    assert len(results["event"].facts) == 12
    assert all(r.scenarios >= 20 and r.not_sure_scenarios for r in results.values())


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_threshold_side_without_a_scenario_is_reported(data_copy):
    def change(data):
        fact = next(f for f in data["facts"] if f["id"] == "ev-rescue-plan")
        fact["thresholds"].append({"question": "attendance", "at": 100000})

    _edit(data_copy / "packages" / "event.yaml", change)
    event = next(r for r in catalogue_coverage(data_copy) if r.code == "event")
    assert not event.ok
    assert "fact ev-rescue-plan: no scenario at or above attendance = 100000" in event.problems


def test_an_unused_question_an_unreachable_service_and_an_unclaimed_row_are_reported(
    data_copy, tmp_path
):
    package = data_copy / "packages" / "mine.yaml"

    def change(data):
        data["questionnaire"].append(
            {
                "id": "colour",
                "type": "yes_no",
                "label": {"fi": "Väri?", "sv": "Färg?", "en": "Colour?"},
                "required": False,
            }
        )
        data["rules"] = [r for r in data["rules"] if r["service"] != "mining-permit"]

    _edit(package, change)
    facts = tmp_path / "facts.md"
    facts.write_text(
        FACTS_DOCUMENT.read_text(encoding="utf-8").replace(
            "| Explosives storage permit |", "| Explosives storage permit |\n| Crusher permit | x |"
        ),
        encoding="utf-8",
    )
    mine = next(r for r in catalogue_coverage(data_copy, facts) if r.code == "mine-supervision")
    assert "colour" in mine.unused_questions
    assert "mining-permit" in mine.unreachable_services
    assert "row 'Crusher permit' of catalogue-facts.md has no fact" in mine.problems
    assert "fact mine-permit has no rule" in mine.problems


def test_content_editors_see_the_coverage_page_and_others_do_not(client, db):
    from tests.identity.factories import PersonFactory
    from tests.identity.helpers import act_as_administrator, login_test_idp

    assert client.get("/en/assessment/coverage/").status_code == 403
    customer = PersonFactory.create()
    login_test_idp(client, customer)
    assert client.get("/en/assessment/coverage/").status_code == 403
    client.logout()
    act_as_administrator(client, PersonFactory.create(administrator=True))
    page = client.get("/en/assessment/coverage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Every package is covered." in html
    assert '<h2 id="coverage-event">event: covered</h2>' in html
    assert '<th scope="row">ev-mobile-sales-notice</th>' in html
