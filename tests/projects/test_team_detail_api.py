"""GET, PATCH (rename) and DELETE /api/teams/{id}/."""

from __future__ import annotations

import pytest

from apps.projects import services
from apps.projects.models import Membership, Team
from tests.projects.helpers import assert_error, db_state


def url(team):
    return f"/api/teams/{team.pk}/"


@pytest.mark.parametrize(("persona", "role"), [("as_alice", "owner"), ("as_bob", "editor"), ("as_vera", "viewer")])
def test_every_member_sees_the_team_and_its_members(request, team, persona, role):
    response = request.getfixturevalue(persona).get(url(team))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == team.pk
    assert body["name"] == "Platform"
    assert body["role"] == role
    assert {m["user"]["username"]: m["role"] for m in body["members"]} == {
        "alice": "owner",
        "bob": "editor",
        "vera": "viewer",
    }


def test_an_outsider_gets_404_as_if_the_team_did_not_exist(as_charlie, team):
    response = as_charlie.get(url(team))

    assert_error(response, 404, "not_found", [])
    assert "Platform" not in response.content.decode()


def test_an_unknown_team_is_404(as_alice, alice):
    assert_error(as_alice.get("/api/teams/987654/"), 404, "not_found", [])


def test_the_owner_can_rename_the_team(as_alice, team):
    response = as_alice.patch(url(team), {"name": "Platform engineering"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Platform engineering"
    team.refresh_from_db()
    assert team.name == "Platform engineering"


def test_the_owner_can_rename_their_personal_team(as_alice, alice):
    response = as_alice.patch(url(alice.personal_team), {"name": "Alice's sandbox"}, format="json")

    assert response.status_code == 200, response.content
    assert Team.objects.get(pk=alice.personal_team.pk).name == "Alice's sandbox"


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_editors_and_viewers_cannot_rename_the_team(request, team, persona):
    client = request.getfixturevalue(persona)
    before = db_state()

    response = client.patch(url(team), {"name": "Mine now"}, format="json")

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_an_outsider_cannot_rename_the_team_and_learns_nothing(as_charlie, team):
    before = db_state()

    response = as_charlie.patch(url(team), {"name": "Mine now"}, format="json")

    assert_error(response, 404, "not_found", [])
    assert db_state() == before


def test_renaming_requires_a_non_blank_name(as_alice, team):
    before = db_state()

    response = as_alice.patch(url(team), {"name": ""}, format="json")

    assert_error(response, 400, "invalid", ["/name"])
    assert db_state() == before


def test_the_owner_can_delete_an_empty_shared_team(as_alice, team):
    response = as_alice.delete(url(team))

    assert response.status_code == 204
    assert response.content == b""
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Membership.objects.filter(team_id=team.pk).exists()
    assert_error(as_alice.get(url(team)), 404, "not_found")


def test_a_personal_team_cannot_be_deleted(as_alice, alice):
    before = db_state()

    response = as_alice.delete(url(alice.personal_team))

    assert_error(response, 409, "personal_team", [])
    assert db_state() == before


def test_a_team_with_projects_cannot_be_deleted(as_alice, team, project):
    before = db_state()

    response = as_alice.delete(url(team))

    assert_error(response, 409, "team_not_empty", [])
    assert db_state() == before


def test_a_team_can_be_deleted_once_its_projects_are_gone(as_alice, team, project):
    services.project_delete(project=project)

    assert as_alice.delete(url(team)).status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_editors_and_viewers_cannot_delete_the_team(request, team, persona):
    client = request.getfixturevalue(persona)
    before = db_state()

    response = client.delete(url(team))

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_an_outsider_cannot_delete_the_team(as_charlie, team):
    before = db_state()

    response = as_charlie.delete(url(team))

    assert_error(response, 404, "not_found", [])
    assert db_state() == before
