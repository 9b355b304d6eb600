"""Stored permit-need assessments. The result's JSON shape is documented in
``luvat.assessment.results`` (module docstring); projects turn a stored result into a project.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.catalogue.models import ServicePackage


class Assessment(models.Model):
    """One run of a package's questionnaire: the answers given and the result shown."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    package = models.ForeignKey(
        ServicePackage,
        verbose_name=_("service package"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    answers = models.JSONField(_("answers"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    language = models.CharField(_("language"), max_length=2)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("permit-need assessment")
        verbose_name_plural = _("permit-need assessments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.package.code} {self.public_id}"
