"""Hostile input gets a 400 in the error shape, never a 500, and nothing is written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from apps.projects.models import Project
from tests.conftest import ROOT, design_doc
from tests.projects.helpers import assert_error, db_state


def post_json(client: APIClient, url: str, text: str, **headers: str):
    return client.generic("POST", url, text, content_type="application/json", **headers)


def nested(depth: int) -> str:
    return '{"name": "deep", "description": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("url", ["/api/projects/", "/api/teams/", "/api/auth/signup/"])
def test_json_nested_3000_deep_is_400_on_every_json_write(as_alice: APIClient, url: str) -> None:
    before = db_state()
    error = assert_error(post_json(as_alice, url, nested(3000)), 400, "malformed_request")
    assert "nested more than 64 levels" in error["message"]
    assert db_state() == before


def test_nesting_that_json_itself_parses_is_still_refused_past_the_limit(as_alice: APIClient) -> None:
    error = assert_error(post_json(as_alice, "/api/projects/", nested(200)), 400, "malformed_request")
    assert "nested more than 64 levels" in error["message"]


def test_an_integer_of_5000_digits_is_400(as_alice: APIClient) -> None:
    before = db_state()
    error = assert_error(
        post_json(as_alice, "/api/projects/", '{"name": ' + "9" * 5000 + "}"), 400, "malformed_request"
    )
    assert "digits" in error["message"]
    assert db_state() == before


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_and_create_nothing(as_alice: APIClient, constant: str) -> None:
    error = assert_error(post_json(as_alice, "/api/projects/", f'{{"name": {constant}}}'), 400, "malformed_request")
    assert constant.lstrip("-") in error["message"]
    assert not Project.objects.filter(name__iexact="nan").exists()


def test_an_if_match_of_5000_digits_is_400_and_saves_nothing(as_alice: APIClient, project: Project) -> None:
    before = db_state()
    response = as_alice.put(
        f"/api/projects/{project.pk}/design/",
        {"design": design_doc()},
        format="json",
        HTTP_IF_MATCH='"' + "7" * 5000 + '"',
    )
    assert_error(response, 400, "invalid_precondition", ["/If-Match"])
    assert db_state() == before


@pytest.mark.parametrize(
    ("query", "pointer"),
    [
        ("limit=99999999999999999999", "/limit"),
        ("offset=99999999999999999999", "/offset"),
        ("limit=" + "9" * 5000, "/limit"),
        ("limit=0", "/limit"),
        ("limit=abc", "/limit"),
        ("limit=1&limit=2", "/limit"),
        ("team=" + "1" * 5000, "/team"),
        ("team=1&team=2", "/team"),
    ],
)
def test_absurd_paging_and_filter_parameters_are_400(
    as_alice: APIClient, project: Project, query: str, pointer: str
) -> None:
    assert_error(as_alice.get(f"/api/projects/?{query}"), 400, "invalid", [pointer])


def test_a_sane_page_still_pages(as_alice: APIClient, project: Project) -> None:
    body = as_alice.get("/api/projects/?limit=1&offset=0").json()
    assert body["count"] == 1 and [p["id"] for p in body["results"]] == [project.pk]


def test_the_cli_refuses_deep_json_with_a_message_and_a_non_zero_exit() -> None:
    text = json.dumps(design_doc())[:-1] + ', "deep": ' + "[" * 3000 + "]" * 3000 + "}"
    result = subprocess.run(
        [sys.executable, "manage.py", "tierplan", "validate", "-"],
        input=text,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "nested more than 64 levels" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
