"""Reading the audit log."""

from __future__ import annotations

from django.db import models

from luvat.audit.models import AuditEvent
from luvat.audit.services import Target, target_ref


def audit_events_for(target: Target) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first (one query)."""
    target_type, target_id = target_ref(target)
    return AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
