"""Import of services from the Suomi.fi service catalogue (PTV open API v11 JSON).

Accepts one service, a list of services, or a page ``{pageNumber, pageSize, pageCount,
itemList}``. A service already in the catalogue (matched by ``ptv_id``) gets its names,
descriptions, legal basis and processing-time text updated per language (a language the
file does not carry is kept, never wiped) and the report lists the fields changed;
rules, forms and lead times stay as the maintainers set them. A new service is created
only when its responsible organisation is a catalogued authority (matched by business
ID), whose kind it takes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import (
    Authority,
    AuthorityResolution,
    JoiningMode,
    Origin,
    Service,
    ServiceKind,
)

LANGUAGES = ("fi", "sv", "en")
KINDS = {"PermitOrObligation": ServiceKind.PERMIT, "Service": ServiceKind.PROCEDURE}


@dataclass
class PtvReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # service code → the fields the import changed / the languages the file lacked (kept)
    changes: dict[str, list[str]] = field(default_factory=dict)
    kept_languages: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }


class PtvFormatError(ValueError):
    """The file is not a PTV service export."""


def ptv_items(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, dict) and "itemList" in document:
        items = document["itemList"]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        items = [document]
    else:
        raise PtvFormatError("expected a service, a list of services or a page with itemList")
    if not isinstance(items, list) or not all(
        isinstance(item, dict) and "id" in item for item in items
    ):
        raise PtvFormatError("every service must be an object with an id")
    return [dict(item) for item in items]


def _texts(entries: list[dict[str, Any]], *types: str) -> dict[str, str]:
    texts = {}
    for wanted in types:
        for entry in entries or []:
            language = entry.get("language")
            if entry.get("type") == wanted and language in LANGUAGES and language not in texts:
                texts[language] = str(entry.get("value") or "").strip()
    return texts


def _legal_basis(service: dict[str, Any]) -> str:
    names = []
    for law in service.get("legislation") or []:
        by_language = {n.get("language"): n.get("value") for n in law.get("names") or []}
        name = by_language.get("fi") or next(iter(by_language.values()), "")
        if name:
            names.append(str(name))
    return "; ".join(names)[:300]


def _responsible(service: dict[str, Any]) -> Authority | None:
    """The catalogued authority that is the service's Responsible organisation, matched by
    business ID (``businessCode``) or else by its Finnish name."""
    for link in service.get("organizations") or []:
        if link.get("roleType") != "Responsible":
            continue
        organization = link.get("organization") or {}
        business_id = organization.get("businessCode") or ""
        name = organization.get("name") or ""
        authorities = Authority.objects.order_by("code")
        authority = authorities.filter(business_id=business_id).first() if business_id else None
        if authority is None and name:
            authority = authorities.filter(name_fi__iexact=name).first()
        if authority is not None:
            return authority
    return None


def _values(service: dict[str, Any]) -> dict[str, Any]:
    """The fields the file gives, per language: a language the file lacks is not a value.

    An update therefore merges per language (what the file does not carry is kept).
    """
    names = _texts(service.get("serviceNames") or [], "Name")
    descriptions = _texts(service.get("serviceDescriptions") or [], "Summary", "Description")
    processing = _texts(service.get("serviceDescriptions") or [], "ProcessingTime")
    values: dict[str, Any] = {}
    for language in LANGUAGES:
        if names.get(language):
            values[f"name_{language}"] = names[language][:300]
        if descriptions.get(language):
            values[f"description_{language}"] = descriptions[language]
        if processing.get(language):
            values[f"processing_time_note_{language}"] = processing[language][:300]
    legal_basis = _legal_basis(service)
    if legal_basis:
        values["legal_basis"] = legal_basis
    return values


def _kept_languages(values: dict[str, Any]) -> list[str]:
    """Languages the file has no name or description in (kept as they were)."""
    return [
        language
        for language in LANGUAGES
        if f"name_{language}" not in values and f"description_{language}" not in values
    ]


@transaction.atomic
def ptv_import(*, path: Path, actor: Actor) -> PtvReport:
    """Import the services of a PTV JSON export; report what was created, updated, skipped."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PtvFormatError(f"not JSON: {exc}") from exc
    report = PtvReport()
    for item in ptv_items(document):
        ptv_id = str(item["id"])
        if item.get("publishingStatus", "Published") != "Published":
            report.skipped.append((ptv_id, f"publishing status {item.get('publishingStatus')}"))
            continue
        values = _values(item)
        if not values.get("name_fi"):
            report.skipped.append((ptv_id, "no Finnish name"))
            continue
        existing = Service.objects.filter(ptv_id=ptv_id).first()
        if existing is not None:
            changed = [k for k, v in values.items() if getattr(existing, k) != v]
            kept = _kept_languages(values)
            if kept:
                report.kept_languages[existing.code] = kept
            if changed:
                for key in changed:
                    setattr(existing, key, values[key])
                existing.save(update_fields=changed)
                report.updated.append(existing.code)
                report.changes[existing.code] = changed
            else:
                report.unchanged.append(existing.code)
            continue
        authority = _responsible(item)
        if authority is None:
            report.skipped.append(
                (ptv_id, "the responsible organisation is not a catalogued authority")
            )
            continue
        kind = KINDS.get(str(item.get("type")))
        if kind is None:
            report.skipped.append((ptv_id, f"service type {item.get('type')!r} is not imported"))
            continue
        service = Service.objects.create(
            code=f"ptv-{ptv_id}"[:80],
            kind=kind,
            authority_kind=authority.kind,
            authority_resolution=(
                AuthorityResolution.NATIONAL
                if authority.nationwide
                else AuthorityResolution.SITE_MUNICIPALITY
            ),
            joining_mode=JoiningMode.REDIRECT,
            ptv_id=ptv_id,
            origin=Origin.PTV,
            **values,
        )
        report.created.append(service.code)
    audit_record(
        actor=actor,
        action="catalogue.import_ptv",
        target=("file", path.name),
        details={**report.summary(), "changes": report.changes, "kept": report.kept_languages},
    )
    return report
