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


class JobLease(models.Model):
    """The schedule of a job that runs once per cluster: the worker whose conditional update
    moves ``next_run_at`` past now runs the period; the others see it taken."""

    name = models.CharField(_("job"), max_length=200, primary_key=True)
    next_run_at = models.DateTimeField(_("next run at"), default=timezone.now)
    holder = models.CharField(_("last run by"), max_length=200, blank=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job lease")
        verbose_name_plural = _("job leases")

    def __str__(self) -> str:
        return self.name


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


class TransportKind(models.TextChoices):
    HTTP = "http", _("HTTP (X-Road REST)")
    AMQP = "amqp", _("AMQP (RabbitMQ)")


class AuthorityEndpoint(models.Model):
    """Where and how the applications of one authority's API-integrated services are delivered.

    A service names its endpoint by ``code`` (``Service.integration_endpoint``); when it
    names none, the authority's enabled endpoint is used.
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    authority_code = models.SlugField(_("authority code"), max_length=40, db_index=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    transport = models.CharField(
        _("transport"), max_length=10, choices=TransportKind.choices, default=TransportKind.HTTP
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_(
            "HTTP: the address that receives the documents, or the base address of our own "
            "X-Road security server when an X-Road service is given."
        ),
    )
    xroad_client = models.CharField(
        _("X-Road client"),
        max_length=200,
        blank=True,
        help_text=_("INSTANCE/CLASS/MEMBER/SUBSYSTEM of the service layer, sent as X-Road-Client"),
    )
    xroad_service = models.CharField(
        _("X-Road service"),
        max_length=300,
        blank=True,
        help_text=_("INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path] of the authority's service"),
    )
    signing_secret_encrypted = models.TextField(_("signing secret (encrypted)"), blank=True)
    connect_timeout_seconds = models.FloatField(_("connect timeout (s)"), default=5.0)
    read_timeout_seconds = models.FloatField(_("read timeout (s)"), default=30.0)
    verify_tls = models.BooleanField(_("verify TLS certificates"), default=True)
    ca_bundle = models.CharField(
        _("CA bundle file"),
        max_length=500,
        blank=True,
        help_text=_("path of a PEM file of trusted CAs; empty uses the system's"),
    )
    amqp_exchange = models.CharField(
        _("AMQP exchange"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("empty means <prefix>.applications (LUVAT_AMQP_PREFIX)"),
    )
    amqp_queue = models.CharField(
        _("AMQP queue"),
        max_length=200,
        blank=True,
        help_text=_("durable queue of this authority; empty means <prefix>.<authority code>"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    endpoint_changed_at = models.DateTimeField(_("address last changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("authority endpoint")
        verbose_name_plural = _("authority endpoints")
        ordering = ["authority_code", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.authority_code}, {self.transport})"

    @property
    def queue_name(self) -> str:
        from luvat.integrations.transports.topology import topology

        return self.amqp_queue or topology().authority_queue(self.authority_code)


class EndpointCircuit(models.Model):
    """The circuit breaker of one endpoint; a row of its own so admin edits never clobber it."""

    endpoint = models.OneToOneField(
        AuthorityEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="circuit",
    )
    status = models.CharField(_("status"), max_length=10, default="closed")
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    last_failure = models.TextField(_("last failure"), blank=True)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)

    class Meta:
        verbose_name = _("circuit breaker")
        verbose_name_plural = _("circuit breakers")

    def __str__(self) -> str:
        return f"{self.endpoint_id}: {self.status}"


class InboundOutcome(models.TextChoices):
    APPLIED = "applied", _("moved the application")
    PLACED = "placed", _("placed in the history (arrived late)")
    UNCHANGED = "unchanged", _("already in that state")


class InboundEvent(models.Model):
    """A status event an authority system reported, kept once per (authority, event id)."""

    authority_code = models.CharField(_("authority"), max_length=40)
    event_id = models.CharField(_("sender's event id"), max_length=100)
    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="inbound_events",
    )
    type = models.CharField(_("type"), max_length=30)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=InboundOutcome.choices)
    status_before = models.CharField(_("status before"), max_length=30)
    status_after = models.CharField(_("status after"), max_length=30)
    case_reference = models.CharField(_("case reference"), max_length=100, blank=True)
    transport = models.CharField(_("transport"), max_length=10, default="http")
    body = models.JSONField(_("event"))

    class Meta:
        verbose_name = _("status event from an authority system")
        verbose_name_plural = _("status events from authority systems")
        ordering = ["application", "occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority_code", "event_id"], name="inbound_event_once_per_sender"
            )
        ]
        indexes = [models.Index(fields=["application", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.authority_code}:{self.event_id} {self.type}"


class ConformanceRun(models.Model):
    """A run of the conformance kit against an authority's endpoint, with its report."""

    authority_code = models.CharField(_("authority"), max_length=40, db_index=True)
    endpoint_url = models.CharField(_("endpoint"), max_length=500)
    transport = models.CharField(_("transport"), max_length=10)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        verbose_name = _("conformance run")
        verbose_name_plural = _("conformance runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        verdict = "pass" if self.passed else "fail"
        return f"{self.authority_code} {self.started_at:%Y-%m-%d %H:%M} {verdict}"
