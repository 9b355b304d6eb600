"""The change-metrics page (charts and tables), its CSV export and the baseline form."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luvat.identity.door import require_actor
from luvat.identity.policy import is_administrator
from luvat.onboarding import services
from luvat.onboarding.access import can_manage_joining
from luvat.onboarding.charts import bar_chart
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.forms import BaselineForm, MetricsFilterForm
from luvat.onboarding.metrics import DECIMALS, MetricsReport, attach_baselines, figure, measure
from luvat.onboarding.models import Joining, Metric, ServiceJoining
from luvat.onboarding.selectors import baselines_for, default_period
from luvat.onboarding.views.common import actor, joining_for, put_error
from luvat.onboarding.views.joinings import STAFF


def _report(
    request: HttpRequest, joining: Joining
) -> tuple[MetricsFilterForm, MetricsReport | None, ServiceJoining | None]:
    service_joinings = list(
        ServiceJoining.objects.filter(joining=joining).select_related("service")
    )
    form = MetricsFilterForm(
        request.GET or None,
        services=[(sj.service.code, sj.service.name) for sj in service_joinings],
    )
    if form.is_bound and not form.is_valid():
        form.mark_invalid()
        return form, None, None
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    chosen = next((sj for sj in service_joinings if sj.service.code == data.get("service")), None)
    start, end = default_period(chosen)
    start = data.get("start") or start
    end = data.get("end") or end
    report = measure(
        authority_code=joining.authority.code,
        service_code=chosen.service.code if chosen else "",
        start=start,
        end=end,
    )
    attach_baselines(report, baselines_for(joining, chosen))
    return form, report, chosen


def _page(
    request: HttpRequest, joining: Joining, baseline_form: BaselineForm | None = None
) -> HttpResponse:
    form, report, chosen = _report(request, joining)
    context: dict[str, Any] = {
        "joining": joining,
        "form": form,
        "report": report,
        "chosen": chosen,
        "section": "metrics",
        "is_admin": is_administrator(actor(request)),
        "can_manage": can_manage_joining(actor(request), joining.authority.code),
        "baseline_form": baseline_form or BaselineForm(),
        "query": request.GET.urlencode(),
    }
    if report is not None and report.has_data:
        labels = [row.month for row in report.months]
        context["applications_chart"] = bar_chart(
            chart_id="chart-applications",
            title=_("Applications per month"),
            labels=labels,
            values=[row.applications for row in report.months],
        )
        context["decision_chart"] = bar_chart(
            chart_id="chart-decision",
            title=_("Median days from submission to decision, by month of submission"),
            labels=labels,
            values=[row.median_days_to_decision for row in report.months],
            decimals=DECIMALS,
        )
    status = 422 if (baseline_form is not None or report is None) else 200
    return render(request, "onboarding/metrics.html", context, status=status)


@require_safe
@require_actor(*STAFF)
def metrics(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, joining_for(request, code))


@require_safe
@require_actor(*STAFF)
def metrics_csv(request: HttpRequest, code: str) -> HttpResponse:
    joining = joining_for(request, code)
    _form, report, _chosen = _report(request, joining)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="metrics-{code}.csv"'
    writer = csv.writer(response)
    if report is None:
        writer.writerow(["error", _("Check the period.")])
        response.status_code = 422
        return response
    part = request.GET.get("part", "")
    if part == "months":
        writer.writerow(["month", "applications", "median_days_to_decision"])
        for row in report.months:
            writer.writerow([row.month, row.applications, figure(row.median_days_to_decision)])
        return response
    writer.writerow(["metric", "label", "before", "target", "after", "basis", "from", "to"])
    for key, value in report.values.items():
        writer.writerow(
            [
                key,
                str(Metric(key).label),
                "" if value.baseline is None else value.baseline,
                "" if value.target is None else value.target,
                figure(value.value),
                value.basis,
                report.start.isoformat(),
                report.end.isoformat(),
            ]
        )
    return response


@require_POST
@require_actor(*STAFF)
def baseline(request: HttpRequest, code: str) -> HttpResponse:
    joining = joining_for(request, code, manage=True)
    form = BaselineForm(request.POST)
    service_code = request.GET.get("service", "")
    chosen = ServiceJoining.objects.filter(joining=joining, service__code=service_code).first()
    if form.is_valid():
        try:
            services.baseline_set(
                joining=joining, service_joining=chosen, actor=actor(request), **form.cleaned_data
            )
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The baseline was saved."))
            url = reverse("onboarding:metrics", args=[code])
            query = request.GET.urlencode()
            return HttpResponseRedirect(f"{url}?{query}" if query else url)
    form.mark_invalid()
    return _page(request, joining, baseline_form=form)
