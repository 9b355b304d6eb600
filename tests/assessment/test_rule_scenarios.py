"""The catalogue maintainers' rule test table: every scenario of every package, posted to
``POST /api/v1/assessments`` the way a customer's client would.

A scenario names the facts (``facts:`` ids of the package's ``facts`` list, one per row of
docs/catalogue-facts.md) it tests. ``definitely``/``possibly`` list service codes, a code
once per result item (so per-item results repeat it). Optional checks: ``latest`` (code →
last day to submit), ``items`` (per-item results: subject index, authority, latest),
``ask`` (questions answered "not sure", in order), ``decided_by`` (code → a text the
item's uncertainty names), ``dates_not_computed`` (codes whose date could not be computed).
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml

from luvat.catalogue.datafiles import DATA_DIR

SCENARIO_FILES = sorted((DATA_DIR / "scenarios").glob("*.yaml"))
PACKAGES = {
    "event",
    "industrial-plant-change",
    "mine-supervision",
    "social-health-company",
    "renewable-energy",
    "rural-investment",
}


def _tables():
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in SCENARIO_FILES]


def _scenarios():
    for table in _tables():
        for scenario in table["scenarios"]:
            yield pytest.param(table, scenario, id=f"{table['package']}: {scenario['name']}")


def test_every_package_ships_at_least_twenty_scenarios_with_not_sure_paths():
    tables = {t["package"]: t for t in _tables()}
    assert set(tables) == PACKAGES
    for code, table in tables.items():
        scenarios = table["scenarios"]
        assert len(scenarios) >= 20, code
        assert all(s.get("facts") for s in scenarios), code
        assert any("not_sure" in yaml.safe_dump(s["answers"]) for s in scenarios), code
        names = [s["name"] for s in scenarios]
        assert len(names) == len(set(names)), code


def _table_today(table) -> date:
    today = table["today"]
    return today if isinstance(today, date) else date.fromisoformat(today)


@pytest.fixture
def on_table_day(request):
    """Each table is written as of its ``today``: the API refuses past start dates and the
    computed last days depend on the day, so the scenario runs on that day (at noon in
    Helsinki), whatever the calendar says when the suite runs."""
    table = request.node.callspec.params["table"]
    noon = datetime.combine(_table_today(table), time(12), tzinfo=ZoneInfo("Europe/Helsinki"))
    with time_machine.travel(noon, tick=False):
        yield


@pytest.mark.parametrize(("table", "scenario"), list(_scenarios()))
def test_scenario(on_table_day, client, catalogue, table, scenario):
    answers = {**table["base"], **scenario["answers"]}
    answers = {k: v for k, v in answers.items() if v is not None}
    body = _iso(answers)
    response = client.post(
        "/api/v1/assessments",
        {"package": table["package"], "answers": body, "language": "en"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    result = response.json()["result"]
    definitely = [item["service"]["code"] for item in result["definitely"]]
    possibly = [item["service"]["code"] for item in result["possibly"]]
    assert sorted(definitely) == sorted(scenario["definitely"])
    assert sorted(possibly) == sorted(scenario["possibly"])
    everything = result["definitely"] + result["possibly"]
    items = {item["service"]["code"]: item for item in everything}
    for code, expected in scenario.get("latest", {}).items():
        assert items[code]["latest_submission_date"] == str(expected), code
    for expected in scenario.get("items", []):
        found = [
            i
            for i in everything
            if i["service"]["code"] == expected["service"]
            and (i["subject"] or {}).get("index") == expected["subject"]
        ]
        assert len(found) == 1, expected
        if "authority" in expected:
            assert (found[0]["authority"] or {}).get("code") == expected["authority"], expected
        if "latest" in expected:
            assert found[0]["latest_submission_date"] == str(expected["latest"]), expected
    assert [a["question"] for a in result["ask"]] == scenario.get("ask", [])
    for entry in result["ask"]:
        assert entry["decided_by"], entry
    for code, text in scenario.get("decided_by", {}).items():
        assert any(text in u["decided_by"] for u in items[code]["uncertain"]), code
    assert sorted(d["service"] for d in result["dates_not_computed"]) == sorted(
        scenario.get("dates_not_computed", [])
    )
    positions: dict[str, list[int]] = {}
    for item in everything:
        assert item["reasons"], item["service"]["code"]
        positions.setdefault(item["service"]["code"], []).append(item["position"])
    for item in everything:
        for dependency in item["depends_on"]:
            if dependency["in_result"]:
                assert min(positions[dependency["code"]]) < item["position"]


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value
