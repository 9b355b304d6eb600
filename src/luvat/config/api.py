"""The HTTP API, version 1, mounted at /api/v1/. Each bounded context adds its router here."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from luvat.assessment.api import router as assessment_router
from luvat.catalogue.api import router as authority_router
from luvat.identity.api import router as identity_router
from luvat.identity.door import refusal_response
from luvat.identity.policy import MandateMissing, RoleMissing
from luvat.inforequests.api import router as inforequests_router
from luvat.inforequests.authority_api import router as asked_inforequests_router
from luvat.integrations.api import router as integrations_router
from luvat.onboarding.api import router as statistics_router
from luvat.projects.api import router as projects_router
from luvat.web.api_errors import install_problem_handlers
from luvat.web.hostile import StrictJsonParser
from luvat.web.openapi_errors import declare_problem_responses


class LuvatAPI(NinjaAPI):
    """ninja's API, whose OpenAPI document also declares every operation's problem responses."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        declare_problem_responses(schema)
        return schema


api = LuvatAPI(
    title="Luvat API",
    version="1",
    description=(
        "HTTP API of the Luvat permit and supervision service layer. Errors are "
        "RFC 9457 problem details (application/problem+json) with a stable `type`; "
        "see docs/api-errors.md."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    parser=StrictJsonParser(),
)
install_problem_handlers(api)
# A mandate or role lost since log-in: the same answer as the door gives (luvat.identity.door).
api.add_exception_handler(MandateMissing, refusal_response)  # type: ignore[arg-type]
api.add_exception_handler(RoleMissing, refusal_response)  # type: ignore[arg-type]

api.add_router("/identity/", identity_router)
api.add_router("/", assessment_router)
api.add_router("/authorities", authority_router)
api.add_router("/projects/", projects_router)
api.add_router("/applications/", integrations_router)
api.add_router("/inforequests/", inforequests_router)
api.add_router("/authority-inforequests/", asked_inforequests_router)
api.add_router("/lead-times", statistics_router)
