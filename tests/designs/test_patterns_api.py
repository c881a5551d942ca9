"""GET /api/patterns/ and /api/patterns/{slug}/, and the `tierplan patterns` CLI."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from apps.designs.patterns import pattern_library
from tests.designs.test_cli_validate import tierplan


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def test_the_list_has_every_pattern_with_its_metadata_but_not_its_design(client: APIClient) -> None:
    response = client.get("/api/patterns/")
    assert response.status_code == 200
    listed = {entry["slug"]: entry for entry in response.json()}
    assert set(listed) == set(pattern_library())
    single = listed["single-domain"]
    assert single["source"]["section"] == "Pattern 5"
    assert single["components"] == 7 and single["connections"] == 6
    assert "no-cors" in single["tags"]
    assert "design" not in single


def test_the_detail_has_the_design_document(client: APIClient) -> None:
    response = client.get("/api/patterns/storage-first/")
    assert response.status_code == 200
    body = response.json()
    assert body["design"]["schema"] == "tierplan.design/v1"
    assert {c["id"] for c in body["design"]["components"]} >= {"api", "queue", "worker", "dlq"}


def test_an_unknown_slug_is_404_with_the_list_of_slugs(client: APIClient) -> None:
    response = client.get("/api/patterns/three-tier/")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "pattern_not_found"
    assert "three-tier-basic" in error["message"] and "single-domain" in error["message"]


def test_patterns_list_prints_one_line_per_pattern() -> None:
    result = tierplan("patterns", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(pattern_library())
    assert any(line.startswith("single-domain ") and "7 components" in line for line in lines)


def test_patterns_list_json_is_machine_readable() -> None:
    result = tierplan("patterns", "list", "--json")
    assert {entry["slug"] for entry in json.loads(result.stdout)} == set(pattern_library())


def test_patterns_show_prints_a_design_that_validate_accepts() -> None:
    shown = tierplan("patterns", "show", "three-tier-vpc")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["groups"][0]["kind"] == "vpc"
    validated = tierplan("validate", "-", stdin=shown.stdout)
    assert validated.returncode == 0, validated.stderr


def test_patterns_show_of_an_unknown_slug_exits_2_with_the_known_slugs() -> None:
    result = tierplan("patterns", "show", "nope")
    assert result.returncode == 2
    assert "no pattern 'nope'" in result.stderr and "scheduled-job" in result.stderr
