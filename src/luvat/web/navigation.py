"""The header's navigation by role, and where each role lands after log-in.

One table per role of what the header offers; the pages themselves still check access
(``identity.policy``), so a link here never grants anything. Built from the session alone:
no query is made for the header on any page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luvat.identity import sessions


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    current: bool = False


@dataclass(frozen=True)
class _Entry:
    label: str | Promise
    url_name: str
    by_authority: bool = False  # the URL takes the official's authority code
    anchor: str = ""
    app_label: str = ""  # an admin application index


COMPANY = (
    _Entry(_("Projects"), "projects:list"),
    _Entry(_("Permit assessment"), "assessment:packages"),
    _Entry(_("Supervision"), "supervision:company"),
    _Entry(_("Discussion"), "discussion:index"),
    _Entry(_("Notifications"), "notifications:list"),
    _Entry(_("Access log"), "identity:access-log"),
    _Entry(_("Change company"), "identity:choose"),
)
OFFICIAL = (
    _Entry(_("Inbox"), "backoffice:inbox"),
    _Entry(_("Supervision"), "supervision:official"),
    _Entry(_("Discussion"), "discussion:index"),
    _Entry(_("Metrics"), "onboarding:metrics", by_authority=True),
    _Entry(_("Notifications"), "notifications:list"),
)
AUTHORITY_ADMINISTRATOR = (
    _Entry(_("Onboarding"), "onboarding:joining", by_authority=True),
    _Entry(_("Catalogue entries"), "catalogue:authority-detail", by_authority=True),
    _Entry(_("Officials' roles"), "onboarding:joining", by_authority=True, anchor="roles"),
)
SERVICE_ADMINISTRATOR = (
    _Entry(_("Onboarding board"), "onboarding:board"),
    _Entry(_("Catalogue"), "admin:app_list", app_label="catalogue"),
    _Entry(_("Outbox"), "admin:integrations_outboxmessage_changelist"),
    _Entry(_("Administration"), "admin:index"),
)
SWITCH_ROLE = _Entry(_("Change role"), "identity:choose")


def _entries(state: dict[str, str]) -> tuple[_Entry, ...]:
    kind = state.get("kind")
    if kind == sessions.CUSTOMER and state.get("business_id"):
        return COMPANY
    if kind == sessions.OFFICIAL and state.get("authority_code"):
        extra = AUTHORITY_ADMINISTRATOR if state.get("authority_admin") else ()
        return (*OFFICIAL, *extra, SWITCH_ROLE)
    if kind == sessions.ADMINISTRATOR:
        return (*SERVICE_ADMINISTRATOR, SWITCH_ROLE)
    return ()


def _url(entry: _Entry, state: dict[str, str]) -> str:
    if entry.app_label:
        url = reverse(entry.url_name, kwargs={"app_label": entry.app_label})
    elif entry.by_authority:
        url = reverse(entry.url_name, kwargs={"code": state["authority_code"]})
    else:
        url = reverse(entry.url_name)
    return f"{url}#{entry.anchor}" if entry.anchor else url


def nav_items(request: HttpRequest) -> list[NavItem]:
    """The header links for whoever is logged in on this request; the longest link that is a
    prefix of the current path is marked current."""
    state = sessions.acting(request) if getattr(request, "user", None) else {}
    if not state or not request.user.is_authenticated:
        return []
    items = [(entry.label, _url(entry, state)) for entry in _entries(state)]
    path = request.path
    matches = [url for _label, url in items if "#" not in url and path.startswith(url)]
    current = max(matches, key=len) if matches else ""
    return [NavItem(label=label, url=url, current=url == current) for label, url in items]


def landing_url(request: HttpRequest) -> str:
    """The person's work after log-in: projects for a company, the inbox for an official,
    the onboarding board for a service-layer administrator."""
    kind = sessions.acting(request).get("kind")
    if kind == sessions.OFFICIAL:
        return reverse("backoffice:inbox")
    if kind == sessions.ADMINISTRATOR:
        return reverse("onboarding:board")
    if kind == sessions.CUSTOMER:
        return reverse("projects:list")
    return reverse("identity:account")
