"""Reading and checking the catalogue data files.

``read_catalogue(directory)`` parses every YAML file, validates it against the JSON
Schema of its ``kind`` (``catalogue/schemas.py``) and then checks the references
between files: unknown authority kinds or municipalities, dependency cycles, rules that
do not compile or read questions that do not exist. Every problem is reported with its
file and line; nothing is written to the database here.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from luvat.catalogue.logic import expression_problems, expression_reads, rule_reads
from luvat.catalogue.models import AuthorityKind, AuthorityResolution
from luvat.catalogue.schemas import SCHEMAS

DATA_DIR = Path(__file__).resolve().parent / "data"
# LibYAML when PyYAML was built with it (the wheels are), else the pure-Python parser.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CatalogueInvalid(Exception):
    """The catalogue files have problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class SourceFile:
    path: Path
    name: str
    data: dict[str, Any]
    root: yaml.Node

    def line(self, where: Path_) -> int:
        """1-based line of the node at ``where`` (or of its nearest existing parent)."""
        node = self.root
        for part in where:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return int(node.start_mark.line) + 1


@dataclass
class CatalogueData:
    checksum: str
    source: str
    municipalities: list[dict[str, Any]] = field(default_factory=list)
    authorities: list[dict[str, Any]] = field(default_factory=list)
    vocabulary: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def catalogue_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.yaml") if "scenarios" not in p.parts)


def _parse(path: Path, directory: Path, problems: list[Problem]) -> SourceFile | None:
    name = str(path.relative_to(directory.parent))
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem(name, line, f"not valid YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or root is None:
        problems.append(Problem(name, 1, "a catalogue file is a mapping with a `kind`"))
        return None
    source = SourceFile(path=path, name=name, data=_dates_as_text(data), root=root)
    schema = SCHEMAS.get(str(data.get("kind")))
    if schema is None:
        kinds = ", ".join(SCHEMAS)
        problems.append(Problem(name, source.line(("kind",)), f"`kind` must be one of {kinds}"))
        return None
    for error in sorted(Draft202012Validator(schema).iter_errors(source.data), key=str):
        where = tuple(error.absolute_path)
        at = "/".join(str(p) for p in where) or "/"
        problems.append(Problem(name, source.line(where), f"{error.message} (at {at})"))
    return source


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2026-01-01 as a date; the schema and the models want ISO text."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value


def _items(sources: list[SourceFile], kind: str) -> Iterator[tuple[SourceFile, int, Any]]:
    for source in sources:
        if source.data.get("kind") == kind:
            for index, item in enumerate(source.data["items"]):
                yield source, index, item


_checked: dict[str, CatalogueData] = {}


def read_catalogue(directory: Path = DATA_DIR) -> CatalogueData:
    """Parse and check every file under ``directory``; raise CatalogueInvalid on problems.

    A catalogue already checked in this process (same bytes) is not checked again.
    """
    problems: list[Problem] = []
    paths = catalogue_files(directory)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    cached = _checked.get(digest.hexdigest())
    if cached is not None:
        return copy.deepcopy(cached)
    sources = [s for p in paths if (s := _parse(p, directory, problems)) is not None]
    if problems:
        raise CatalogueInvalid(problems)
    catalogue = CatalogueData(checksum=digest.hexdigest(), source=str(directory))
    _Checker(catalogue, sources, problems).run()
    if problems:
        raise CatalogueInvalid(problems)
    _checked[catalogue.checksum] = copy.deepcopy(catalogue)
    return catalogue


class _Checker:
    """References between files; fills ``catalogue`` while it checks."""

    def __init__(
        self, catalogue: CatalogueData, sources: list[SourceFile], problems: list[Problem]
    ) -> None:
        self.catalogue = catalogue
        self.sources = sources
        self.problems = problems

    def problem(self, source: SourceFile, where: Path_, message: str) -> None:
        self.problems.append(Problem(source.name, source.line(where), message))

    def unique(self, kind: str, key: str = "code") -> dict[str, tuple[SourceFile, Path_, Any]]:
        seen: dict[str, tuple[SourceFile, Path_, Any]] = {}
        for source, index, item in _items(self.sources, kind):
            where: Path_ = ("items", index)
            if item[key] in seen:
                self.problem(source, where, f"duplicate {kind} code {item[key]!r}")
            seen[item[key]] = (source, where, item)
        return seen

    def source_url(self, source: SourceFile, where: Path_, ref: str | None) -> str:
        """The URL a row's ``source`` names: its own https URL or a key of ``sources``."""
        if not ref:
            return ""
        if ref.startswith("https://"):
            return ref
        known = source.data.get("sources", {})
        if ref not in known:
            self.problem(source, where, f"no source {ref!r} in this file's `sources`")
            return ""
        return str(known[ref]["url"])

    def resolve_sources(self) -> None:
        """Every ``source`` reference becomes ``<key>_url`` on its row (checked here)."""
        for kind in ("municipalities", "authorities", "services"):
            for source, index, item in _items(self.sources, kind):
                where: Path_ = ("items", index)
                item["source_url"] = self.source_url(
                    source, (*where, "source"), item.get("source")
                ) or item.get("source_url", "")
                if item.get("redirect_source"):
                    item["redirect_source_url"] = self.source_url(
                        source, (*where, "redirect_source"), item["redirect_source"]
                    )
                for fact in ("processing_time", "fee", "redress"):
                    if isinstance(item.get(fact), dict) and "source" in item[fact]:
                        item[fact]["source_url"] = self.source_url(
                            source, (*where, fact, "source"), item[fact]["source"]
                        )

    def check_municipalities(self, municipalities: dict[str, Any]) -> None:
        for source, where, item in municipalities.values():
            successor = item.get("successor")
            if successor and successor not in municipalities:
                self.problem(source, (*where, "successor"), f"no municipality {successor}")
            start, end = item.get("valid_from"), item.get("valid_until")
            if start and end and end < start:
                self.problem(source, (*where, "valid_until"), "valid_until is before valid_from")

    def run(self) -> None:
        self.resolve_sources()
        municipalities = self.unique("municipalities")
        authorities = self.unique("authorities")
        vocabulary = self.unique("vocabulary")
        services = self.unique("services")
        self.check_municipalities(municipalities)
        self.check_authorities(authorities, municipalities)
        self.check_services(services, authorities, vocabulary)
        packages = [s for s in self.sources if s.data["kind"] == "package"]
        codes = [p.data["code"] for p in packages]
        for source in packages:
            if codes.count(source.data["code"]) > 1:
                self.problem(source, ("code",), f"duplicate package code {source.data['code']!r}")
            self.check_package(source, services, vocabulary)
        self.catalogue.municipalities = [item for _, _, item in municipalities.values()]
        self.catalogue.authorities = [item for _, _, item in authorities.values()]
        self.catalogue.vocabulary = [item for _, _, item in vocabulary.values()]
        self.catalogue.services = [item for _, _, item in services.values()]
        self.catalogue.packages = [source.data for source in packages]

    def check_authorities(
        self, authorities: dict[str, Any], municipalities: dict[str, Any]
    ) -> None:
        counties: dict[str, list[str]] = {}
        for _, _, municipality in municipalities.values():
            if municipality.get("county"):
                counties.setdefault(municipality["county"], []).append(municipality["code"])
        for source, where, item in authorities.values():
            for i, code in enumerate(item.get("municipalities", [])):
                if code not in municipalities:
                    self.problem(source, (*where, "municipalities", i), f"no municipality {code}")
            served = list(item.get("municipalities", []))
            for i, county in enumerate(item.get("counties", [])):
                if county not in counties:
                    self.problem(source, (*where, "counties", i), f"no municipality in {county}")
                served += [code for code in counties.get(county, []) if code not in served]
            # The loader links what the row lists and what its counties hold.
            item["municipalities"] = served
            for i, field_name in enumerate(item.get("not_found", [])):
                if item.get(field_name):
                    self.problem(
                        source,
                        (*where, "not_found", i),
                        f"{field_name} is given and also marked not found",
                    )
            successor = item.get("successor")
            if successor and successor not in authorities:
                self.problem(source, (*where, "successor"), f"no authority {successor!r}")
            start, end = item.get("valid_from"), item.get("valid_until")
            if start and end and end < start:
                self.problem(source, (*where, "valid_until"), "valid_until is before valid_from")

    def check_services(
        self, services: dict[str, Any], authorities: dict[str, Any], vocabulary: dict[str, Any]
    ) -> None:
        kinds_with_authority = {item["kind"] for _, _, item in authorities.values()}
        for source, where, item in services.values():
            kind = item["authority_kind"]
            resolution = item.get("authority_resolution", AuthorityResolution.SITE_MUNICIPALITY)
            if kind not in AuthorityKind.values:
                self.problem(source, (*where, "authority_kind"), f"unknown authority kind {kind!r}")
            elif resolution != AuthorityResolution.NONE and kind not in kinds_with_authority:
                self.problem(
                    source,
                    (*where, "authority_kind"),
                    f"no authority of kind {kind!r} is catalogued",
                )
            for i, dependency in enumerate(item.get("depends_on", [])):
                if dependency not in services:
                    self.problem(source, (*where, "depends_on", i), f"no service {dependency!r}")
            form = item.get("form_schema", {})
            try:
                Draft202012Validator.check_schema(form)
            except SchemaError as exc:
                self.problem(source, (*where, "form_schema"), f"not a JSON Schema: {exc.message}")
            properties = form.get("properties", {})
            for form_field, vocabulary_code in item.get("shared_data_mapping", {}).items():
                if form_field not in properties:
                    self.problem(
                        source,
                        (*where, "shared_data_mapping", form_field),
                        f"the form has no field {form_field!r}",
                    )
                if vocabulary_code not in vocabulary:
                    self.problem(
                        source,
                        (*where, "shared_data_mapping", form_field),
                        f"no shared-data field {vocabulary_code!r}",
                    )
        self.check_cycles(services)

    def check_cycles(self, services: dict[str, Any]) -> None:
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def visit(code: str, trail: list[str]) -> None:
            state[code] = 1
            for dependency in services[code][2].get("depends_on", []):
                if dependency not in services:
                    continue
                if state.get(dependency) == 1:
                    cycle = [*trail[trail.index(dependency) :], dependency]
                    source, where, _ = services[code]
                    self.problem(
                        source, (*where, "depends_on"), "dependency cycle: " + " → ".join(cycle)
                    )
                elif dependency not in state:
                    visit(dependency, [*trail, dependency])
            state[code] = 2

        for code in services:
            if code not in state:
                visit(code, [code])

    def check_expression(self, source: SourceFile, where: Path_, expression: Any) -> set[str]:
        errors = expression_problems(expression)
        for error in errors:
            self.problem(source, where, f"broken rule: {error}")
        return set() if errors else expression_reads(expression) - {"not_sure"}

    def check_package(
        self, source: SourceFile, services: dict[str, Any], vocabulary: dict[str, Any]
    ) -> None:
        data = source.data
        for i, code in enumerate(data["services"]):
            if code not in services:
                self.problem(source, ("services", i), f"no service {code!r}")
        earlier: set[str] = set()
        for i, question in enumerate(data["questionnaire"]):
            where: Path_ = ("questionnaire", i)
            if question["id"] in earlier:
                self.problem(source, (*where, "id"), f"duplicate question id {question['id']!r}")
            if "show_if" in question:
                reads = self.check_expression(source, (*where, "show_if"), question["show_if"])
                for unknown in sorted(reads - earlier):
                    self.problem(
                        source,
                        (*where, "show_if"),
                        f"condition reads {unknown!r}, not an earlier question",
                    )
            vocabulary_code = question.get("vocabulary")
            if vocabulary_code and vocabulary_code not in vocabulary:
                self.problem(
                    source, (*where, "vocabulary"), f"no shared-data field {vocabulary_code!r}"
                )
            if "min" in question and "max" in question and question["min"] > question["max"]:
                self.problem(source, (*where, "max"), "max is below min")
            if question.get("not_sure") and question["type"] in {"text", "repeat"}:
                self.problem(source, (*where, "not_sure"), "no 'not sure' on this type")
            if question["type"] == "repeat" and not question.get("items"):
                self.problem(source, (*where, "type"), "a repeatable question needs items")
            earlier.add(question["id"])
        repeats = {
            q["id"]: {sub["id"] for sub in q.get("items", [])}
            for q in data["questionnaire"]
            if q["type"] == "repeat"
        }
        fact_ids = {f["id"] for f in data.get("facts", [])}
        for i, rule in enumerate(data["rules"]):
            where = ("rules", i)
            if rule["service"] not in data["services"]:
                self.problem(
                    source,
                    (*where, "service"),
                    f"service {rule['service']!r} is not in this package",
                )
            for fact in rule.get("facts", []):
                if fact not in fact_ids:
                    self.problem(source, (*where, "facts"), f"no fact {fact!r} in this package")
            for_each = rule.get("for_each", "")
            if for_each and for_each not in repeats:
                self.problem(
                    source, (*where, "for_each"), f"{for_each!r} is not a repeatable question"
                )
            reads = self.check_expression(source, (*where, "when"), rule["when"])
            if for_each:
                reads.discard("item")
                for unknown in sorted(
                    rule_reads(rule["when"], for_each=for_each)
                    - {f"{for_each}.{sub}" for sub in repeats.get(for_each, set())}
                ):
                    if unknown.startswith(f"{for_each}."):
                        self.problem(
                            source,
                            (*where, "when"),
                            f"rule reads {unknown!r}, not an item question",
                        )
            for unknown in sorted(reads - earlier):
                self.problem(source, (*where, "when"), f"rule reads {unknown!r}, not a question")
