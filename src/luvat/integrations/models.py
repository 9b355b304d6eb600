"""Background work bookkeeping and the outbox of messages to authorities' systems."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running worker, refreshed while it runs; /readyz reports the freshest."""

    worker_id = models.CharField(_("worker"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now, db_index=True)
    in_process = models.BooleanField(_("runs inside the web process"), default=False)
    jobs_run = models.BigIntegerField(_("jobs run"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class OutboxKind(models.TextChoices):
    APPLICATION_SUBMITTED = "application.submitted", _("application submitted")
    APPLICATION_SUPPLEMENT = "application.supplement", _("supplement to an application")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("application withdrawn")
    SHARED_DATA_CHANGED = "shared_data.changed", _("shared data changed")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    DEAD = "dead", _("given up")


class OutboxMessage(models.Model):
    """A message to an authority's system, written in the same transaction as the change.

    Delivery (transports, retries, dead letters) belongs to the integrations issue; see
    :mod:`luvat.integrations.outbox`.
    """

    message_id = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, choices=OutboxKind.choices)
    authority_code = models.CharField(_("authority"), max_length=40, blank=True)
    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    application_reference = models.CharField(_("application reference"), max_length=30)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.application_reference} ({self.status})"
