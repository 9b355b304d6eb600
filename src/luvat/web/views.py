"""Pages of the public web interface that belong to no bounded context."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

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
}


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """A friendly HTML error page in the user's language, or problem+json under /api/."""
    if request.path.startswith(API_PREFIX):
        detail = f"No API resource at {request.path}." if status == 404 else ""
        return problem_response(status=status, detail=detail, request=request)
    title, message = HTML_ERRORS[status]
    context = {"error_title": title, "error_message": message}
    return render(request, "error_page.html", context, status=status)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
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
