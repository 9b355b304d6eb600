"""An inforequest, the authorities it is addressed to (each answers on its own) and the files
the customer attached to the question and each authority to its answer."""

from __future__ import annotations

import secrets
import uuid
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.projects.models.projects import REFERENCE_ALPHABET

if TYPE_CHECKING:
    from luvat.catalogue.models import Service


def new_inforequest_reference() -> str:
    """A short, unguessable reference such as ``N-2026-7KQ2XM`` (read aloud on the phone)."""
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"N-{timezone.localdate().year}-{suffix}"


class Inforequest(models.Model):
    """A company's question about a planned project to one or several authorities."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_inforequest_reference
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The project's company, kept on the row so that selectors filter by the policy's
    # company_q without a join.
    business_id = models.CharField(_("business ID"), max_length=9)
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"))
    # The project's shared data told with the question (vocabulary code → value), as it was.
    shared_data = models.JSONField(
        _("project data told with the question"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    asked_by = models.CharField(_("asked by"), max_length=128, blank=True)
    asked_by_label = models.CharField(_("asked by (name)"), max_length=200, blank=True)

    if TYPE_CHECKING:
        addressees: models.Manager[Addressee]
        attachments: models.Manager[InforequestAttachment]

    class Meta:
        verbose_name = _("inforequest")
        verbose_name_plural = _("inforequests")
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["business_id", "-asked_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.reference})"


class Addressee(models.Model):
    """One authority asked in an inforequest, with its answer and the application the answer
    became. Each authority sees and answers only its own row."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    inforequest = models.ForeignKey(
        Inforequest,
        verbose_name=_("inforequest"),
        on_delete=models.CASCADE,
        related_name="addressees",
    )
    authority = models.ForeignKey(
        "catalogue.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The permits of this authority the question is about: what the answer can become, and
    # which officials see it when their role is limited to some services.
    services: models.ManyToManyField[Service, models.Model] = models.ManyToManyField(
        "catalogue.Service", verbose_name=_("permits asked about"), blank=True, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=128, blank=True)
    answered_by_label = models.CharField(_("answered by (name)"), max_length=200, blank=True)
    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application made from the answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("made into an application at"), null=True, blank=True)

    class Meta:
        verbose_name = _("asked authority")
        verbose_name_plural = _("asked authorities")
        ordering = ["inforequest", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inforequest", "authority"], name="inforequest_authority_once"
            )
        ]
        indexes = [models.Index(fields=["authority", "answered_at"])]

    if TYPE_CHECKING:
        attachments: models.Manager[InforequestAttachment]

    def __str__(self) -> str:
        return f"{self.inforequest_id} → {self.authority_id}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


def inforequest_attachment_path(instance: InforequestAttachment, filename: str) -> str:
    # The stored name carries no user input: a random name in a dated folder.
    return f"inforequests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class InforequestAttachment(models.Model):
    """A file the customer attached to the question, or (with ``addressee``) an asked
    authority to its answer; checked by content like every upload and served only through a
    view that asks the policy (another authority never sees an answer's files)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    inforequest = models.ForeignKey(
        Inforequest,
        verbose_name=_("inforequest"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # The answer this file belongs to; None: the customer's question.
    addressee = models.ForeignKey(
        Addressee,
        verbose_name=_("answer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=inforequest_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.CharField(_("uploaded by"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("inforequest attachment")
        verbose_name_plural = _("inforequest attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
