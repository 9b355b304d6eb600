"""What a person typed into an application form when their session had ended."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.projects.models.applications import Application


class KeptFormInput(models.Model):
    """The form's fields as posted (name → list of values), kept against the person and the
    application until the person logs in again and saves the form. Never applied on its own:
    the person sees it in the form and saves it themselves, under a fresh log-in."""

    person = models.ForeignKey(
        "identity.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="+"
    )
    fields = models.JSONField(_("fields as typed"), default=dict)
    kept_at = models.DateTimeField(_("kept at"), default=timezone.now)

    class Meta:
        verbose_name = _("form input kept over a log-out")
        verbose_name_plural = _("form inputs kept over a log-out")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "application"], name="projects_one_kept_input_per_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.person_id}"
