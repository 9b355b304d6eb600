"""Pages of the public web interface that belong to no bounded context."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe

from luvat.web.middleware import API_PREFIX
from luvat.web.problems import problem_response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status=404, detail=f"No API resource at {request.path}.", request=request
        )
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status=500, detail="The server failed to handle the request.", request=request
        )
    # No context processors: they may be what failed.
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return problem_response(status=400, request=request)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return problem_response(status=403, request=request)
    return render(request, "403.html", status=403)
