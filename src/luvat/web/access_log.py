"""The customer's access log in words: "Helsingin pelastuslaitos, official, opened your rescue
plan application" instead of internal identifiers.

One table of what each kind of object is called; the application's service and the
authority's name are looked up for the whole page at once (two queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luvat.audit.models import AccessEvent
from luvat.catalogue.models import Authority
from luvat.projects.models import Application

ROLES: dict[str, str | Promise] = {
    "customer": gettext_lazy("your company's user"),
    "official": gettext_lazy("official"),
    "administrator": gettext_lazy("service administrator"),
    "authority_system": gettext_lazy("authority's case system"),
    "system": gettext_lazy("the service itself"),
}
OBJECTS: dict[str, str | Promise] = {
    "application": gettext_lazy("an application"),
    "projects.application": gettext_lazy("an application"),
    "project": gettext_lazy("a project"),
    "company-projects": gettext_lazy("your projects"),
    "company": gettext_lazy("your company's data"),
    "discussion": gettext_lazy("a project's discussion"),
    "discussion_thread": gettext_lazy("a discussion"),
    "discussion_attachment": gettext_lazy("a discussion's attachment"),
    "access-log": gettext_lazy("this access log"),
    "supervision_events": gettext_lazy("your supervision events"),
    "supplement_request": gettext_lazy("a request for a supplement"),
    "onboarding.pilot_feedback": gettext_lazy("pilot feedback"),
    # An authority system's reads (luvat.integrations.api) and the door's refusals
    # (the objects apps name with luvat.identity.door.register_target).
    "projects.application.document": gettext_lazy("an application's document"),
    "projects.attachment": gettext_lazy("an application's attachment"),
    "submission": gettext_lazy("a receipt"),
    "supervision.event": gettext_lazy("a supervision event"),
    "discussion.thread": gettext_lazy("a discussion"),
    "discussion.attachment": gettext_lazy("a discussion's attachment"),
    "supplement-request": gettext_lazy("a request for a supplement"),
    "page": gettext_lazy("a page"),
}
DOCUMENT = "projects.application.document"
APPLICATION_TYPES = {"application", "projects.application", DOCUMENT}


@dataclass(frozen=True)
class ReadableAccess:
    occurred_at: datetime
    who: str
    organisation: str
    role: str
    what: str
    refused: bool

    @property
    def sentence(self) -> str:
        values = {"who": self.who, "role": self.role, "what": self.what}
        if self.organisation:
            values["who"] = (
                self.organisation if not self.who else f"{self.who} ({self.organisation})"
            )
        if self.refused:
            return _("%(who)s, %(role)s, tried to open %(what)s and was refused") % values
        return _("%(who)s, %(role)s, opened %(what)s") % values


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def readable_access_events(events: list[AccessEvent]) -> list[ReadableAccess]:
    """The events as sentences in the viewer's language (two queries for the whole page)."""
    ids = {
        parsed
        for e in events
        if e.object_type in APPLICATION_TYPES and (parsed := _uuid(e.object_id)) is not None
    }
    services = {str(public_id): name for public_id, name in _service_names(ids)}
    codes = {e.actor_organisation for e in events if e.actor_organisation}
    authorities = {a.code: a.name for a in Authority.objects.filter(code__in=codes)}
    rows = []
    for event in events:
        service = services.get(event.object_id)
        if service and event.object_type == DOCUMENT:
            what = _("the document of your application “%(service)s”") % {"service": service}
        elif service:
            what = _("your application “%(service)s”") % {"service": service}
        else:
            what = str(OBJECTS.get(event.object_type, event.object_type))
        rows.append(
            ReadableAccess(
                occurred_at=event.occurred_at,
                who=event.actor_label,
                organisation=authorities.get(event.actor_organisation, event.actor_organisation),
                role=str(ROLES.get(event.actor_kind, event.actor_kind)),
                what=what,
                refused=event.outcome == "denied",
            )
        )
    return rows


def _service_names(ids: set[UUID]) -> list[tuple[UUID, str]]:
    if not ids:
        return []
    applications = Application.objects.filter(public_id__in=ids).select_related("service")
    return [(a.public_id, a.service.name) for a in applications]
