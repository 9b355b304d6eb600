"""The HTTP API, version 1, mounted at /api/v1/. Each bounded context adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

from luvat.assessment.api import router as assessment_router
from luvat.catalogue.api import router as authority_router
from luvat.identity.api import router as identity_router
from luvat.integrations.api import router as integrations_router
from luvat.projects.api import router as projects_router
from luvat.web.api_errors import install_problem_handlers

api = NinjaAPI(
    title="Luvat API",
    version="1",
    description=(
        "HTTP API of the Luvat permit and supervision service layer. Errors are "
        "RFC 9457 problem details (application/problem+json) with a stable `type`; "
        "see docs/api-errors.md."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_problem_handlers(api)

api.add_router("/identity/", identity_router)
api.add_router("/", assessment_router)
api.add_router("/authorities", authority_router)
api.add_router("/projects/", projects_router)
api.add_router("/applications/", integrations_router)
