"""The open lead-time page and its CSV (no log-in; limited per client address)."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from luvat.onboarding.leadtimes import DEFAULT_QUARTERS, MAX_QUARTERS, lead_times
from luvat.onboarding.metrics import figure
from luvat.web.ratelimits import address_key, limited


def _quarters(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("quarters", DEFAULT_QUARTERS))
    except ValueError:
        return DEFAULT_QUARTERS
    return max(1, min(value, MAX_QUARTERS))


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    refused = limited(request, "public", address_key(request))
    if refused is not None:
        return refused
    chosen = _quarters(request)
    table = lead_times(quarters=chosen)
    return render(
        request,
        "onboarding/lead_times.html",
        {
            "table": table,
            "period": f"{table.quarters[-1].label}\u2013{table.quarters[0].label}",
            "chosen": chosen,
            "choices": range(1, MAX_QUARTERS + 1),
        },
    )


@require_safe
def page_csv(request: HttpRequest) -> HttpResponse:
    refused = limited(request, "public", address_key(request))
    if refused is not None:
        return refused
    table = lead_times(quarters=_quarters(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lead-times.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["authority", "service", "quarter", "suppressed", "decided", "median_days", "p90_days"]
    )
    for cell in table.cells:
        writer.writerow(
            [
                cell.authority_code,
                cell.service_code,
                cell.quarter,
                "true" if cell.suppressed else "false",
                "" if cell.decided is None else cell.decided,
                figure(cell.median_days),
                figure(cell.p90_days),
            ]
        )
    return response
