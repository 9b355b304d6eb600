import json
from pathlib import Path

from luvat.web.management.commands.openapi import openapi_text

DOC = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_committed_openapi_document_is_current():
    assert DOC.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json is stale: run `luvat openapi --write docs/openapi.json`"
    )


def test_openapi_is_served_as_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["version"] == "1"
    assert document == json.loads(DOC.read_text(encoding="utf-8")) | {"servers": []}


def test_the_api_docs_page_loads_nothing_from_outside_the_service(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page and "https://" not in page.replace("https://luvat", "")
    bundle = client.get("/static/ninja/swagger-ui-bundle.js")
    assert bundle.status_code == 200
