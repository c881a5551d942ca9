"""The OpenAPI schema generates without warnings and Swagger UI is served from our own static files."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

CONTRACT_PATHS = [
    "/api/auth/token/",
    "/api/catalog/",
    "/api/catalog/cloudformation-types/",
    "/api/design-schema/",
    "/api/projects/",
    "/api/projects/{project_id}/",
    "/api/projects/{project_id}/design/",
    "/api/projects/{project_id}/revisions/",
    "/api/projects/{project_id}/revisions/{number}/",
    "/api/projects/{project_id}/revisions/{number}/diff/",
]


def test_the_schema_generates_and_validates_without_warnings(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    for path in CONTRACT_PATHS:
        assert path in schema["paths"], path
    assert "if-match" in {
        p["name"].lower() for p in schema["paths"]["/api/projects/{project_id}/design/"]["put"]["parameters"]
    }


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served() -> None:
    client = APIClient()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
