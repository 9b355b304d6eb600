"""Applications (asiointi), their status history, attachments and submissions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.audit.appendonly import AppendOnlyModel
from luvat.catalogue.models import JoiningMode
from luvat.projects.models.projects import Project
from luvat.projects.status import Outcome, Status

if TYPE_CHECKING:
    from luvat.catalogue.models import Authority, Service  # noqa: F401


class Application(models.Model):
    """A project's case with one service. ``status`` caches the newest :class:`StatusEvent`."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="applications"
    )
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "catalogue.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # The authority's own status (its vocabulary, catalogue.AuthorityStatus) that its system
    # last told within the public status; cleared by a change of status that names none.
    authority_status = models.ForeignKey(
        "catalogue.AuthorityStatus",
        verbose_name=_("authority's own status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    form_data = models.JSONField(
        _("form data"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    # The shared data the authority holds: the submission snapshot's, then each propagated change.
    shared_data_sent = models.JSONField(
        _("shared data sent"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    redirected_at = models.DateTimeField(_("sent to the authority's e-service at"), null=True)
    # The customer's word that they applied in the authority's own e-service, with the
    # reference it gave them, so that the official finds the case.
    elsewhere_reference = models.CharField(
        _("reference in the authority's e-service"), max_length=100, blank=True
    )
    applied_elsewhere_at = models.DateTimeField(
        _("applied in the authority's e-service at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The way the application goes, fixed when it is started: the authority's joining mode for
    # the service in force then (onboarding may change it for later applications). Empty: the
    # catalogue's mode of the service.
    joining_mode = models.CharField(
        _("joining mode"), max_length=20, choices=JoiningMode.choices, blank=True
    )
    # The inforequest this application was made from, frozen when it was made: the question,
    # the authority's answer and when (see projects.services.applications.PriorExchange).
    # Shown with the application and sent with its snapshot; empty for most applications.
    prior_exchange = models.JSONField(
        _("inforequest exchange"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["project", "id"]
        constraints = [
            # A project holds one live application per service; dropped ones stay as history.
            models.UniqueConstraint(
                fields=["project", "service"],
                condition=~Q(status__in=["cancelled", "withdrawn"]),
                name="one_live_application_per_service",
            )
        ]
        indexes = [models.Index(fields=["authority", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def exchange(self) -> dict[str, Any]:
        """:attr:`prior_exchange` with its times as datetimes, for the pages."""
        exchange: dict[str, Any] = dict(self.prior_exchange or {})
        for key in ("asked_at", "answered_at"):
            if exchange.get(key):
                exchange[key] = datetime.fromisoformat(exchange[key])
        files = exchange.get("files") or []
        exchange["question_files"] = [f for f in files if f.get("part") == "question"]
        exchange["answer_files"] = [f for f in files if f.get("part") == "answer"]
        return exchange

    @property
    def route(self) -> str:
        """The joining mode this application goes by (see ``joining_mode``)."""
        return self.joining_mode or self.service.joining_mode


def goes_by(mode: str, prefix: str = "") -> Q:
    """Applications whose route (:attr:`Application.route`) is ``mode``; ``prefix`` reaches
    them through a relation (e.g. ``"application__"``)."""
    return Q(**{f"{prefix}joining_mode": mode}) | Q(
        **{f"{prefix}joining_mode": "", f"{prefix}service__joining_mode": mode}
    )


def authority_has(prefix: str = "") -> Q:
    """Applications their authority has (the one definition of "the authorities of a
    project"): addressed to an authority, not cancelled, and past the draft, except where the
    joining mode lets the authority see drafts (the customer fills them in its own e-service)."""
    from luvat.catalogue.joining import modes_where

    sees_drafts = Q()
    for mode in sorted(modes_where(authority_sees_drafts=True)):
        sees_drafts |= goes_by(mode, prefix)
    return (
        Q(**{f"{prefix}authority__isnull": False})
        & ~Q(**{f"{prefix}status": "cancelled"})
        & (~Q(**{f"{prefix}status": "draft"}) | sees_drafts)
    )


class EventSource(models.TextChoices):
    CUSTOMER = "customer", _("customer")
    OFFICIAL = "official", _("official")
    AUTHORITY_SYSTEM = "authority_system", _("authority system")
    SYSTEM = "system", _("service layer")


class StatusEvent(AppendOnlyModel):
    """One status change of an application: who, when, why, from where. Kept forever."""

    append_only_label = "status events"

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="status_events",
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=30, choices=Status.choices, blank=True
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, choices=EventSource.choices)
    actor_ref = models.CharField(_("actor"), max_length=128, blank=True)
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    authority_status = models.ForeignKey(
        "catalogue.AuthorityStatus",
        verbose_name=_("authority's own status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["application", "occurred_at", "id"])]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.status}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name carries no user input: a random name in a dated folder.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an application, checked by content; served only through a view."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    code = models.CharField(_("attachment type"), max_length=80)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.CharField(_("uploaded by"), max_length=128, blank=True)
    # When the file reached the authority (the application's submission or a supplement's
    # answer): from then on it is evidence and is never removed or replaced
    # (luvat.projects.evidence). Empty: still the customer's working copy.
    receipted_at = models.DateTimeField(_("receipted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SubmissionKind(models.TextChoices):
    APPLICATION = "application", _("application")
    SHARED_DATA_CHANGE = "shared_data_change", _("change of shared data")


class Submission(models.Model):
    """A frozen snapshot sent to the authority, and the customer's receipt for it."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SubmissionKind.choices)
    reference = models.CharField(_("reference number"), max_length=40, unique=True)
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    snapshot = models.JSONField(_("snapshot"), encoder=DjangoJSONEncoder)
    sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64)
    submitted_by = models.CharField(_("submitted by"), max_length=128, blank=True)
    submitted_by_label = models.CharField(_("submitted by (name)"), max_length=200, blank=True)
    # A change of shared data is acknowledged by its authority once (backoffice.acts).
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by_ref = models.CharField(_("acknowledged by"), max_length=128, blank=True)
    acknowledged_by_label = models.CharField(
        _("acknowledged by (name)"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["arrived_at", "id"]
        constraints = [
            # However many tabs or retries: one application submission per application.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="application"),
                name="one_application_submission",
            )
        ]
        indexes = [
            # The inbox's "changes to acknowledge": only the changes still waiting, so asking
            # whether any wait reads this small index, not every submission.
            models.Index(
                fields=["application", "arrived_at"],
                condition=Q(kind="shared_data_change", acknowledged_at__isnull=True),
                name="submission_change_waiting",
            )
        ]

    def __str__(self) -> str:
        return self.reference
