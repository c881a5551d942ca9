"""Every API error has the shape {"error": {"code", "message", "details": [{"pointer", "message"}]}}."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.django_db
def test_unauthenticated_requests_get_401_in_the_error_shape(anonymous: APIClient) -> None:
    error = assert_error(anonymous.get("/api/projects/"), 401, "not_authenticated")
    assert error["details"] == []


@pytest.mark.django_db
def test_a_bad_token_is_refused(anonymous: APIClient) -> None:
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(anonymous.get("/api/projects/"), 401, "authentication_failed")


def test_unknown_api_paths_answer_404_in_json(as_alice: APIClient) -> None:
    assert_error(as_alice.get("/api/no-such-thing/"), 404, "not_found")


def test_a_wrong_method_is_405(as_alice: APIClient) -> None:
    assert_error(as_alice.delete("/api/projects/"), 405, "method_not_allowed")


def test_malformed_json_is_400_with_the_position(as_alice: APIClient) -> None:
    response = as_alice.generic("POST", "/api/projects/", '{"name": "x",', content_type="application/json")
    error = assert_error(response, 400, "malformed_request")
    assert "line 1, column 14" in error["message"]


def test_a_non_json_body_is_415(as_alice: APIClient) -> None:
    response = as_alice.generic("POST", "/api/projects/", "name=x", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_field_errors_carry_json_pointers(as_alice: APIClient) -> None:
    response = as_alice.post("/api/teams/", {"name": "x" * 201}, format="json")
    error = assert_error(response, 400, "invalid")
    assert [d["pointer"] for d in error["details"]] == ["/name"]


def test_a_body_over_2_mb_is_413_and_nothing_is_created(as_alice: APIClient) -> None:
    from apps.projects.models import Project

    body = '{"name": "' + "x" * (2 * 1024 * 1024) + '"}'
    response = as_alice.generic("POST", "/api/projects/", body, content_type="application/json")
    error = assert_error(response, 413, "payload_too_large")
    assert error["details"] == [{"pointer": "", "message": "at most 2097152 bytes are accepted"}]
    assert Project.objects.count() == 0
