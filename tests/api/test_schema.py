"""The OpenAPI 3 schema at /api/v1/schema/ and the docs at /api/v1/docs/ (CONTRACT.md)."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on a schema that is not OpenAPI 3
    assert {
        "/api/v1/units/",
        "/api/v1/commitments/",
        "/api/v1/indicators/",
        "/api/v1/targets/",
        "/api/v1/statuses/",
        "/api/v1/figures/",
        "/api/v1/figures/batch/",
        "/api/v1/reports/",
        "/api/v1/evidence/",
        "/api/v1/publications/",
        "/api/v1/survey-results/",
        "/api/v1/targets/{id}/",
        "/api/v1/reports/{code}/{year}/{quarter}/action/",
        "/api/v1/tokens/",
        "/api/v1/tokens/current/",
    } <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    # The password is taken where a token is created, and nowhere else.
    assert schema["paths"]["/api/v1/tokens/"]["post"]["security"] == [{"basicAuth": []}]
    assert all(
        {"basicAuth": []} not in operation.get("security", [])
        for path, operations in schema["paths"].items()
        if path != "/api/v1/tokens/"
        for operation in operations.values()
    )


def test_every_operation_documents_its_problems(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("401", "403", "429"):
                content = operation["responses"][code]["content"]
                assert "application/problem+json" in content, (path, method, code)


def test_the_docs_load_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    # No inline script: the page's own script is served from the schema view.
    assert "<script>" not in body.replace(" ", "")
