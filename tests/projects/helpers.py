"""Assertions shared by the projects API tests: the one error shape, and "nothing changed in the DB"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from rest_framework.authtoken.models import Token

from apps.projects.models import Membership, Project, Revision, Team


def assert_error(response: Any, status: int, code: str, pointers: list[str] | None = None) -> dict[str, Any]:
    """Check that ``response`` is an API error of the contract's shape; return its ``error`` object.

    ``pointers`` (when given) must be exactly the pointers of ``details``, in order.
    """
    assert response.status_code == status, (response.status_code, response.content[:2000])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["details"], list), error
    for detail in error["details"]:
        assert set(detail) == {"pointer", "message"}, detail
        assert isinstance(detail["pointer"], str), detail
        assert isinstance(detail["message"], str) and detail["message"], detail
    if pointers is not None:
        assert [detail["pointer"] for detail in error["details"]] == pointers, error["details"]
    return error


def db_state() -> dict[str, list[tuple[Any, ...]]]:
    """Everything the projects API can write, in a comparable form: take it before and after an error."""
    return {
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "email", "password")),
        "tokens": list(Token.objects.order_by("pk").values_list("pk", "user_id")),
        "teams": list(Team.objects.order_by("pk").values_list("pk", "name", "personal_for_id")),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "team_id", "user_id", "role")),
        "projects": list(
            Project.objects.order_by("pk").values_list(
                "pk", "team_id", "name", "description", "head_number", "updated_at"
            )
        ),
        "revisions": list(
            Revision.objects.order_by("pk").values_list("pk", "project_id", "number", "content_hash", "message")
        ),
    }


def revision_numbers(project: Project) -> list[int]:
    return list(Revision.objects.filter(project=project).order_by("number").values_list("number", flat=True))


ON_POSTGRESQL = connection.vendor == "postgresql"
ON_SQLITE = connection.vendor == "sqlite"
