"""The catalogue maintainers' rule test table: every scenario of every package."""

from datetime import date

import pytest
import yaml

from luvat.assessment.selectors import package_by_code
from luvat.assessment.services import assessment_create
from luvat.audit.actors import Actor
from luvat.catalogue.datafiles import DATA_DIR

SCENARIO_FILES = sorted((DATA_DIR / "scenarios").glob("*.yaml"))


def _scenarios():
    for path in SCENARIO_FILES:
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in table["scenarios"]:
            yield pytest.param(table, scenario, id=f"{table['package']}: {scenario['name']}")


def test_every_package_ships_at_least_eight_scenarios(catalogue):
    counts = {}
    for path in SCENARIO_FILES:
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        counts[table["package"]] = len(table["scenarios"])
    assert set(counts) == {
        "event",
        "industrial-plant-change",
        "mine-supervision",
        "social-health-company",
        "renewable-energy",
        "rural-investment",
    }
    assert min(counts.values()) >= 8, counts


@pytest.mark.parametrize(("table", "scenario"), list(_scenarios()))
def test_scenario(catalogue, table, scenario):
    package = package_by_code(table["package"])
    assert package is not None
    answers = {**table["base"], **scenario["answers"]}
    today = (
        table["today"] if isinstance(table["today"], date) else date.fromisoformat(table["today"])
    )
    result = assessment_create(
        package=package, answers=answers, language="en", actor=Actor.anonymous(), today=today
    ).result
    definitely = [item["service"]["code"] for item in result["definitely"]]
    possibly = [item["service"]["code"] for item in result["possibly"]]
    assert sorted(definitely) == sorted(scenario["definitely"])
    assert sorted(possibly) == sorted(scenario["possibly"])
    items = {item["service"]["code"]: item for item in result["definitely"] + result["possibly"]}
    for code, expected in scenario.get("latest", {}).items():
        assert items[code]["latest_submission_date"] == str(expected), code
    for item in items.values():
        assert item["reasons"], item["service"]["code"]
        for dependency in item["depends_on"]:
            if dependency["in_result"]:
                assert items[dependency["code"]]["position"] < item["position"]
