"""Shared pieces of onboarding's views: finding the joining and checking access."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from luvat.audit.actors import Actor
from luvat.identity.door import actor_from_request
from luvat.identity.policy import authorise
from luvat.onboarding.access import can_manage_joining, can_read_joining
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.forms import OnboardingForm
from luvat.onboarding.models import Joining, ServiceJoining
from luvat.onboarding.selectors import joining_by_code, service_joining_by_codes


def actor(request: HttpRequest) -> Actor:
    return getattr(request, "actor", None) or actor_from_request(request)


def joining_for(request: HttpRequest, code: str, *, manage: bool = False) -> Joining:
    """The authority's joining if the actor may read (or ``manage``) it: 404 / 403 otherwise."""
    who = actor(request)
    allowed = can_manage_joining(who, code) if manage else can_read_joining(who, code)
    authorise(who, allowed, object_type="onboarding.joining", object_id=code, purpose="onboarding")
    joining = joining_by_code(code)
    if joining is None:
        raise Http404
    return joining


def service_joining_for(
    request: HttpRequest, code: str, service_code: str, *, manage: bool = False
) -> ServiceJoining:
    joining_for(request, code, manage=manage)
    service_joining = service_joining_by_codes(code, service_code)
    if service_joining is None:
        raise Http404
    return service_joining


def put_error(form: OnboardingForm, error: OnboardingError) -> None:
    """Show a service function's refusal next to its field (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    form.mark_invalid()
