"""Reading the audit log."""

from __future__ import annotations

from django.db import models

from luvat.audit.models import AccessEvent, AuditEvent
from luvat.audit.services import Target, target_ref


def audit_events_for(target: Target) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first (one query)."""
    target_type, target_id = target_ref(target)
    return AuditEvent.objects.filter(target_type=target_type, target_id=target_id)


def access_events_for_company(business_id: str, *, limit: int = 200) -> list[AccessEvent]:
    """Who has read this company's data, newest first (one query).

    The company's own people acting for it are included, so that they see the whole picture.
    """
    return list(AccessEvent.objects.filter(subject_business_id=business_id)[:limit])


def access_events_search(
    *,
    business_id: str = "",
    actor_ref: str = "",
    object_type: str = "",
    limit: int = 500,
) -> list[AccessEvent]:
    """Search the access log for the service-layer administrator (one query)."""
    events = AccessEvent.objects.all()
    if business_id:
        events = events.filter(subject_business_id=business_id)
    if actor_ref:
        events = events.filter(actor_ref=actor_ref)
    if object_type:
        events = events.filter(object_type=object_type)
    return list(events[:limit])
