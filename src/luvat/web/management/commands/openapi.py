"""``luvat openapi``: print or write the OpenAPI document of /api/v1/."""

from __future__ import annotations

import json

from luvat.web.management.base import GeneratedDocumentCommand


def openapi_text() -> str:
    from luvat.config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(GeneratedDocumentCommand):
    help = "Print the OpenAPI 3.1 document, or write it with --write PATH (docs/openapi.json)."

    def render(self) -> str:
        return openapi_text()
