"""The project (hanke) and its shared data (yhteiset tiedot)."""

from __future__ import annotations

import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from luvat.projects.models.applications import Application

# Crockford-style alphabet without look-alikes (no I, L, O, U): references are read aloud on
# the phone to an official.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_project_reference() -> str:
    """A short, unguessable, human-readable project reference such as ``H-2026-7KQ2XM``."""
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"H-{timezone.localdate().year}-{suffix}"


class Project(models.Model):
    """A company's set of applications driven forward together (hanke)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_project_reference
    )
    business_id = models.CharField(_("business ID"), max_length=9)
    company_name = models.CharField(_("company name"), max_length=300, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    package = models.ForeignKey(
        "catalogue.ServicePackage",
        verbose_name=_("service package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessment_result_id = models.UUIDField(_("assessment result"), null=True, blank=True)
    assessment_answers = models.JSONField(
        _("assessment answers"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    # The schedule and site drive deadlines and authority resolution; they mirror the
    # shared-data fields named in luvat.projects.vocabulary and are updated with them.
    starts_on = models.DateField(_("activity starts on"), null=True, blank=True)
    ends_on = models.DateField(_("activity ends on"), null=True, blank=True)
    municipality_code = models.CharField(_("site municipality"), max_length=3, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.CharField(_("created by"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    if TYPE_CHECKING:
        applications: models.Manager[Application]
        shared_values: models.Manager[SharedDataValue]

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["business_id", "-updated_at"])]
        constraints = [
            # One project per company and assessment: a double submit creates one project.
            models.UniqueConstraint(
                fields=["business_id", "assessment_result_id"],
                condition=models.Q(assessment_result_id__isnull=False),
                name="one_project_per_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"


class Provenance(models.TextChoices):
    CUSTOMER = "customer", _("typed by the customer")
    COMPANY_REGISTER = "company_register", _("from the company register")
    ASSESSMENT = "assessment", _("from the permit-need assessment")


class SharedDataValue(models.Model):
    """One shared-data field's value in one project, with where it came from and when."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="shared_values"
    )
    field = models.ForeignKey(
        "catalogue.VocabularyField",
        verbose_name=_("field"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.JSONField(_("value"), encoder=DjangoJSONEncoder, null=True)
    provenance = models.CharField(_("provenance"), max_length=20, choices=Provenance.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.CharField(_("changed by"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("shared-data value")
        verbose_name_plural = _("shared-data values")
        constraints = [
            models.UniqueConstraint(fields=["project", "field"], name="shared_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.field_id}={self.value!r}"

    @property
    def display_value(self) -> Any:
        return self.value
