"""A multipart body Django cannot read is answered with a clear 400, never a 500.

Django refuses a part whose headers pass 1 KiB (a file name of about 1,000 characters) and
other malformed bodies with ``MultiPartParserError``; under the API that used to escape as a
server error. The body is parsed here, once, so pages get a friendly page in the user's
language and ``/api/`` gets problem+json.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from luvat.uploads.inspect import MAX_NAME_LENGTH
from luvat.web.problems import problem_response


def _message(error: MultiPartParserError) -> str:
    if "header size" in str(error):
        return _(
            "The upload could not be read: a file name may be at most %(limit)d characters. "
            "Rename the file and try again."
        ) % {"limit": MAX_NAME_LENGTH}
    return _("The upload could not be read. Choose the file again and send the form again.")


class MultipartErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parse now, while the error can still be answered
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as error:
                # Too big or too many parts: the one answer of web.hostile (413).
                from luvat.web.hostile import response_for_exception

                answer = response_for_exception(request, error)
                assert answer is not None  # noqa: S101 - these are always a 413
                return answer
            except MultiPartParserError as error:
                message = _message(error)
                if request.path.startswith("/api/"):
                    return problem_response(
                        status=400, slug="upload-unreadable", detail=message, request=request
                    )
                context = {
                    "error_title": _("The upload could not be read"),
                    "error_message": message,
                }
                return render(request, "error_page.html", context, status=400)
        return self.get_response(request)
