"""The session middleware: an idle time-out without a database write on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` pushes the expiry forward by saving the session on
every request (a write and a commit per page view). Here a session is saved when a view
changed it, and otherwise at most once a minute (:data:`REFRESH_SECONDS`): the time of the
last save is kept in the session itself. So a session still ends after
``SESSION_COOKIE_AGE`` (``LUVAT_SESSION_IDLE_MINUTES``) without requests, give or take up to a
minute earlier; a request that does not read the session at all (a probe, a static file)
neither refreshes nor loads it.
"""

from __future__ import annotations

import time

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse

SAVED_AT = "luvat.saved_at"
REFRESH_SECONDS = 60


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - int(session.get(SAVED_AT, 0)) >= REFRESH_SECONDS:
                session[SAVED_AT] = now  # marks it modified: Django saves it below
        return super().process_response(request, response)
