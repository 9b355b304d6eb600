"""The back office's own records of an application: the authority's case file (its case
reference and the inbox's due date), supplement requests with the customer's answers, and the
decision with its document. Applications themselves belong to the projects context."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.projects.status import Outcome

# The inbox's order: nearest due first, cases without a due date last (on both databases), then
# by id. The keyset pagination and the indexes below use this one expression.
NO_DUE_DATE = date(9999, 12, 31)


def inbox_due() -> Coalesce:
    return Coalesce(F("due_on"), Value(NO_DUE_DATE))


class DueKind(models.TextChoices):
    DECISION = "decision", _("decision due")
    SUPPLEMENT = "supplement", _("supplement due")


class CaseFile(models.Model):
    """One application as its authority's inbox sees it.

    Kept in step with the application by a status listener (every status change, whoever makes
    it), so that the inbox filters and sorts on one indexed table however many cases there are.
    """

    application = models.OneToOneField(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="case_file",
    )
    authority_code = models.CharField(_("authority code"), max_length=40)
    service_code = models.CharField(_("service code"), max_length=80)
    municipality_code = models.CharField(_("site municipality"), max_length=3, blank=True)
    status = models.CharField(_("status"), max_length=30)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_kind = models.CharField(_("due"), max_length=20, choices=DueKind.choices, blank=True)
    case_reference = models.CharField(_("authority's case reference"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        # Each inbox view reads its page in order from one of these (no sort, no OFFSET).
        indexes = [
            models.Index(F("authority_code"), inbox_due(), F("id"), name="casefile_inbox"),
            models.Index(
                F("authority_code"), F("status"), inbox_due(), F("id"), name="casefile_inbox_status"
            ),
            models.Index(
                F("authority_code"),
                F("service_code"),
                inbox_due(),
                F("id"),
                name="casefile_inbox_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority_code}: {self.application_id}"


class SupplementRequest(models.Model):
    """The authority asks the customer for more; the processing clock stands still until the
    customer answers."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="supplement_requests",
    )
    text = models.TextField(_("what is asked"))
    due_on = models.DateField(_("answer by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by_ref = models.CharField(_("requested by"), max_length=128)
    requested_by_label = models.CharField(_("requested by (name)"), max_length=200, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by_ref = models.CharField(_("answered by"), max_length=128, blank=True)
    answered_by_label = models.CharField(_("answered by (name)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(answered_at__isnull=True),
                name="backoffice_one_open_supplement_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


def decision_path(instance: Decision, filename: str) -> str:
    # No user input in the stored name.
    return f"decisions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Decision(models.Model):
    """The authority's decision on an application, with its document where there is one."""

    application = models.OneToOneField(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("decision document"), upload_to=decision_path, blank=True)
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_size = models.PositiveBigIntegerField(_("size"), default=0)
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # A decision reported by the authority's own system: its document stays there.
    document_url = models.URLField(_("decision document address"), max_length=1000, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by_ref = models.CharField(_("recorded by"), max_length=128)
    recorded_by_label = models.CharField(_("recorded by (name)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class SubmissionWindowReminder(models.Model):
    """The company was told once that an application's submission window closes soon."""

    application = models.ForeignKey(
        "projects.Application", on_delete=models.CASCADE, related_name="+"
    )
    latest_submission = models.DateField(_("last day to submit"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("submission window reminder")
        verbose_name_plural = _("submission window reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "latest_submission"], name="backoffice_window_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} by {self.latest_submission}"
