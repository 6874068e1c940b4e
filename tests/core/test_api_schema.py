"""The OpenAPI schema and its browsable docs (API.md: served at /api/schema/ and /api/docs/)."""

import io

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_is_served(api_client):
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/officers/by-employee-number/{employee_number}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    assert set(schema["components"]["schemas"]["Error"]["properties"]) >= {"detail", "errors"}


def test_the_docs_render(api_client):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_schema_generates_and_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert yaml.safe_load(out.getvalue())["openapi"].startswith("3.")


def test_writes_to_a_versioned_record_document_if_match_etag_and_412(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    patch = schema["paths"]["/api/v1/members/{id}/"]["patch"]
    assert "If-Match" in [parameter["name"] for parameter in patch["parameters"]]
    assert {"200", "400", "401", "403", "404", "412"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    listing = schema["paths"]["/api/v1/members/"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"]["$ref"].endswith("PaginatedMemberList")
