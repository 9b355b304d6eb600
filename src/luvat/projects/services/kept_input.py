"""Keeping what a person typed into an application form when their session had ended, so that
a time-out never loses their work; they see it again after logging in and save it themselves."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.projects.models import Application, KeptFormInput

# How long the typed input waits for the person to log in again.
KEPT_FOR = timedelta(hours=24)
# Form fields that are not the person's input.
NOT_INPUT = frozenset({"csrfmiddlewaretoken", "then"})


@transaction.atomic
def form_input_keep(
    *, person_id: int, application: Application, fields: dict[str, list[str]]
) -> KeptFormInput:
    """Keep the posted fields against the person and the application (replacing older ones).

    The session had ended, so nobody is logged in: the service records itself as the actor
    and names the person whose signed cookie identified them."""
    kept, _created = KeptFormInput.objects.update_or_create(
        person_id=person_id,
        application=application,
        defaults={
            "fields": {k: v for k, v in fields.items() if k not in NOT_INPUT},
            "kept_at": timezone.now(),
        },
    )
    audit_record(
        actor=Actor.system("session-timeout"),
        action="application.form_input_kept",
        target=application,
        details={"person_id": person_id, "fields": sorted(kept.fields)},
    )
    return kept


def form_input_discard(*, person_id: int, application: Application) -> None:
    """Forget the kept fields once the person has saved the form (one statement)."""
    KeptFormInput.objects.filter(person_id=person_id, application=application).delete()
