"""The authority's own status vocabulary: listed to its staff, declared by its administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luvat.catalogue.statuses import authority_status_declare, statuses_of
from luvat.identity.door import require_actor
from luvat.identity.policy import is_administrator
from luvat.onboarding.access import can_manage_joining
from luvat.onboarding.forms import AuthorityStatusForm
from luvat.onboarding.views.common import actor, joining_for
from luvat.onboarding.views.joinings import STAFF


@require_http_methods(["GET", "POST"])
@require_actor(*STAFF)
def statuses(request: HttpRequest, code: str) -> HttpResponse:
    joining = joining_for(request, code, manage=request.method == "POST")
    form = AuthorityStatusForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                authority_status_declare(
                    actor=actor(request), authority=joining.authority, **form.cleaned_data
                )
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        if not form.errors:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("onboarding:statuses", args=[code]))
        form.mark_invalid()
    return render(
        request,
        "onboarding/statuses.html",
        {
            "joining": joining,
            "section": "statuses",
            "statuses": statuses_of(joining.authority),
            "form": form if can_manage_joining(actor(request), code) else None,
            "is_admin": is_administrator(actor(request)),
        },
        status=422 if form.errors else 200,
    )
