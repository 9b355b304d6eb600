"""Authorities keep their own catalogue entries: propose a change, a second person reviews it.

An authority administrator proposes new contact details for their own authority, or new
facts (processing time, fee) for a service their authority alone provides (the only valid
authority of the service's kind, e.g. Tukes). The change is published when a *different*
person approves it: another administrator of the same authority or a service-layer
administrator. Publishing writes the values, records an immutable ``CatalogueVersion``
(who, when, field → [old, new]) and an audit event. If the entry changed after the
proposal, the review is refused with the difference, so a second editor never overwrites
the first unseen. Values are checked with the same rules as the data-file loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import (
    Authority,
    CatalogueChange,
    CatalogueVersion,
    ChangeStatus,
    ChangeTarget,
    Service,
)
from luvat.identity.policy import authorise, is_administrator, is_authority_administrator

AUTHORITY_FIELDS = ("phone", "email", "visiting_address", "postal_address", "website")
SERVICE_FIELDS = ("processing_time_days", "fee_fi", "fee_sv", "fee_en", "fee_url")
# The loader's rules (catalogue/schemas.py): the same patterns and lengths.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")
_HTTPS = re.compile(r"^https://\S+$")
_MAX = {"phone": 40, "visiting_address": 300, "postal_address": 300, "website": 500}
_MAX.update({"fee_fi": 500, "fee_sv": 500, "fee_en": 500, "fee_url": 500})


class ChangeInvalid(Exception):
    """The proposed values break the catalogue rules; nothing was saved."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


class ChangedSinceProposal(Exception):
    """Someone published a change to the same entry after this one was proposed."""

    def __init__(self, difference: dict[str, list[Any]]) -> None:
        super().__init__(", ".join(difference))
        self.difference = difference  # field → [value when proposed, value now]


class ReviewRefused(Exception):
    """The proposer may not approve their own change, or the change is already decided."""


@dataclass(frozen=True)
class Target:
    kind: str  # ChangeTarget
    code: str
    authority_code: str


def service_owner(service: Service) -> str:
    """The code of the one authority providing ``service``, or "" when several do."""
    today = timezone.localdate()
    codes = list(
        Authority.objects.filter(kind=service.authority_kind)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("code", flat=True)[:2]
    )
    return codes[0] if len(codes) == 1 else ""


def _current(target: Target) -> dict[str, Any]:
    fields = AUTHORITY_FIELDS if target.kind == ChangeTarget.AUTHORITY else SERVICE_FIELDS
    model = Authority if target.kind == ChangeTarget.AUTHORITY else Service
    row = model.objects.values(*fields).get(code=target.code)
    return {field: row[field] if row[field] is not None else "" for field in fields}


def _clean(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    fields = AUTHORITY_FIELDS if kind == ChangeTarget.AUTHORITY else SERVICE_FIELDS
    problems: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field in fields:
        value = values.get(field, "")
        value = value.strip() if isinstance(value, str) else value
        if field == "processing_time_days":
            if value in ("", None):
                cleaned[field] = ""
                continue
            try:
                days = int(value)
            except (TypeError, ValueError):
                problems[field] = _("Enter a whole number of days.")
                continue
            if not 0 <= days <= 3650:
                problems[field] = _("Enter between 0 and 3650 days.")
            cleaned[field] = days
            continue
        if len(value) > _MAX.get(field, 254):
            problems[field] = _("Too long.")
        elif field == "email" and value and not _EMAIL.match(value):
            problems[field] = _("Enter a valid e-mail address.")
        elif field in ("website", "fee_url") and value and not _HTTPS.match(value):
            problems[field] = _("Enter an https:// address.")
        cleaned[field] = value
    if kind == ChangeTarget.SERVICE and any(cleaned[f] for f in ("fee_fi", "fee_sv", "fee_en")):
        for field in ("fee_fi", "fee_sv", "fee_en"):
            if not cleaned[field]:
                problems[field] = _("Give the fee in Finnish, Swedish and English.")
    if problems:
        raise ChangeInvalid(problems)
    return cleaned


def target_for(kind: str, code: str) -> Target:
    """The entry and the authority that owns it (404-style LookupError when unknown)."""
    if kind == ChangeTarget.AUTHORITY:
        authority = Authority.objects.get(code=code)
        return Target(ChangeTarget.AUTHORITY, authority.code, authority.code)
    service = Service.objects.get(code=code)
    return Target(ChangeTarget.SERVICE, service.code, service_owner(service))


def can_propose(actor: Actor, target: Target) -> bool:
    if is_administrator(actor):
        return True
    return bool(target.authority_code) and is_authority_administrator(actor, target.authority_code)


def can_review(actor: Actor, change: CatalogueChange) -> bool:
    if actor.ref == change.proposed_by:
        return False
    return is_administrator(actor) or is_authority_administrator(actor, change.authority_code)


@transaction.atomic
def catalogue_change_propose(
    *, actor: Actor, target: Target, values: dict[str, Any]
) -> CatalogueChange:
    """Record a proposed change to an authority's or service's facts, for review."""
    authorise(
        actor,
        can_propose(actor, target),
        object_type=f"catalogue.{target.kind}",
        object_id=target.code,
        purpose="propose a catalogue change",
    )
    cleaned = _clean(target.kind, values)
    previous = _current(target)
    if cleaned == previous:
        raise ChangeInvalid({"__all__": _("Nothing was changed.")})
    change = CatalogueChange.objects.create(
        target_type=target.kind,
        target_code=target.code,
        authority_code=target.authority_code,
        values=cleaned,
        previous=previous,
        proposed_by=actor.ref,
        proposed_by_label=actor.label,
    )
    audit_record(actor=actor, action="catalogue.change.propose", target=change)
    return change


@transaction.atomic
def catalogue_change_review(
    *, actor: Actor, change: CatalogueChange, approve: bool
) -> CatalogueVersion | None:
    """Publish (with a new catalogue version) or reject a proposed change."""
    change = CatalogueChange.objects.select_for_update().get(pk=change.pk)
    authorise(
        actor,
        is_administrator(actor) or is_authority_administrator(actor, change.authority_code),
        object_type="catalogue.change",
        object_id=change.pk,
        purpose="review a catalogue change",
    )
    if change.status != ChangeStatus.PROPOSED:
        raise ReviewRefused(_("This change has already been decided."))
    if actor.ref == change.proposed_by:
        raise ReviewRefused(_("A second person must review the change."))
    change.reviewed_by = actor.ref
    change.reviewed_at = timezone.now()
    if not approve:
        change.status = ChangeStatus.REJECTED
        change.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        audit_record(actor=actor, action="catalogue.change.reject", target=change)
        return None
    target = Target(change.target_type, change.target_code, change.authority_code)
    model = Authority if target.kind == ChangeTarget.AUTHORITY else Service
    row = model.objects.select_for_update().get(code=target.code)
    now = _current(target)
    moved = {f: [change.previous[f], now[f]] for f in now if now[f] != change.previous[f]}
    if moved:
        raise ChangedSinceProposal(moved)
    diff = {f: [now[f], v] for f, v in change.values.items() if v != now[f]}
    for field, (_old, new) in diff.items():
        setattr(row, field, None if field == "processing_time_days" and new == "" else new)
    update = list(diff)
    if isinstance(row, Authority):
        # A fact now given by the authority is no longer "not found".
        row.not_found = [f for f in (row.not_found or []) if f not in diff or not diff[f][1]]
        update.append("not_found")
    elif "processing_time_days" in diff:
        sources = dict(row.fact_sources or {})
        sources.pop("processing_time_published", None)
        row.fact_sources = sources
        update.append("fact_sources")
    row.save(update_fields=update)
    change.status = ChangeStatus.PUBLISHED
    change.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    number = (CatalogueVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CatalogueVersion.objects.create(
        number=number, change=change, published_by=actor.ref, diff=diff
    )
    audit_record(
        actor=actor,
        action="catalogue.change.publish",
        target=change,
        details={"version": number, "fields": sorted(diff)},
    )
    return version


def changes_to_review(actor: Actor) -> list[CatalogueChange]:
    """Proposed changes the actor may review (not their own)."""
    changes = CatalogueChange.objects.filter(status=ChangeStatus.PROPOSED).exclude(
        proposed_by=actor.ref
    )
    if not is_administrator(actor):
        if not actor.on_behalf_of or not is_authority_administrator(actor, actor.on_behalf_of):
            return []
        changes = changes.filter(authority_code=actor.on_behalf_of)
    return list(changes[:200])


def published_values() -> dict[tuple[str, str], dict[str, Any]]:
    """The latest value published in Luvat of every field, per (target type, code).

    The catalogue loader keeps these over the data files and reports the difference.
    """
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for version in CatalogueVersion.objects.select_related("change").order_by("number"):
        key = (version.change.target_type, version.change.target_code)
        for field, (_old, new) in version.diff.items():
            latest.setdefault(key, {})[field] = new
    return latest


def keep_published(
    kind: str,
    code: str,
    values: dict[str, Any],
    published: dict[tuple[str, str], dict[str, Any]],
    conflicts: list[dict[str, Any]],
) -> None:
    """Overwrite the file ``values`` of one entry with what was published in Luvat."""
    for field, value in published.get((kind, code), {}).items():
        kept = None if field == "processing_time_days" and value == "" else value
        if values.get(field) != kept:
            conflicts.append({kind: code, "field": field, "kept": kept, "files": values.get(field)})
        values[field] = kept
        if kind == ChangeTarget.AUTHORITY and kept:
            values["not_found"] = [f for f in values.get("not_found", []) if f != field]
        if field == "processing_time_days" and kept is not None:
            values["fact_sources"] = {
                k: v for k, v in values["fact_sources"].items() if k != "processing_time_published"
            }
