"""Background work bookkeeping. The outbox joins this module with the integrations issue."""

from __future__ import annotations

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
        _("AMQP exchange"), max_length=200, default="luvat.applications"
    )
    amqp_queue = models.CharField(
        _("AMQP queue"),
        max_length=200,
        blank=True,
        help_text=_("durable queue of this authority; empty means luvat.<authority code>"),
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
        return self.amqp_queue or f"luvat.{self.authority_code}"


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
