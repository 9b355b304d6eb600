"""How well the scenario tables and rules cover the sourced facts: ``luvat catalogue coverage``.

Read from the data files alone (no database): for each package, every row of its section of
``docs/catalogue-facts.md`` must be claimed by a fact of the package (``facts:``), every
fact by a rule and by a scenario, every threshold by a scenario below it and one at or above
it; every rule must hold in some scenario, every question must be used (by a rule, by the
authority and date resolution, or as the condition of a used question), and every service
must be reachable by a rule that some scenario makes hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from luvat.assessment.questionnaire import (
    NOT_SURE,
    CompiledPackage,
    clean_answers,
    compile_package_data,
    evaluate_rules,
)
from luvat.catalogue.datafiles import DATA_DIR, read_catalogue
from luvat.catalogue.logic import expression_reads

FACTS_DOCUMENT = DATA_DIR / "catalogue-facts.md"
RESOLUTION_VOCABULARY = {"site_municipality", "company_home_municipality", "start_date"}
_SECTION = re.compile(r"^## (\d+)\. ")


def fact_rows(document: Path = FACTS_DOCUMENT) -> dict[str, list[str]]:
    """Section number → the first cell of each table row (headers and rulers left out), and
    each sentence written under the section's table, whole."""
    rows: dict[str, list[str]] = {}
    section = ""
    for line in document.read_text(encoding="utf-8").splitlines():
        heading = _SECTION.match(line)
        if heading:
            section = heading[1]
            rows[section] = []
            continue
        if line.startswith("## "):
            section = ""
        if not section or not line.strip():
            continue
        if not line.startswith("|"):  # a fact written as a sentence under the table
            rows[section].append(line.strip())
            continue
        cell = line.strip("|").split("|")[0].strip()
        if cell and not set(cell) <= {"-", " "} and cell not in {"permit", "permit / notification"}:
            rows[section].append(cell)
    return rows


@dataclass
class PackageCoverage:
    code: str
    facts: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # id → rules, scenarios
    rules_without_scenario: list[str] = field(default_factory=list)
    unused_questions: list[str] = field(default_factory=list)
    unreachable_services: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    scenarios: int = 0
    not_sure_scenarios: int = 0
    repeat_scenarios: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.problems
            or self.rules_without_scenario
            or self.unused_questions
            or self.unreachable_services
        )


def _rule_name(index: int, rule: dict[str, Any]) -> str:
    return f"rule {index + 1} ({rule['service']}, {rule['tier']})"


def _value(answers: dict[str, Any], path: str) -> Any:
    value: Any = answers
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def _used_questions(compiled: CompiledPackage, data: dict[str, Any]) -> set[str]:
    used: set[str] = set()
    for rule in compiled.rules:
        used |= rule.reads
        for text in rule.reason.values():
            for name in re.findall(r"\{((?:item\.)?[a-z][a-z0-9_]*)\}", text):
                used.add(f"{rule.for_each}.{name[5:]}" if name.startswith("item.") else name)
    for question in compiled.questions:
        if question.vocabulary in RESOLUTION_VOCABULARY:
            used.add(question.id)
        for sub in question.items:
            if sub.vocabulary in RESOLUTION_VOCABULARY:
                used.add(f"{question.id}.{sub.id}")
    conditions = {q["id"]: q.get("show_if") for q in data["questionnaire"]}
    changed = True
    while changed:  # a question is used when it decides whether a used question is shown
        changed = False
        for question_id, condition in conditions.items():
            if condition is None or question_id not in used:
                continue
            for read in expression_reads(condition) - {"not_sure"}:
                if read not in used:
                    used.add(read)
                    changed = True
    return used


def package_coverage(
    data: dict[str, Any], table: dict[str, Any] | None, rows: list[str], municipalities: set[str]
) -> PackageCoverage:
    code = data["code"]
    coverage = PackageCoverage(code)
    compiled = compile_package_data(
        code, data["questionnaire"], data["rules"], tuple(data["services"])
    )
    facts = {f["id"]: f for f in data.get("facts", [])}
    claimed = {f["row"] for f in facts.values()}
    for row in rows:
        if row not in claimed:
            coverage.problems.append(f"row {row!r} of catalogue-facts.md has no fact")
    for fact in facts.values():
        if fact["row"] not in rows:
            coverage.problems.append(f"fact {fact['id']}: row {fact['row']!r} is not in the facts")
        coverage.facts[fact["id"]] = {"rules": [], "scenarios": []}
    for index, rule in enumerate(data["rules"]):
        if not rule.get("facts"):
            coverage.problems.append(f"{_rule_name(index, rule)} names no fact")
        for fact_id in rule.get("facts", []):
            if fact_id in coverage.facts:
                coverage.facts[fact_id]["rules"].append(_rule_name(index, rule))

    held: set[int] = set()
    reached: set[str] = set()
    scenarios = (table or {}).get("scenarios", [])
    coverage.scenarios = len(scenarios)
    if table is None:
        coverage.problems.append("no scenario table")
    today = (table or {}).get("today", date(2027, 1, 1))
    today = today if isinstance(today, date) else date.fromisoformat(str(today))
    rule_index = {id(rule): i for i, rule in enumerate(compiled.rules)}
    threshold_sides: dict[tuple[str, str, float], set[str]] = {}
    for scenario in scenarios:
        answers = _iso({**table["base"], **scenario["answers"]}) if table else {}
        answers = {k: v for k, v in answers.items() if v is not None}
        if NOT_SURE in yaml.safe_dump(answers):
            coverage.not_sure_scenarios += 1
        if any(isinstance(v, list) and v and isinstance(v[0], dict) for v in answers.values()):
            coverage.repeat_scenarios += 1
        clean = clean_answers(compiled, answers, today=today, municipalities=municipalities)
        if clean.errors:
            coverage.problems.append(
                f"scenario {scenario['name']!r}: answers rejected: {sorted(clean.errors)}"
            )
            continue
        for match in evaluate_rules(compiled, clean.values):
            held.add(rule_index[id(match.rule)])
            reached.add(match.rule.service)
        if not scenario.get("facts"):
            coverage.problems.append(f"scenario {scenario['name']!r} names no fact")
        for fact_id in scenario.get("facts", []):
            if fact_id not in coverage.facts:
                coverage.problems.append(f"scenario {scenario['name']!r}: no fact {fact_id!r}")
                continue
            coverage.facts[fact_id]["scenarios"].append(scenario["name"])
            for threshold in facts[fact_id].get("thresholds", []):
                value = _value(answers, threshold["question"])
                if isinstance(value, int | float) and not isinstance(value, bool):
                    side = "below" if value < threshold["at"] else "at or above"
                    key = (fact_id, threshold["question"], threshold["at"])
                    threshold_sides.setdefault(key, set()).add(side)
    for fact_id, fact in facts.items():
        if not coverage.facts[fact_id]["rules"]:
            coverage.problems.append(f"fact {fact_id} has no rule")
        if not coverage.facts[fact_id]["scenarios"]:
            coverage.problems.append(f"fact {fact_id} has no scenario")
        for threshold in fact.get("thresholds", []):
            key = (fact_id, threshold["question"], threshold["at"])
            for side in ("below", "at or above"):
                if side not in threshold_sides.get(key, set()):
                    coverage.problems.append(
                        f"fact {fact_id}: no scenario {side} {threshold['question']} = "
                        f"{threshold['at']:g}"
                    )
    coverage.rules_without_scenario = [
        _rule_name(i, rule) for i, rule in enumerate(data["rules"]) if i not in held
    ]
    used = _used_questions(compiled, data)
    for question in compiled.questions:
        if question.type == "repeat":
            if not any(u.startswith(f"{question.id}.") for u in used):
                coverage.unused_questions.append(question.id)
            coverage.unused_questions += [
                f"{question.id}.{sub.id}"
                for sub in question.items
                if f"{question.id}.{sub.id}" not in used
            ]
        elif question.id not in used:
            coverage.unused_questions.append(question.id)
    coverage.unreachable_services = [s for s in data["services"] if s not in reached]
    return coverage


def catalogue_coverage(
    directory: Path = DATA_DIR, document: Path = FACTS_DOCUMENT
) -> list[PackageCoverage]:
    """Coverage of every package of the catalogue in ``directory``."""
    catalogue = read_catalogue(directory)
    municipalities = {m["code"] for m in catalogue.municipalities}
    tables = {}
    for path in sorted((directory / "scenarios").glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables[table["package"]] = table
    rows = fact_rows(document)
    return [
        package_coverage(
            package,
            tables.get(package["code"]),
            rows.get(str(package.get("facts_section", "")), []),
            municipalities,
        )
        for package in catalogue.packages
    ]


def coverage_report(results: list[PackageCoverage]) -> str:
    """The report as plain text, one block per package."""
    lines: list[str] = []
    for result in results:
        lines.append(
            f"{result.code}: {'OK' if result.ok else 'UNCOVERED'} - {result.scenarios} scenarios "
            f"({result.not_sure_scenarios} with 'not sure', {result.repeat_scenarios} with "
            f"repeated items), {len(result.facts)} facts"
        )
        for fact_id, found in result.facts.items():
            lines.append(
                f"  fact {fact_id}: {len(found['rules'])} rule(s), "
                f"{len(found['scenarios'])} scenario(s)"
            )
        for title, entries in (
            ("problems", result.problems),
            ("rules that no scenario makes hold", result.rules_without_scenario),
            ("questions no rule uses", result.unused_questions),
            ("unreachable services", result.unreachable_services),
        ):
            if entries:
                lines.append(f"  {title}:")
                lines += [f"    - {entry}" for entry in entries]
    return "\n".join(lines)
