"""The audit log: an append-only record of who did what to which object, and when."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.audit.appendonly import AppendOnlyError, AppendOnlyModel

__all__ = ["AccessEvent", "AppendOnlyError", "AuditEvent"]


class AuditEvent(AppendOnlyModel):
    append_only_label = "audit events"

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=32)
    actor_ref = models.CharField(_("actor"), max_length=128, blank=True)
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "occurred_at"]),
            models.Index(fields=["actor_kind", "actor_ref", "occurred_at"]),
        ]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M:%S}"
        return f"{when} {self.action} {self.target_type}:{self.target_id}"


class AccessEvent(AppendOnlyModel):
    append_only_label = "access events"

    """One read of personal data or of a company's objects (the use and disclosure log).

    ``subject_business_id`` is the company whose data was read, so that a customer can see
    who has accessed their company's data; ``purpose`` names the view or endpoint.
    """

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=32)
    actor_ref = models.CharField(_("actor"), max_length=128, blank=True)
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    actor_organisation = models.CharField(_("actor's organisation"), max_length=64, blank=True)
    subject_business_id = models.CharField(
        _("company accessed"), max_length=9, blank=True, db_index=True
    )
    subject_person_ref = models.CharField(_("person accessed"), max_length=128, blank=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose or view"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, default="allowed")
    x_road_client = models.CharField(_("X-Road client"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["subject_business_id", "occurred_at"]),
            models.Index(fields=["actor_kind", "actor_ref", "occurred_at"]),
            models.Index(fields=["object_type", "object_id", "occurred_at"]),
        ]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M:%S}"
        return f"{when} {self.actor_label or self.actor_ref} read {self.object_type}"
