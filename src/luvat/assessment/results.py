"""Building the result of a permit-need assessment.

The stored result (``Assessment.result``, returned by ``assessment_result(public_id)`` and
``GET /api/v1/assessments/{id}``) is JSON of this shape; texts are in ``language``:

.. code-block:: text

    {
      "schema": 2,
      "package": {"code": "event", "name": "Tapahtuman järjestäminen"},
      "language": "fi",
      "evaluated_on": "2026-11-29",              # the day the rules were run
      "municipality": {"code": "091", "name": "Helsinki", "aland": false} | null,  # the site;
                                                 # aland: out of scope, said so
      "home_municipality": {"code": "564", "name": "Oulu"} | null,  # operator's, if asked
      "start_date": "2027-06-12" | null,         # the activity's start
      "definitely": [Item, ...],                 # topological order (see position)
      "possibly": [Item, ...],
      "ask": [{"question", "label", "decided_by"}],     # every "not sure" answer: whom to ask
      "dates_not_computed": [{"service", "question", "text"}]  # start date was "not sure"
    }
    Item = {
      "service": {"code", "name", "kind", "description", "legal_basis", "legal_basis_url",
                  "source_url", "fee", "fee_url", "fee_amount_eur", "redress", "joining_mode",
                  "redirect_url",
                  "authority_kind", "authority_resolution",
                  "fact_sources"},  # processing_time / fee / redress -> source URL, and
                    # processing_time_published: false when no target is published
      "tier": "definitely" | "possibly",
      "subject": {"question", "index", "label", "question_label"} | null,  # per-item need:
                    # which item of a repeatable answer (e.g. "2: Kuopion Kala, Kuopio")
      "reasons": [{"text": str, "legal_basis": str, "tier": str}],  # every matching rule of
                    # both tiers, definitely first, answers filled in
      "reasons_by_tier": {"definitely": [...], "possibly": [...]},
      "uncertain": [{"question", "label", "decided_by"}],  # "not sure" answers its rules read
      "date_not_computed": str | null,                  # why latest_submission_date is null
      "authority": {"code", "name", "kind", "phone", "email", "visiting_address",
                    "postal_address", "website", "e_service_url", "service_hours",
                    "source_url", "not_found": [contact field, ...]} | null,  # null: none
                    # catalogued for the municipality, or the operator keeps it itself
      "lead_time": {"days": int, "unit": "calendar_days" | "working_days"} | null,
      "latest_submission_date": "YYYY-MM-DD" | null,    # from start_date and lead_time
      "late": bool,                                     # latest_submission_date < evaluated_on
      "processing_time": {"days": int | null, "note": str},
      "depends_on": [{"code", "name", "in_result": bool}],
      "position": int                                   # 1-based, across both tiers: a
                                                        # service never precedes what it
                                                        # depends on
    }
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from luvat.assessment.questionnaire import (
    DEFINITELY,
    NOT_SURE,
    POSSIBLY,
    CompiledPackage,
    Match,
    PackageRule,
    Question,
    format_reason,
)
from luvat.catalogue.models import (
    Authority,
    AuthorityResolution,
    LeadTimeUnit,
    Service,
    ServicePackage,
    localized,
)
from luvat.catalogue.snapshot import Snapshot, snapshot
from luvat.workdays import latest_submission_date

RESULT_SCHEMA = 2


@dataclass
class _Need:
    service: Service
    tier: str
    rules: list[PackageRule]
    # For a per-item need: the repeatable question and the item's index.
    for_each: str = ""
    item: int | None = None


def _needs(
    compiled: CompiledPackage, matches: list[Match], catalogue: Snapshot
) -> dict[str, _Need]:
    """One need per service, or per (service, item) when rules matched per item.

    A service matched both for the whole and per item is listed per item.
    """
    services = catalogue.services
    needs: dict[str, _Need] = {}
    for match in matches:
        rule = match.rule
        key = rule.service if match.item is None else f"{rule.service}#{match.item}"
        need = needs.setdefault(
            key, _Need(services[rule.service], rule.tier, [], rule.for_each, match.item)
        )
        need.rules.append(rule)
        if rule.tier == DEFINITELY:
            need.tier = DEFINITELY
    return needs


def topological_order(codes: list[str], dependencies: dict[str, set[str]]) -> list[str]:
    """``codes`` ordered so that none precedes a dependency; ties keep the given order.

    Dependencies outside ``codes`` are ignored. The catalogue loader rejects cycles.
    """
    rank = {code: i for i, code in enumerate(codes)}
    waiting = {code: {d for d in dependencies.get(code, set()) if d in rank} for code in codes}
    ready = [(rank[c], c) for c, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, code = heapq.heappop(ready)
        ordered.append(code)
        for other, deps in waiting.items():
            if code in deps:
                deps.discard(code)
                if not deps:
                    heapq.heappush(ready, (rank[other], other))
    if len(ordered) != len(codes):  # a cycle slipped in through the admin: keep them all
        ordered += [c for c in codes if c not in ordered]
    return ordered


def authorities_for(
    services: list[Service],
    municipality_codes: set[str],
    on: date,
    *,
    catalogue: Snapshot | None = None,
) -> dict[tuple[str, str], Authority | None]:
    """Bulk ``resolve_authority``: (service code, municipality code) → authority, from the
    catalogue snapshot (no query when it is given and current)."""
    catalogue = catalogue or snapshot()
    kinds = {s.authority_kind for s in services}
    candidates = catalogue.authorities_valid_on(on, kinds, municipality_codes)
    resolved: dict[tuple[str, str], Authority | None] = {}
    for service in services:
        for code in municipality_codes | {""}:
            resolved[(service.code, code)] = _resolve(service, code, candidates, catalogue)
    return resolved


def _resolve(
    service: Service, code: str, candidates: Sequence[Authority], catalogue: Snapshot
) -> Authority | None:
    if service.authority_resolution == AuthorityResolution.NONE:
        return None
    of_kind = [a for a in candidates if a.kind == service.authority_kind]
    if service.authority_resolution != AuthorityResolution.NATIONAL and code:
        local = [a for a in of_kind if code in catalogue.served[a.pk]]
        if local:
            return local[0]
    return next((a for a in of_kind if a.nationwide), None)


def authority_json(authority: Authority | None, language: str) -> dict[str, Any] | None:
    if authority is None:
        return None
    return {
        "code": authority.code,
        "name": localized(authority, "name", language),
        "kind": authority.kind,
        "phone": authority.phone,
        "email": authority.email,
        "visiting_address": authority.visiting_address,
        "postal_address": authority.postal_address,
        "website": authority.website,
        "e_service_url": authority.e_service_url,
        "service_hours": localized(authority, "service_hours", language),
        "source_url": authority.source_url,
        "not_found": list(authority.not_found or []),
    }


def _municipality(code: str | None, language: str, catalogue: Snapshot) -> dict[str, Any] | None:
    if not code:
        return None
    municipality = catalogue.municipalities.get(code)
    name = localized(municipality, "name", language) if municipality else code
    # Åland has its own authorities: the catalogue does not cover it (said on the page).
    return {"code": code, "name": name, "aland": bool(municipality and municipality.aland)}


def build_result(
    *,
    package: ServicePackage,
    compiled: CompiledPackage,
    values: dict[str, Any],
    matches: list[Match],
    language: str,
    today: date,
    catalogue: Snapshot | None = None,
) -> dict[str, Any]:
    """The result document for cleaned answers and the rules that matched them (catalogue
    rows from ``catalogue``, by default the current snapshot)."""
    catalogue = catalogue or snapshot()
    site_question = compiled.question_for("site_municipality")
    home_question = compiled.question_for("company_home_municipality")
    start_question = compiled.question_for("start_date")
    site = values.get(site_question.id) if site_question else None
    home = values.get(home_question.id) if home_question else None
    start_text = values.get(start_question.id) if start_question else None
    start_unknown = start_question if start_text == NOT_SURE else None
    start = date.fromisoformat(start_text) if start_text and not start_unknown else None
    site = None if site == NOT_SURE else site
    home = None if home == NOT_SURE else home

    needs = _needs(compiled, matches, catalogue)
    services = [need.service for need in needs.values()]
    item_homes = {
        code
        for need in needs.values()
        for vocabulary in ("company_home_municipality", "site_municipality")
        if (code := _item_answer(compiled, values, need, vocabulary))
    }
    authorities = authorities_for(
        services, {c for c in (site, home, *item_homes) if c}, today, catalogue=catalogue
    )
    package_order = list(compiled.services)

    def order(key: str) -> tuple[int, int]:
        need = needs[key]
        code = need.service.code
        return (package_order.index(code) if code in package_order else 999, need.item or 0)

    keys = sorted(needs, key=order)
    by_code: dict[str, list[str]] = {}
    for key in keys:
        by_code.setdefault(needs[key].service.code, []).append(key)
    dependencies = {
        k: {dk for d in needs[k].service.depends_on.all() for dk in by_code.get(d.code, [])}
        for k in keys
    }
    ordered = topological_order(keys, dependencies)
    in_result = {need.service.code for need in needs.values()}

    items: dict[str, list[dict[str, Any]]] = {"definitely": [], "possibly": []}
    not_computed: list[dict[str, str]] = []
    for position, key in enumerate(ordered, start=1):
        need = needs[key]
        service = need.service
        municipality = _item_answer(compiled, values, need, "site_municipality") or site
        if service.authority_resolution == AuthorityResolution.HOME_MUNICIPALITY:
            item_home = _item_answer(compiled, values, need, "company_home_municipality")
            municipality = item_home or home or site
        authority = authorities[(service.code, municipality or "")]
        item_start = _item_answer(compiled, values, need, "start_date")
        own_start = date.fromisoformat(item_start) if item_start else start
        item = _item(need, authority, own_start, today, position, values, language, in_result)
        item["subject"] = _subject(compiled, values, need, language, catalogue)
        item["uncertain"] = _uncertain(compiled, values, need, language)
        if start_unknown is not None and not item_start and service.lead_time_days is not None:
            item["date_not_computed"] = _date_not_computed(start_unknown, language)
            not_computed.append(
                {
                    "service": service.code,
                    "question": start_unknown.id,
                    "text": item["date_not_computed"],
                }
            )
        else:
            item["date_not_computed"] = None
        items[need.tier].append(item)
    return {
        "schema": RESULT_SCHEMA,
        "package": {"code": package.code, "name": localized(package, "name", language)},
        "language": language,
        "evaluated_on": today.isoformat(),
        "municipality": _municipality(site, language, catalogue),
        "home_municipality": _municipality(home, language, catalogue) if home_question else None,
        "start_date": start.isoformat() if start else None,
        "definitely": items["definitely"],
        "possibly": items["possibly"],
        "ask": _whom_to_ask(compiled, values, language),
        "dates_not_computed": not_computed,
    }


def _item_answer(
    compiled: CompiledPackage, values: dict[str, Any], need: _Need, vocabulary: str
) -> Any:
    """The answer of the need's item to its sub-question tied to ``vocabulary``."""
    if need.item is None:
        return None
    question = compiled.question(need.for_each)
    sub = question.item_for(vocabulary) if question else None
    if sub is None:
        return None
    answer = values[need.for_each][need.item].get(sub.id)
    return None if answer == NOT_SURE else answer


def _subject(
    compiled: CompiledPackage,
    values: dict[str, Any],
    need: _Need,
    language: str,
    catalogue: Snapshot,
) -> dict[str, Any] | None:
    """Which item of a repeatable answer a per-item need is for."""
    if need.item is None:
        return None
    question = compiled.question(need.for_each)
    if question is None:  # the loader checks for_each; an admin edit may break it
        return None
    answers = values[need.for_each][need.item]
    parts = []
    for sub in question.items:
        answer = answers.get(sub.id)
        if answer in (None, "", NOT_SURE) or sub.type not in {"text", "municipality"}:
            continue
        if sub.type == "municipality":
            parts.append(_municipality_name(answer, language, catalogue))
        else:
            parts.append(str(answer))
    label = question.text("label", language)
    return {
        "question": question.id,
        "index": need.item,
        "label": f"{need.item + 1}: {', '.join(parts)}" if parts else str(need.item + 1),
        "question_label": label,
    }


def _municipality_name(code: str, language: str, catalogue: Snapshot) -> str:
    found = _municipality(code, language, catalogue)
    return found["name"] if found else code


def _question_label(
    compiled: CompiledPackage, question_id: str, language: str
) -> tuple[Question | None, str]:
    head, _, sub = question_id.partition(".")
    question = compiled.question(head)
    if question is not None and sub:
        question = question.item(sub)
    return question, question.text("label", language) if question else question_id


def _decided_by(question: Question, language: str) -> str:
    return question.decided_by.get(language) or question.decided_by.get("fi", "")


def _uncertain(
    compiled: CompiledPackage, values: dict[str, Any], need: _Need, language: str
) -> list[dict[str, str]]:
    """The "not sure" answers the need's rules read: what it depends on and who decides."""
    found: dict[str, dict[str, str]] = {}
    for rule in need.rules:
        for read in sorted(rule.reads):
            head, _, sub = read.partition(".")
            if sub:
                if need.item is None or need.for_each != head:
                    continue
                answer = values[head][need.item].get(sub)
            else:
                answer = values.get(head)
            if answer != NOT_SURE or read in found:
                continue
            question, label = _question_label(compiled, read, language)
            found[read] = {
                "question": read,
                "label": label,
                "decided_by": _decided_by(question, language) if question else "",
            }
    return list(found.values())


def _whom_to_ask(
    compiled: CompiledPackage, values: dict[str, Any], language: str
) -> list[dict[str, str]]:
    """Every "not sure" answer, with whom the customer can ask."""
    asked: list[dict[str, str]] = []
    for question in compiled.questions:
        if values.get(question.id) == NOT_SURE:
            asked.append(
                {
                    "question": question.id,
                    "label": question.text("label", language),
                    "decided_by": _decided_by(question, language),
                }
            )
        elif question.type == "repeat":
            for index, item in enumerate(values.get(question.id) or []):
                for sub in question.items:
                    if item.get(sub.id) == NOT_SURE:
                        asked.append(
                            {
                                "question": f"{question.id}.{index}.{sub.id}",
                                "label": f"{question.text('label', language)} {index + 1}: "
                                f"{sub.text('label', language)}",
                                "decided_by": _decided_by(sub, language),
                            }
                        )
    return asked


def _date_not_computed(question: Question, language: str) -> str:
    with translation.override(language):
        return _(
            "The last day to submit could not be computed: you answered "
            "“not sure” to “%(question)s”."
        ) % {"question": question.text("label", language)}


def _item(
    need: _Need,
    authority: Authority | None,
    start: date | None,
    today: date,
    position: int,
    values: dict[str, Any],
    language: str,
    in_result: set[str],
) -> dict[str, Any]:
    service = need.service
    item_answers = values[need.for_each][need.item] if need.item is not None else None
    grouped: dict[str, list[dict[str, str]]] = {DEFINITELY: [], POSSIBLY: []}
    for rule in need.rules:
        reason = {
            "text": format_reason(rule, values, language, item_answers),
            "legal_basis": rule.legal_basis or service.legal_basis,
            "tier": rule.tier,
        }
        if reason not in grouped[rule.tier]:
            grouped[rule.tier].append(reason)
    lead = None
    latest = None
    if service.lead_time_days is not None:
        lead = {"days": service.lead_time_days, "unit": service.lead_time_unit}
        if start is not None:
            latest = latest_submission_date(
                start,
                service.lead_time_days,
                working_days=service.lead_time_unit == LeadTimeUnit.WORKING_DAYS,
            )
    return {
        "service": {
            "code": service.code,
            "name": localized(service, "name", language),
            "kind": service.kind,
            "description": localized(service, "description", language),
            "legal_basis": service.legal_basis,
            "legal_basis_url": service.legal_basis_url,
            "source_url": service.source_url,
            "fee": localized(service, "fee", language),
            "fee_url": service.fee_url,
            "fee_amount_eur": None
            if service.fee_amount_eur is None
            else str(service.fee_amount_eur),
            "redress": localized(service, "redress", language),
            "joining_mode": service.joining_mode,
            "redirect_url": service.redirect_url,
            "authority_kind": service.authority_kind,
            "authority_resolution": service.authority_resolution,
            "fact_sources": dict(service.fact_sources or {}),
        },
        "tier": need.tier,
        "reasons": [reason for tier in (DEFINITELY, POSSIBLY) for reason in grouped[tier]],
        "reasons_by_tier": grouped,
        "authority": authority_json(authority, language),
        "lead_time": lead,
        "latest_submission_date": latest.isoformat() if latest else None,
        "late": latest is not None and latest < today,
        "processing_time": {
            "days": service.processing_time_days,
            "note": localized(service, "processing_time_note", language),
        },
        "depends_on": [
            {
                "code": d.code,
                "name": localized(d, "name", language),
                "in_result": d.code in in_result,
            }
            for d in sorted(service.depends_on.all(), key=lambda d: d.code)
        ],
        "position": position,
    }
