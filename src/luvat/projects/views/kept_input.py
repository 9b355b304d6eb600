"""No typed work lost to a session time-out.

A customer who opens an application form gets a signed, HttpOnly cookie naming them (their
person id, nothing else). When the session has ended and they save the form anyway, the post
arrives anonymous: the fields are kept against that person and the application, and they are
sent to log in with the form as the page to come back to; the form then shows what they typed
until they save it. The cookie only says whose input to keep; it opens nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from luvat.projects.models import Application
from luvat.projects.services.kept_input import KEPT_FOR, form_input_keep
from luvat.projects.status import Status

COOKIE = "luvat_form_owner"
SALT = "luvat.projects.kept-input"

View = Callable[..., HttpResponse]


def _owner(request: HttpRequest) -> int | None:
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=KEPT_FOR)
    except (KeyError, BadSignature):
        return None
    return int(value) if value and value.isdigit() else None


def _keep_and_log_in(request: HttpRequest, project_id: UUID, application_id: UUID) -> HttpResponse:
    person_id = _owner(request)
    application = (
        Application.objects.filter(
            public_id=application_id, project__public_id=project_id, status=Status.DRAFT
        ).first()
        if person_id is not None
        else None
    )
    if person_id is not None and application is not None:
        fields = {name: request.POST.getlist(name) for name in request.POST}
        form_input_keep(person_id=person_id, application=application, fields=fields)
        messages.warning(
            request,
            _(
                "You were logged out because you had been idle for a while. What you typed was "
                "kept: log in again and you are taken back to the form."
            ),
        )
    else:
        messages.warning(request, _("You were logged out. Log in again to continue."))
    return redirect_to_login(request.get_full_path())


def keeps_typed_work(view: View) -> View:
    """Wrap an application form view (``project_id``, ``application_id``) outside its access
    check, which would send an anonymous post to log-in without its fields."""

    @wraps(view)
    def wrapped(request: HttpRequest, project_id: UUID, application_id: UUID, **kw: Any) -> Any:
        if request.method == "POST" and not request.user.is_authenticated:
            return _keep_and_log_in(request, project_id, application_id)
        response = view(request, project_id, application_id, **kw)
        person = getattr(request.user, "person", None)
        if person is not None and response.status_code < 400:
            response.set_signed_cookie(
                COOKIE,
                str(person.pk),
                salt=SALT,
                max_age=int(KEPT_FOR.total_seconds()),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return wrapped
