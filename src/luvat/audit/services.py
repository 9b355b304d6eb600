"""Writing the audit log. Every service function that reads personal data or changes state calls
:func:`audit_record`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from luvat.audit.actors import Actor
from luvat.audit.context import current_request_context
from luvat.audit.models import AccessEvent, AuditEvent

Target = models.Model | tuple[str, object] | None


def target_ref(target: Target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    kind, ident = target
    return kind, str(ident)


@dataclass(frozen=True)
class Audited:
    """One action to append to the audit log with :func:`audit_record_many`."""

    action: str
    target: Target = None
    details: dict[str, Any] = field(default_factory=dict)


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: Target = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; ``target`` is a model instance or a ``(type, id)`` pair.

    Called inside the caller's transaction, so the record exists exactly when the change does.
    """
    return audit_record_many(actor=actor, entries=[Audited(action, target, details or {})])[0]


def audit_record_many(*, actor: Actor, entries: Sequence[Audited]) -> list[AuditEvent]:
    """Append the audit events of several actions by one actor in one statement."""
    context = current_request_context()
    rows = []
    for entry in entries:
        target_type, target_id = target_ref(entry.target)
        rows.append(
            AuditEvent(
                actor_kind=str(actor.kind),
                actor_ref=actor.ref,
                actor_label=actor.label,
                on_behalf_of=actor.on_behalf_of,
                action=entry.action,
                target_type=target_type,
                target_id=target_id,
                details=entry.details,
                request_id=context.request_id,
                ip_address=context.ip or None,
            )
        )
    if len(rows) == 1:
        rows[0].save(force_insert=True)
        return rows
    return AuditEvent.objects.bulk_create(rows)


def access_record(
    *,
    actor: Actor,
    object_type: str,
    object_id: object = "",
    purpose: str,
    subject_business_id: str = "",
    subject_person_ref: str = "",
    outcome: str = "allowed",
    x_road_client: str = "",
) -> AccessEvent:
    """Append one entry to the access log: ``actor`` read (or was refused) an object.

    ``subject_business_id`` is the company whose data it is; ``purpose`` the view or endpoint
    (e.g. ``"identity:access-log"``). Never pass a personal identity code in any field.
    """
    context = current_request_context()
    return AccessEvent.objects.create(
        actor_kind=str(actor.kind),
        actor_ref=actor.ref,
        actor_label=actor.label,
        actor_organisation=actor.on_behalf_of,
        subject_business_id=subject_business_id,
        subject_person_ref=subject_person_ref,
        object_type=object_type,
        object_id=str(object_id),
        purpose=purpose,
        outcome=outcome,
        x_road_client=x_road_client or context.x_road_client,
        request_id=context.request_id,
        ip_address=context.ip or None,
    )
