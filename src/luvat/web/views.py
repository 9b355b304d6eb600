"""Pages of the public web interface that belong to no bounded context."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from luvat.web.middleware import API_PREFIX
from luvat.web.problems import problem_response

HTML_ERRORS = {
    400: (
        _("Bad request"),
        _("The request could not be understood. Check the address or the form and try again."),
    ),
    403: (
        _("Access denied"),
        _(
            "You do not have permission to view this page. If you act for a company, check "
            "that you have chosen the right company."
        ),
    ),
    404: (
        _("Page not found"),
        _("The page you were looking for does not exist or has moved."),
    ),
    413: (
        _("Too much data"),
        _(
            "The form or file you sent is larger than the service accepts. Send less at a "
            "time and try again."
        ),
    ),
}
REASONS = {
    "unstorable": _(
        "The address or the form contains a character that cannot be stored (such as a NUL "
        "character). Remove it and try again."
    ),
}


def error_page(request: HttpRequest, status: int, *, reason: str = "") -> HttpResponse:
    """A friendly HTML error page in the user's language, or problem+json under /api/."""
    if request.path.startswith(API_PREFIX):
        detail = f"No API resource at {request.path}." if status == 404 else ""
        return problem_response(status=status, detail=detail, request=request)
    title, message = HTML_ERRORS[status]
    context = {"error_title": title, "error_message": REASONS.get(reason, message)}
    try:
        return render(request, "error_page.html", context, status=status)
    except Exception:
        return HttpResponse(
            loader.get_template("500.html").render({"request": request, **context}),
            status=status,
        )


def unavailable_page(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database (or another part the service needs) is out of reach."""
    from luvat.web.hostile import RETRY_AFTER_SECONDS

    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status=503,
            detail="The service is temporarily unavailable; try again later.",
            request=request,
            headers=headers,
        )
    # No context processors: they read the session and the user from the database.
    body = loader.get_template("503.html").render({"request": request})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = headers["Retry-After"]
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay logged in": a request that pushes the idle time-out forward (204), or 401 when
    the session has already ended."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its ``except`` block: the exception is still at hand, and one
    # that is the client's or the environment's fault gets its own answer (400/413/503).
    from luvat.web.hostile import response_for_exception

    exception = sys.exc_info()[1]
    if exception is not None:
        answer = response_for_exception(request, exception)
        if answer is not None:
            return answer
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status=500, detail="The server failed to handle the request.", request=request
        )
    # No context processors: they may be what failed.
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)
