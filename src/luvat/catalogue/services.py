"""Writes to the catalogue: loading the data files into the database."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.datafiles import DATA_DIR, CatalogueData, read_catalogue
from luvat.catalogue.editing import keep_published, published_values
from luvat.catalogue.models import (
    Authority,
    AuthorityResolution,
    CatalogueLoad,
    ChangeTarget,
    JoiningMode,
    LeadTimeUnit,
    Municipality,
    Origin,
    Service,
    ServicePackage,
    VocabularyField,
)
from luvat.catalogue.snapshot import bump_revision, bumps_deferred


def _texts(item: dict[str, Any], key: str, field: str) -> dict[str, str]:
    texts = item.get(key) or {}
    return {f"{field}_{lang}": texts.get(lang, "") for lang in ("fi", "sv", "en")}


class _Tally:
    """created / updated / unchanged per code, so that an M2M change upgrades "unchanged"."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.extra: Counter[str] = Counter()

    def touched(self, code: str) -> None:
        if self.status.get(code) == "unchanged":
            self.status[code] = "updated"

    def counts(self) -> dict[str, int]:
        counts = Counter(self.status.values())
        result = {key: counts[key] for key in ("created", "updated", "unchanged")}
        result["removed"] = self.extra["removed"]
        if self.extra["kept_in_use"]:
            result["kept_in_use"] = self.extra["kept_in_use"]
        return result


def _upsert(
    model: type[models.Model],
    existing: dict[str, Any],
    code: str,
    values: dict[str, Any],
    tally: _Tally,
) -> Any:
    obj = existing.get(code)
    if obj is None:
        obj = model(code=code, **values)
        obj.save()
        tally.status[code] = "created"
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    tally.status[code] = "updated" if changed else "unchanged"
    return obj


def _set_m2m(manager: Any, wanted: list[Any], tally: _Tally, code: str) -> None:
    if tally.status.get(code) == "created":
        # A new row has no links yet: insert them in one statement.
        through = manager.through
        source, target = manager.source_field_name, manager.target_field_name
        through.objects.bulk_create(
            [through(**{f"{source}_id": manager.instance.pk, f"{target}_id": w.pk}) for w in wanted]
        )
        return
    if {obj.pk for obj in manager.all()} != {obj.pk for obj in wanted}:
        manager.set(wanted)
        tally.touched(code)


def _delete_unused(queryset: models.QuerySet[Any], tally: _Tally) -> None:
    for obj in queryset:
        try:
            with transaction.atomic():
                obj.delete()
            tally.extra["removed"] += 1
        except (ProtectedError, RestrictedError):
            tally.extra["kept_in_use"] += 1


def _municipality_facts(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "county": item.get("county", ""),
        "aland": item.get("aland", False),
        "valid_from": _as_date(item.get("valid_from")),
        "valid_until": _as_date(item.get("valid_until")),
        "source_url": item.get("source_url", ""),
    }


def _load_municipalities(
    data: CatalogueData, changes: dict[str, _Tally]
) -> dict[str, Municipality]:
    counter = changes["municipalities"]
    existing = {m.code: m for m in Municipality.objects.all()}
    new = [item for item in data.municipalities if item["code"] not in existing]
    loaded: dict[str, Municipality] = {}
    created = Municipality.objects.bulk_create(
        [
            Municipality(
                code=i["code"],
                name_fi=i["fi"],
                name_sv=i.get("sv", ""),
                name_en=i.get("en", ""),
                **_municipality_facts(i),
            )
            for i in new
        ]
    )
    if created and created[0].pk is None:  # a backend that does not return keys
        created = list(Municipality.objects.filter(code__in=[i["code"] for i in new]))
    for municipality in created:
        counter.status[municipality.code] = "created"
        loaded[municipality.code] = municipality
    for item in data.municipalities:
        if counter.status.get(item["code"]) == "created":
            continue
        values = {
            "name_fi": item["fi"],
            "name_sv": item.get("sv", ""),
            "name_en": item.get("en", ""),
            **_municipality_facts(item),
        }
        loaded[item["code"]] = _upsert(Municipality, existing, item["code"], values, counter)
    for item in data.municipalities:
        municipality = loaded[item["code"]]
        successor = loaded.get(item.get("successor") or "")
        if municipality.successor_id != (successor.pk if successor else None):
            municipality.successor = successor
            municipality.save(update_fields=["successor"])
            counter.touched(item["code"])
    _delete_unused(Municipality.objects.exclude(code__in=loaded), counter)
    return loaded


def _as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_authorities(
    data: CatalogueData,
    municipalities: dict[str, Municipality],
    changes: dict[str, _Tally],
    conflicts: list[dict[str, Any]],
    published: dict[tuple[str, str], dict[str, Any]],
) -> None:
    counter = changes["authorities"]
    existing = {a.code: a for a in Authority.objects.prefetch_related("municipalities")}
    loaded: dict[str, Authority] = {}
    new: list[tuple[Authority, list[Municipality]]] = []
    for item in data.authorities:
        values = {
            "kind": item["kind"],
            **_texts(item, "name", "name"),
            "business_id": item.get("business_id", ""),
            "phone": item.get("phone", ""),
            "email": item.get("email", ""),
            "visiting_address": item.get("visiting_address", ""),
            "postal_address": item.get("postal_address", ""),
            "website": item.get("website", ""),
            "e_service_url": item.get("e_service", ""),
            "source_url": item.get("source_url", ""),
            "source_note": item.get("source_note", ""),
            "not_found": item.get("not_found", []),
            **_texts(item, "service_hours", "service_hours"),
            "nationwide": item.get("nationwide", False),
            "valid_from": _as_date(item.get("valid_from")),
            "valid_until": _as_date(item.get("valid_until")),
            "origin": Origin.FILES,
        }
        keep_published(ChangeTarget.AUTHORITY, item["code"], values, published, conflicts)
        wanted = [municipalities[code] for code in item.get("municipalities", [])]
        if item["code"] not in existing:
            new.append((Authority(code=item["code"], **values), wanted))
            continue
        authority = _upsert(Authority, existing, item["code"], values, counter)
        _set_m2m(authority.municipalities, wanted, counter, item["code"])
        loaded[item["code"]] = authority
    # New authorities and their areas in two statements (a first load creates ~650).
    created = Authority.objects.bulk_create([authority for authority, _ in new])
    if created and created[0].pk is None:  # a backend that does not return keys
        by_code = {a.code: a for a in Authority.objects.filter(code__in=[a.code for a in created])}
        created = [by_code[a.code] for a in created]
    through = Authority.municipalities.through
    through.objects.bulk_create(
        [
            through(authority_id=authority.pk, municipality_id=municipality.pk)
            for authority, (_, wanted) in zip(created, new, strict=True)
            for municipality in wanted
        ]
    )
    for authority in created:
        counter.status[authority.code] = "created"
        loaded[authority.code] = authority
    for item in data.authorities:
        authority = loaded[item["code"]]
        successor = loaded.get(item.get("successor") or "")
        if authority.successor_id != (successor.pk if successor else None):
            authority.successor = successor
            authority.save(update_fields=["successor"])
            counter.touched(item["code"])
    # An authority dropped from the files stops being valid; its old projects keep it.
    yesterday = date.today() - timedelta(days=1)  # noqa: DTZ011  (a calendar date)
    for authority in Authority.objects.filter(origin=Origin.FILES).exclude(code__in=loaded):
        if authority.valid_until is None or authority.valid_until > yesterday:
            authority.valid_until = yesterday
            authority.save(update_fields=["valid_until"])
            counter.extra["removed"] += 1


def _load_vocabulary(data: CatalogueData, changes: dict[str, _Tally]) -> None:
    counter = changes["vocabulary"]
    existing = {v.code: v for v in VocabularyField.objects.all()}
    codes = []
    for order, item in enumerate(data.vocabulary, start=1):
        values = {
            "group": item["group"],
            "type": item["type"],
            **_texts(item, "label", "label"),
            **_texts(item, "help", "help"),
            "personal_data": item.get("personal_data", False),
            "order": order * 10,
        }
        _upsert(VocabularyField, existing, item["code"], values, counter)
        codes.append(item["code"])
    _delete_unused(VocabularyField.objects.exclude(code__in=codes), counter)


def _attachments(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "code": attachment["code"],
            **_texts(attachment, "name", "name"),
            "required": attachment["required"],
            "types": attachment.get("types", ["application/pdf"]),
            "max_bytes": attachment.get("max_bytes", 20 * 1024 * 1024),
        }
        for attachment in item.get("attachments", [])
    ]


def _amount(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _fact_sources(item: dict[str, Any]) -> dict[str, Any]:
    """Where the processing time, fee and means of redress were taken from."""
    sources: dict[str, Any] = {}
    for fact in ("processing_time", "fee", "redress"):
        value = item.get(fact)
        if isinstance(value, dict) and value.get("source_url"):
            sources[fact] = value["source_url"]
    if item.get("redirect_source_url"):
        sources["redirect_url"] = item["redirect_source_url"]
    processing = item.get("processing_time")
    if isinstance(processing, dict) and processing.get("published") is False:
        sources["processing_time_published"] = False
    return sources


def _mode_set_elsewhere(service: Service) -> bool:
    """The service's joining mode differs from what the files said at the last load.

    A row loaded before the files' mode was recorded (empty) counts as set elsewhere: the
    load keeps its mode and reports the difference rather than guess.
    """
    return service.joining_mode != service.files_joining_mode


def _load_services(
    data: CatalogueData,
    changes: dict[str, _Tally],
    conflicts: list[dict[str, Any]],
    published: dict[tuple[str, str], dict[str, Any]],
) -> dict[str, Service]:
    counter = changes["services"]
    existing = {s.code: s for s in Service.objects.prefetch_related("depends_on")}
    loaded: dict[str, Service] = {}
    for item in data.services:
        lead = item.get("lead_time") or {}
        processing = item.get("processing_time") or {}
        values = {
            "kind": item["kind"],
            **_texts(item, "name", "name"),
            **_texts(item, "description", "description"),
            "authority_kind": item["authority_kind"],
            "authority_resolution": item.get(
                "authority_resolution", AuthorityResolution.SITE_MUNICIPALITY
            ),
            "legal_basis": item["legal_basis"],
            "source_url": item.get("source_url", ""),
            "legal_basis_url": item.get("legal_basis_url", ""),
            **_texts(item.get("fee") or {}, "text", "fee"),
            "fee_url": (item.get("fee") or {}).get("url", ""),
            "fee_amount_eur": _amount((item.get("fee") or {}).get("amount_eur")),
            **_texts(item.get("redress") or {}, "text", "redress"),
            "fact_sources": _fact_sources(item),
            "lead_time_days": lead.get("days"),
            "lead_time_unit": lead.get("unit", LeadTimeUnit.CALENDAR_DAYS),
            "processing_time_days": processing.get("days"),
            **_texts(processing, "note", "processing_time_note"),
            "joining_mode": item.get("joining_mode", JoiningMode.LIGHT),
            "redirect_url": item.get("redirect_url", ""),
            "integration_endpoint": item.get("integration_endpoint", ""),
            "form_schema": item.get("form_schema", {}),
            "shared_data_mapping": item.get("shared_data_mapping", {}),
            "attachments": _attachments(item),
            "ptv_id": item.get("ptv_id", ""),
            "active": True,
            "origin": Origin.FILES,
        }
        values["files_joining_mode"] = values["joining_mode"]
        keep_published(ChangeTarget.SERVICE, item["code"], values, published, conflicts)
        current = existing.get(item["code"])
        if current is not None and _mode_set_elsewhere(current):
            # A joining mode recorded by onboarding or the admin is kept, and said so.
            if current.joining_mode != values["joining_mode"]:
                conflicts.append(
                    {
                        "service": item["code"],
                        "field": "joining_mode",
                        "kept": current.joining_mode,
                        "files": values["joining_mode"],
                    }
                )
            values["joining_mode"] = current.joining_mode
        loaded[item["code"]] = _upsert(Service, existing, item["code"], values, counter)
    for item in data.services:
        service = loaded[item["code"]]
        wanted = [loaded[code] for code in item.get("depends_on", [])]
        _set_m2m(service.depends_on, wanted, counter, item["code"])
    removed = Service.objects.filter(origin=Origin.FILES, active=True).exclude(code__in=loaded)
    counter.extra["removed"] += removed.update(active=False)
    return loaded


def _load_packages(
    data: CatalogueData, services: dict[str, Service], changes: dict[str, _Tally]
) -> None:
    counter = changes["packages"]
    existing = {p.code: p for p in ServicePackage.objects.prefetch_related("services")}
    codes = []
    for position, item in enumerate(sorted(data.packages, key=lambda p: p.get("order", 0))):
        values = {
            **_texts(item, "name", "name"),
            **_texts(item, "description", "description"),
            "questionnaire": item["questionnaire"],
            "rules": item["rules"],
            "order": item.get("order", position),
            "active": True,
            "origin": Origin.FILES,
        }
        package = _upsert(ServicePackage, existing, item["code"], values, counter)
        wanted = [services[code] for code in item["services"]]
        _set_m2m(package.services, wanted, counter, item["code"])
        codes.append(item["code"])
    removed = ServicePackage.objects.filter(origin=Origin.FILES, active=True).exclude(
        code__in=codes
    )
    counter.extra["removed"] += removed.update(active=False)


@transaction.atomic
def catalogue_load(*, actor: Actor, directory: Path = DATA_DIR) -> CatalogueLoad:
    """Load the catalogue files into the database in one transaction and record the load.

    Raises CatalogueInvalid (nothing changed) when a file has a problem.
    """
    data = read_catalogue(directory)
    kinds = ("municipalities", "authorities", "vocabulary", "services", "packages")
    changes = {kind: _Tally() for kind in kinds}
    with bumps_deferred():  # one raise of the revision number, not one per saved row
        municipalities = _load_municipalities(data, changes)
        # What authorities published in Luvat is kept over the files, and reported.
        published = published_values()
        conflicts: list[dict[str, Any]] = []
        _load_authorities(data, municipalities, changes, conflicts, published)
        _load_vocabulary(data, changes)
        services = _load_services(data, changes, conflicts, published)
        _load_packages(data, services, changes)
        bump_revision()  # the bulk writes above send no signals
    summary: dict[str, Any] = {kind: tally.counts() for kind, tally in changes.items()}
    if conflicts:
        summary["conflicts"] = conflicts
    load = CatalogueLoad.objects.create(source=data.source, checksum=data.checksum, summary=summary)
    audit_record(actor=actor, action="catalogue.load", target=load, details=summary)
    return load
