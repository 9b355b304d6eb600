"""The authority administrator's page of the authority's officials and their roles."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luvat.audit.actors import ActorKind
from luvat.identity.door import actor_from_request, require_actor
from luvat.identity.models import OfficialRole
from luvat.identity.officials import (
    RoleChangeRefused,
    official_role_grant,
    official_role_limit,
    official_role_revoke,
    person_find,
    service_codes_from,
)
from luvat.identity.policy import acting_authority, authorise, is_authority_administrator


@require_http_methods(["GET", "POST"])
@require_actor(ActorKind.OFFICIAL)
def official_roles(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    authority_code = acting_authority(actor)
    authorise(
        actor,
        is_authority_administrator(actor, authority_code),
        object_type="authority.officials",
        object_id=authority_code,
        purpose="identity:officials",
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "grant":
                person = person_find(request.POST.get("person", ""))
                if person is None:
                    raise RoleChangeRefused(
                        _("No such person: they must have logged in once (Virtu or Suomi.fi).")
                    )
                official_role_grant(
                    actor=actor,
                    authority_code=authority_code,
                    person=person,
                    service_codes=service_codes_from(request.POST.get("services", "")),
                    is_authority_admin=request.POST.get("admin") == "on",
                )
                messages.success(request, _("The role was granted."))
            else:
                role = get_object_or_404(
                    OfficialRole, pk=request.POST.get("role", "0"), authority_code=authority_code
                )
                if action == "revoke":
                    official_role_revoke(actor=actor, role=role)
                    messages.success(request, _("The role was revoked."))
                else:
                    official_role_limit(
                        actor=actor,
                        role=role,
                        service_codes=service_codes_from(request.POST.get("services", "")),
                        is_authority_admin=request.POST.get("admin") == "on",
                    )
                    messages.success(request, _("The role was changed."))
        except RoleChangeRefused as refused:
            messages.error(request, refused.reason)
        return redirect("identity:official-roles")
    roles = (
        OfficialRole.objects.filter(authority_code=authority_code)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )
    return render(
        request,
        "identity/official_roles.html",
        {"roles": list(roles), "authority_code": authority_code},
    )
