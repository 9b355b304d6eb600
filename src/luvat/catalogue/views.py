"""The public authority directory (viranomaisten yhteystiedot)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from luvat.catalogue.editing import can_propose, target_for
from luvat.catalogue.models import AuthorityKind, ChangeTarget, Municipality
from luvat.catalogue.selectors import authority_detail, authority_search
from luvat.identity.door import actor_from_request

PAGE_SIZE = 25


@require_safe
def authority_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    municipality = request.GET.get("municipality", "")
    include_former = request.GET.get("former") == "1"
    errors = {}
    if kind and kind not in AuthorityKind.values:
        errors["kind"] = _("Choose a kind from the list.")
        kind = ""
    municipalities = sorted(Municipality.objects.all(), key=lambda m: m.name)
    if municipality and municipality not in {m.code for m in municipalities}:
        errors["municipality"] = _("Choose a municipality from the list.")
        municipality = ""
    authorities = authority_search(
        query=query, kind=kind, municipality_code=municipality, include_former=include_former
    )
    page = Paginator(authorities, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": query,
        "kind": kind,
        "municipality": municipality,
        "include_former": include_former,
        "kinds": AuthorityKind.choices,
        "municipalities": municipalities,
        "errors": errors,
        "params": params.urlencode(),
    }
    return render(request, "catalogue/authority_list.html", context)


@require_safe
def authority_page(request: HttpRequest, code: str) -> HttpResponse:
    authority = authority_detail(code)
    if authority is None:
        raise Http404
    served = sorted(authority.municipalities.all(), key=lambda m: m.name)
    predecessors = sorted(authority.predecessors.all(), key=lambda a: a.name)
    labels = {
        "phone": _("Phone"),
        "email": _("E-mail"),
        "visiting_address": _("Visiting address"),
        "postal_address": _("Postal address"),
        "website": _("Web page"),
        "e_service": _("E-service"),
    }
    not_found = [labels[f] for f in authority.not_found or [] if f in labels]
    context = {
        "authority": authority,
        "served": served,
        "predecessors": predecessors,
        "not_found": not_found,
        "can_edit": can_propose(
            actor_from_request(request), target_for(ChangeTarget.AUTHORITY, authority.code)
        ),
    }
    return render(request, "catalogue/authority_detail.html", context)
