"""Building the result of a permit-need assessment.

The stored result (``Assessment.result``, returned by ``assessment_result(public_id)`` and
``GET /api/v1/assessments/{id}``) is JSON of this shape; texts are in ``language``:

.. code-block:: text

    {
      "schema": 1,
      "package": {"code": "event", "name": "Tapahtuman järjestäminen"},
      "language": "fi",
      "evaluated_on": "2026-11-29",              # the day the rules were run
      "municipality": {"code": "091", "name": "Helsinki"} | null,   # the site
      "home_municipality": {"code": "564", "name": "Oulu"} | null,  # operator's, if asked
      "start_date": "2027-06-12" | null,         # the activity's start
      "definitely": [Item, ...],                 # topological order (see position)
      "possibly": [Item, ...]
    }
    Item = {
      "service": {"code", "name", "kind", "description", "legal_basis", "source_url",
                  "joining_mode", "redirect_url", "authority_kind", "authority_resolution"},
      "tier": "definitely" | "possibly",
      "reasons": [{"text": str, "legal_basis": str}],   # every matching rule, answers filled in
      "authority": {"code", "name", "kind", "phone", "email", "visiting_address",
                    "postal_address", "website", "service_hours"} | null,  # null: none
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

from django.db.models import Prefetch, Q

from luvat.assessment.questionnaire import (
    DEFINITELY,
    CompiledPackage,
    PackageRule,
    format_reason,
)
from luvat.catalogue.models import (
    Authority,
    AuthorityResolution,
    LeadTimeUnit,
    Municipality,
    Service,
    ServicePackage,
    localized,
)
from luvat.workdays import latest_submission_date

RESULT_SCHEMA = 1


@dataclass
class _Need:
    service: Service
    tier: str
    rules: list[PackageRule]


def _needs(compiled: CompiledPackage, matches: list[PackageRule]) -> dict[str, _Need]:
    dependencies = Prefetch(
        "depends_on", queryset=Service.objects.only("id", "code", "name_fi", "name_sv", "name_en")
    )
    services = {
        s.code: s
        for s in Service.objects.filter(code__in={r.service for r in matches})
        .defer("form_schema", "shared_data_mapping", "attachments")
        .prefetch_related(dependencies)
    }
    needs: dict[str, _Need] = {}
    for rule in matches:
        service = services[rule.service]
        need = needs.setdefault(rule.service, _Need(service, rule.tier, []))
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
    services: list[Service], municipality_codes: set[str], on: date
) -> dict[tuple[str, str], Authority | None]:
    """Bulk ``resolve_authority``: (service code, municipality code) → authority, 2 queries."""
    kinds = {s.authority_kind for s in services}
    candidates = list(
        Authority.objects.filter(Authority.valid_on_q(on), kind__in=kinds)
        .filter(Q(nationwide=True) | Q(municipalities__code__in=municipality_codes))
        .distinct()
        .order_by("code")
        .prefetch_related(
            Prefetch(
                "municipalities",
                queryset=Municipality.objects.filter(code__in=municipality_codes),
                to_attr="served",
            )
        )
    )
    resolved: dict[tuple[str, str], Authority | None] = {}
    for service in services:
        for code in municipality_codes | {""}:
            resolved[(service.code, code)] = _resolve(service, code, candidates)
    return resolved


def _resolve(service: Service, code: str, candidates: Sequence[Authority]) -> Authority | None:
    if service.authority_resolution == AuthorityResolution.NONE:
        return None
    of_kind = [a for a in candidates if a.kind == service.authority_kind]
    if service.authority_resolution != AuthorityResolution.NATIONAL and code:
        local = [a for a in of_kind if any(m.code == code for m in a.served)]  # type: ignore[attr-defined]
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
        "service_hours": localized(authority, "service_hours", language),
    }


def _municipality(code: str | None, language: str) -> dict[str, str] | None:
    if not code:
        return None
    municipality = Municipality.objects.filter(code=code).first()
    name = localized(municipality, "name", language) if municipality else code
    return {"code": code, "name": name}


def build_result(
    *,
    package: ServicePackage,
    compiled: CompiledPackage,
    values: dict[str, Any],
    matches: list[PackageRule],
    language: str,
    today: date,
) -> dict[str, Any]:
    """The result document for cleaned answers and the rules that matched them."""
    site_question = compiled.question_for("site_municipality")
    home_question = compiled.question_for("company_home_municipality")
    start_question = compiled.question_for("start_date")
    site = values.get(site_question.id) if site_question else None
    home = values.get(home_question.id) if home_question else None
    start_text = values.get(start_question.id) if start_question else None
    start = date.fromisoformat(start_text) if start_text else None

    needs = _needs(compiled, matches)
    services = [need.service for need in needs.values()]
    authorities = authorities_for(services, {c for c in (site, home) if c}, today)
    package_order = list(compiled.services)
    codes = sorted(needs, key=lambda c: package_order.index(c) if c in package_order else 999)
    dependencies = {c: {d.code for d in needs[c].service.depends_on.all()} for c in codes}
    ordered = topological_order(codes, dependencies)

    items: dict[str, list[dict[str, Any]]] = {"definitely": [], "possibly": []}
    for position, code in enumerate(ordered, start=1):
        need = needs[code]
        service = need.service
        municipality = site
        if service.authority_resolution == AuthorityResolution.HOME_MUNICIPALITY:
            municipality = home or site
        authority = authorities[(code, municipality or "")]
        items[need.tier].append(
            _item(need, authority, start, today, position, values, language, set(codes))
        )
    return {
        "schema": RESULT_SCHEMA,
        "package": {"code": package.code, "name": localized(package, "name", language)},
        "language": language,
        "evaluated_on": today.isoformat(),
        "municipality": _municipality(site, language),
        "home_municipality": _municipality(home, language) if home_question else None,
        "start_date": start.isoformat() if start else None,
        "definitely": items["definitely"],
        "possibly": items["possibly"],
    }


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
            "source_url": service.source_url,
            "joining_mode": service.joining_mode,
            "redirect_url": service.redirect_url,
            "authority_kind": service.authority_kind,
            "authority_resolution": service.authority_resolution,
        },
        "tier": need.tier,
        "reasons": [
            {
                "text": format_reason(rule, values, language),
                "legal_basis": rule.legal_basis or service.legal_basis,
            }
            for rule in need.rules
            if rule.tier == need.tier
        ],
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
