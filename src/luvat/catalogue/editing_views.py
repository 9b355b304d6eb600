"""Pages for authorities keeping their own entries: propose, review, versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from luvat.audit.actors import ActorKind
from luvat.catalogue.editing import (
    AUTHORITY_FIELDS,
    SERVICE_FIELDS,
    ChangedSinceProposal,
    ChangeInvalid,
    ReviewRefused,
    can_propose,
    catalogue_change_propose,
    catalogue_change_review,
    changes_to_review,
    target_for,
)
from luvat.catalogue.models import (
    Authority,
    CatalogueChange,
    CatalogueVersion,
    ChangeTarget,
    Service,
)
from luvat.identity.door import ActorRequest, require_actor
from luvat.identity.policy import authorise


def field_labels() -> dict[str, str]:
    return {
        "phone": _("Phone"),
        "email": _("E-mail"),
        "visiting_address": _("Visiting address"),
        "postal_address": _("Postal address"),
        "website": _("Web page"),
        "processing_time_days": _("Processing time (days)"),
        "fee_fi": _("Fee in Finnish"),
        "fee_sv": _("Fee in Swedish"),
        "fee_en": _("Fee in English"),
        "fee_url": _("Fee tariff (https address)"),
    }


def _edit(request: ActorRequest, kind: str, code: str) -> HttpResponse:
    try:
        target = target_for(kind, code)
    except ObjectDoesNotExist:
        raise Http404 from None
    actor = request.actor
    authorise(
        actor,
        can_propose(actor, target),
        object_type=f"catalogue.{kind}",
        object_id=code,
        purpose="edit a catalogue entry",
    )
    fields = AUTHORITY_FIELDS if kind == ChangeTarget.AUTHORITY else SERVICE_FIELDS
    entry: Authority | Service = (
        Authority.objects.get(code=code)
        if kind == ChangeTarget.AUTHORITY
        else Service.objects.get(code=code)
    )
    current = {f: getattr(entry, f) if getattr(entry, f) is not None else "" for f in fields}
    values: dict[str, Any] = dict(current)
    problems: dict[str, str] = {}
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in fields}
        try:
            catalogue_change_propose(actor=actor, target=target, values=values)
        except ChangeInvalid as invalid:
            problems = invalid.problems
        else:
            messages.success(request, _("The change waits for a second person's review."))
            return redirect("catalogue:changes")
    labels = field_labels()
    rows = [
        {"name": f, "label": labels[f], "value": values[f], "problem": problems.get(f, "")}
        for f in fields
    ]
    context = {
        "entry": entry,
        "kind": kind,
        "rows": rows,
        "problem": problems.get("__all__", ""),
    }
    return render(request, "catalogue/entry_edit.html", context, status=400 if problems else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(ActorKind.OFFICIAL, ActorKind.ADMINISTRATOR)
def authority_edit(request: ActorRequest, code: str) -> HttpResponse:
    return _edit(request, ChangeTarget.AUTHORITY, code)


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(ActorKind.OFFICIAL, ActorKind.ADMINISTRATOR)
def service_edit(request: ActorRequest, code: str) -> HttpResponse:
    return _edit(request, ChangeTarget.SERVICE, code)


def _diff_rows(change: CatalogueChange) -> list[dict[str, Any]]:
    labels = field_labels()
    return [
        {"label": labels.get(f, f), "old": change.previous.get(f, ""), "new": new}
        for f, new in change.values.items()
        if new != change.previous.get(f, "")
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(ActorKind.OFFICIAL, ActorKind.ADMINISTRATOR)
def change_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        change = CatalogueChange.objects.filter(pk=request.POST.get("change", "0")).first()
        if change is None:
            raise Http404
        try:
            version = catalogue_change_review(
                actor=actor, change=change, approve=request.POST.get("decision") == "approve"
            )
        except ChangedSinceProposal as moved:
            labels = field_labels()
            changed = ", ".join(
                f"{labels.get(f, f)}: {old or '-'} → {now or '-'}"
                for f, (old, now) in moved.difference.items()
            )
            messages.error(
                request,
                _("The entry was changed after this proposal (%(changed)s); propose again.")
                % {"changed": changed},
            )
        except ReviewRefused as refused:
            messages.error(request, str(refused))
        else:
            if version is None:
                messages.success(request, _("The change was rejected."))
            else:
                messages.success(
                    request,
                    _("Published as catalogue version %(number)s.") % {"number": version.number},
                )
        return redirect("catalogue:changes")
    pending = [{"change": c, "diff": _diff_rows(c)} for c in changes_to_review(actor)]
    return render(request, "catalogue/change_list.html", {"pending": pending})


@require_safe
def version_list(request: HttpRequest) -> HttpResponse:
    labels = field_labels()
    versions = [
        {
            "version": v,
            "diff": [
                {"label": labels.get(f, f), "old": old, "new": new}
                for f, (old, new) in v.diff.items()
            ],
        }
        for v in CatalogueVersion.objects.select_related("change")[:100]
    ]
    return render(request, "catalogue/version_list.html", {"versions": versions})
