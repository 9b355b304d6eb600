"""The go-live checklist: recording an item's progress and evidence, adding own items."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from luvat.identity.door import require_actor
from luvat.onboarding import services
from luvat.onboarding.access import can_manage_joining
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.forms import ChecklistItemForm, OwnItemForm
from luvat.onboarding.models import ChecklistItem, Joining, ServiceJoining
from luvat.onboarding.selectors import checklist_item
from luvat.onboarding.views.common import actor, joining_for, put_error
from luvat.onboarding.views.joinings import STAFF


def _return_url(joining: Joining, item: ChecklistItem | None) -> str:
    if item is not None and item.service_joining is not None:
        return reverse(
            "onboarding:service",
            args=[joining.authority.code, item.service_joining.service.code],
        )
    return reverse("onboarding:joining", args=[joining.authority.code]) + "#checklist"


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(*STAFF)
def item_edit(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    manage = request.method == "POST"
    joining = joining_for(request, code, manage=manage)
    item = checklist_item(joining, item_id)
    if item is None:
        raise Http404
    if request.method == "POST":
        form = ChecklistItemForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.checklist_item_update(
                    item=item,
                    actor=actor(request),
                    owner=data["owner"],
                    state=data["state"],
                    evidence_note=data["evidence_note"],
                    evidence_link=data["evidence_link"],
                    evidence_file=data["evidence_file"],
                    remove_file=data["remove_file"],
                    done_on=data["done_on"],
                )
            except OnboardingError as error:
                put_error(form, error)
            else:
                messages.success(request, _("The checklist item was saved."))
                return HttpResponseRedirect(_return_url(joining, item))
        form.mark_invalid()
        status = 422
    else:
        form = ChecklistItemForm(
            initial={
                "owner": item.owner,
                "state": item.state,
                "evidence_note": item.evidence_note,
                "evidence_link": item.evidence_link,
                "done_on": item.done_on,
            }
        )
        status = 200
    context = {
        "joining": joining,
        "item": item,
        "form": form,
        "section": "joining",
        "can_manage": can_manage_joining(actor(request), code),
        "back_url": _return_url(joining, item),
    }
    return render(request, "onboarding/item.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(*STAFF)
def item_add(request: HttpRequest, code: str) -> HttpResponse:
    joining = joining_for(request, code, manage=True)
    choices = [
        (str(sj.pk), sj.service.name)
        for sj in ServiceJoining.objects.filter(joining=joining).select_related("service")
    ]
    form = OwnItemForm(request.POST or None, services=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            target = None
            if data["service_joining"]:
                target = ServiceJoining.objects.get(pk=int(data["service_joining"]))
            try:
                item = services.checklist_item_add(
                    joining=joining,
                    title=data["title"],
                    mandatory=data["mandatory"],
                    owner=data["owner"],
                    service_joining=target,
                    actor=actor(request),
                )
            except OnboardingError as error:
                put_error(form, error)
            else:
                messages.success(request, _("The item was added to the checklist."))
                return HttpResponseRedirect(_return_url(joining, item))
        form.mark_invalid()
        status = 422
    context = {"joining": joining, "form": form, "section": "joining"}
    return render(request, "onboarding/item_add.html", context, status=status)


@require_safe
@require_actor(*STAFF)
def evidence(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    joining = joining_for(request, code)
    item = checklist_item(joining, item_id)
    if item is None or not item.evidence_file:
        raise Http404
    response = FileResponse(
        item.evidence_file.open("rb"),
        as_attachment=True,
        filename=item.evidence_file_name or "evidence",
        content_type=item.evidence_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A streamed file; require_actor's signature speaks of HttpResponse.
    return response  # type: ignore[return-value]
