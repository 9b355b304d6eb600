"""The iCalendar feed: public at a secret per-company address, no log-in (calendar apps poll it)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from luvat.supervision.ical import company_calendar
from luvat.supervision.selectors import calendar_feed_events


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = calendar_feed_events(token)
    if found is None:
        raise Http404("no such calendar")
    feed, events = found
    language = request.GET.get("lang", "fi")
    if language not in ("fi", "sv", "en"):
        language = "fi"
    body = company_calendar(feed.business_id, events, language=language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="supervision-{feed.business_id}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
