"""Every projects endpoint refuses anonymous and badly authenticated clients with 401, changing nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import design_doc
from tests.projects.helpers import assert_error, db_state

# (method, path template, body); {team}, {project} and {user} are filled in from the fixtures.
ENDPOINTS = [
    ("get", "/api/me/", None),
    ("get", "/api/teams/", None),
    ("post", "/api/teams/", {"name": "Sneaky"}),
    ("get", "/api/teams/{team}/", None),
    ("patch", "/api/teams/{team}/", {"name": "Sneaky"}),
    ("delete", "/api/teams/{team}/", None),
    ("get", "/api/teams/{team}/members/", None),
    ("post", "/api/teams/{team}/members/", {"username": "charlie"}),
    ("patch", "/api/teams/{team}/members/{user}/", {"role": "viewer"}),
    ("delete", "/api/teams/{team}/members/{user}/", None),
    ("get", "/api/projects/", None),
    ("post", "/api/projects/", {"name": "Sneaky"}),
    ("get", "/api/projects/{project}/", None),
    ("patch", "/api/projects/{project}/", {"name": "Sneaky"}),
    ("delete", "/api/projects/{project}/", None),
    ("get", "/api/projects/{project}/design/", None),
    ("put", "/api/projects/{project}/design/", design_doc(name="Sneaky")),
    ("get", "/api/projects/{project}/revisions/", None),
    ("get", "/api/projects/{project}/revisions/1/", None),
    ("get", "/api/projects/{project}/revisions/1/diff/?against=1", None),
]


def _call(client, method, template, body, team, project, user):
    path = template.format(team=team.pk, project=project.pk, user=user.pk)
    if body is None:
        return getattr(client, method)(path, HTTP_IF_MATCH='"1"')
    return getattr(client, method)(path, body, format="json", HTTP_IF_MATCH='"1"')


@pytest.mark.parametrize(("method", "template", "body"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_it_refuses_anonymous_clients(anonymous, project, team, vera, method, template, body):
    before = db_state()

    response = _call(anonymous, method, template, body, team, project, vera)

    assert_error(response, 401, "not_authenticated", [])
    assert response["WWW-Authenticate"] == "Token"
    assert db_state() == before


@pytest.mark.parametrize(("method", "template", "body"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_it_refuses_an_invalid_token(project, team, vera, method, template, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    before = db_state()

    response = _call(client, method, template, body, team, project, vera)

    assert_error(response, 401, "authentication_failed", [])
    assert db_state() == before
