"""The words of each kind of notification, rendered once per language when published."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luvat.notifications.models import NotificationKind

TEMPLATES: dict[str, tuple[Promise, Promise]] = {
    NotificationKind.STATUS_CHANGED: (
        _("%(application)s: %(status)s"),
        _(
            "The status of the application “%(application)s” in the project “%(project)s” is now: "
            "%(status)s."
        ),
    ),
    NotificationKind.SUPPLEMENT_REQUESTED: (
        _("Supplement requested: %(application)s"),
        _(
            "%(authority)s asks you to supplement the application “%(application)s” by "
            "%(due_date)s.\n\n%(text)s"
        ),
    ),
    NotificationKind.DECISION_MADE: (
        _("Decision made: %(application)s"),
        _("%(authority)s has made a decision on the application “%(application)s”: %(outcome)s."),
    ),
    NotificationKind.NEW_MESSAGE: (
        _("New message: %(thread)s"),
        _("%(author)s wrote in “%(thread)s” of the project “%(project)s”:\n\n%(excerpt)s"),
    ),
    NotificationKind.SUBMISSION_WINDOW_CLOSING: (
        _("Submit by %(date)s: %(application)s"),
        _(
            "The application “%(application)s” of the project “%(project)s” should be submitted "
            "by %(date)s so that it can be decided in time."
        ),
    ),
    NotificationKind.SUPERVISION_EVENT: (
        _("%(change)s: %(title)s, %(when)s"),
        _(
            "%(authority)s: %(title)s (%(kind)s), %(when)s.\nPlace: %(place)s\n"
            "What to prepare: %(preparation)s"
        ),
    ),
    NotificationKind.EMAIL_UNDELIVERABLE: (
        _("E-mail to %(address)s cannot be delivered"),
        _(
            "The mail server of %(address)s refused our e-mail (%(reason)s), so no more "
            "notifications are sent there. Check the address or enter another one in your "
            "notification settings."
        ),
    ),
    NotificationKind.NEW_APPLICATION: (
        _("New application: %(application)s"),
        _(
            "The application “%(application)s” (%(reference)s) of the project “%(project)s” has "
            "come to %(authority)s."
        ),
    ),
    NotificationKind.APPLICATION_WITHDRAWN: (
        _("Withdrawn: %(application)s"),
        _(
            "The customer withdrew the application “%(application)s” (%(reference)s) of the "
            "project “%(project)s”."
        ),
    ),
    NotificationKind.SHARED_DATA_CHANGED: (
        _("Shared data changed: %(project)s"),
        _(
            "The customer changed the shared data of the project “%(project)s”, which has the "
            "application “%(application)s” (%(reference)s) at %(authority)s. Changed: %(fields)s."
        ),
    ),
    NotificationKind.INFOREQUEST_ASKED: (
        _("Inforequest: %(subject)s"),
        _(
            "%(company)s asks %(authority)s about the planned project “%(project)s” "
            "(%(reference)s):\n\n%(excerpt)s"
        ),
    ),
    NotificationKind.INFOREQUEST_ANSWERED: (
        _("Answer to your inforequest: %(subject)s"),
        _(
            "%(authority)s has answered your inforequest “%(subject)s” (%(reference)s) about the "
            "project “%(project)s”. You can make the answer an application with one click."
        ),
    ),
}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _resolve(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if callable(value):
        return str(value())
    return value


def render_all(kind: str, params: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``{language: {"title", "body"}}`` for every language of the service.

    Parameter values may be lazy translations or callables (evaluated in each language, e.g.
    a date formatted for that language).
    """
    title_template, body_template = TEMPLATES[kind]
    texts: dict[str, dict[str, str]] = {}
    for code in language_codes():
        with translation.override(code):
            values = {name: _resolve(value) for name, value in params.items()}
            texts[code] = {
                "title": (str(title_template) % values)[:300],
                "body": str(body_template) % values,
            }
    return texts
