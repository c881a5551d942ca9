"""GET /api/catalog/ and GET /api/design-schema/ are public and describe the same rules the API enforces."""

from __future__ import annotations

import jsonschema
import pytest
from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.test import RequestFactory
from rest_framework.test import APIClient

from apps.designs.catalog import get_catalog
from tests.conftest import design_doc


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def test_the_catalog_lists_every_type_with_its_icon_url_and_schemas(client: APIClient) -> None:
    response = client.get("/api/catalog/")
    assert response.status_code == 200
    types = {entry["type"]: entry for entry in response.json()["types"]}
    assert set(types) == set(get_catalog().types)  # the 17 of ARCHITECTURE.md, issue 13's and the generic one
    lambda_type = types["lambda_function"]
    assert lambda_type["tier"] == "logic"
    assert lambda_type["icon"] == "/static/icons/aws/compute/lambda.png"
    assert lambda_type["props"]["properties"]["memory_mb"] == {
        "type": "integer", "description": "Memory (and proportional CPU)", "default": 128,
        "minimum": 128, "maximum": 10240, "x-unit": "MB",
    }  # fmt: skip
    assert lambda_type["defaults"]["props"]["architecture"] == "x86_64"
    kinds = {entry["kind"]: entry for entry in response.json()["connection_kinds"]}
    assert "sqs_queue" in kinds["poll"]["sources"]


def test_the_catalog_serves_each_types_aws_facts_and_the_pairs_aws_does_not_support(client: APIClient) -> None:
    body = client.get("/api/catalog/").json()
    types = {entry["type"]: entry for entry in body["types"]}
    assert types["dynamodb_table"]["cloudformation_types"][0] == "AWS::DynamoDB::Table"
    assert types["dynamodb_table"]["env_suffix"] == "TABLE_NAME"
    assert types["dynamodb_table"]["vpc_endpoint"] == {"service": "dynamodb", "type": "Gateway", "label": "DynamoDB"}
    assert types["rds_instance"]["vpc_only"] is True and types["browser"]["cloudformation_types"] == []
    integrate = next(entry for entry in body["connection_kinds"] if entry["kind"] == "integrate")
    excluded = {(e["source"], e["target"]): e["why"] for e in integrate["excludes"]}
    assert ("api_gateway_http", "dynamodb_table") in excluded and ("api_gateway_rest", "dynamodb_table") not in excluded


def test_catalog_icons_are_served_as_static_files(client: APIClient, rf: RequestFactory) -> None:
    # The staticfiles view is what runserver uses; in production collectstatic copies the same files.
    for entry in client.get("/api/catalog/").json()["types"]:
        path = entry["icon"].removeprefix(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        )
        response = serve(rf.get(entry["icon"]), path, insecure=True)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:4] == b"\x89PNG"


def test_the_icons_of_generic_resources_are_served_too(client: APIClient, rf: RequestFactory) -> None:
    generic = next(e for e in client.get("/api/catalog/").json()["types"] if e["type"] == "cloudformation_resource")
    icons = generic["resource_icons"]
    urls = {*icons["resources"].values(), *icons["services"].values(), icons["generic"]}
    assert icons["services"]["ECR"] != icons["generic"] and len(urls) > 40
    for url in urls:
        path = url.removeprefix(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        )
        response = serve(rf.get(url), path, insecure=True)
        assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"\x89PNG"


def test_the_design_schema_is_a_json_schema_that_accepts_a_valid_design(client: APIClient) -> None:
    response = client.get("/api/design-schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/schema+json")
    schema = response.json()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(design_doc())


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d["components"][2]["props"].update(memory_mb=64),
        lambda d: d["components"][2].update(type="mainframe"),
        lambda d: d["connections"][0].update(kind="teleport"),
        lambda d: d.update(extra=True),
        lambda d: d["components"][0].update(id="Not A Slug"),
        lambda d: d["components"][3].update(usage={"reads_per_month": -1}),
    ],
)
def test_the_published_schema_rejects_what_the_api_rejects(client: APIClient, break_it) -> None:
    schema = client.get("/api/design-schema/").json()
    doc = design_doc()
    break_it(doc)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
