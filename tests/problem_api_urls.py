"""A throw-away API with the production problem handlers, to exercise error paths."""

from django.urls import path
from ninja import NinjaAPI, Schema

from luvat.config.urls import urlpatterns as real_urlpatterns
from luvat.web.api_errors import ApiProblem, install_problem_handlers

api = NinjaAPI(urls_namespace="problem-test", docs_url=None)
install_problem_handlers(api)


class ThingIn(Schema):
    name: str
    count: int


@api.post("/things")
def create_thing(request, payload: ThingIn):
    return {"name": payload.name}


@api.get("/boom")
def boom(request):
    raise RuntimeError("kaboom")


@api.get("/conflict")
def conflict(request):
    raise ApiProblem(
        status=409, slug="invalid-transition", detail="Already closed.", current_status="closed"
    )


urlpatterns = [path("api/test/", api.urls), *real_urlpatterns]
