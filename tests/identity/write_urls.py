"""A stand-in for a later app's write view, to test the mandate re-check before writes."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from luvat.audit.actors import ActorKind
from luvat.config.urls import urlpatterns as real_urlpatterns
from luvat.identity.door import require_actor


@require_actor(ActorKind.CUSTOMER, company=True)
@require_POST
def save_draft(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"saved for {request.actor.on_behalf_of}")  # type: ignore[attr-defined]


@require_actor(ActorKind.CUSTOMER, company=True)
def read_draft(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"read for {request.actor.on_behalf_of}")  # type: ignore[attr-defined]


urlpatterns = [
    path("test/save/", save_draft),
    path("test/read/", read_draft),
    *real_urlpatterns,
]
