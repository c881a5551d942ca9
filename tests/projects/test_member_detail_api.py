"""PATCH /api/teams/{id}/members/{user_id}/ (change a role) and DELETE (remove a member, or leave)."""

from __future__ import annotations

import pytest

from apps.projects import services
from apps.projects.models import Membership, Role
from tests.projects.helpers import assert_error, db_state


def url(team, user):
    return f"/api/teams/{team.pk}/members/{user.pk}/"


def role_of(team, user):
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


def test_the_owner_changes_a_members_role(as_alice, team, vera):
    response = as_alice.patch(url(team, vera), {"role": "editor"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["user"] == {"id": vera.pk, "username": "vera"}
    assert response.json()["role"] == "editor"
    assert role_of(team, vera) == Role.EDITOR


def test_the_owner_can_make_another_owner(as_alice, team, bob):
    response = as_alice.patch(url(team, bob), {"role": "owner"}, format="json")

    assert response.status_code == 200, response.content
    assert role_of(team, bob) == Role.OWNER


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_editors_and_viewers_cannot_change_roles(request, team, vera, persona):
    client = request.getfixturevalue(persona)
    before = db_state()

    response = client.patch(url(team, vera), {"role": "owner"}, format="json")

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_an_outsider_cannot_change_roles(as_charlie, team, vera):
    before = db_state()

    response = as_charlie.patch(url(team, vera), {"role": "owner"}, format="json")

    assert_error(response, 404, "not_found", [])
    assert db_state() == before


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_the_last_owner_cannot_be_demoted(as_alice, team, alice, role):
    before = db_state()

    response = as_alice.patch(url(team, alice), {"role": role}, format="json")

    assert_error(response, 409, "last_owner", [])
    assert role_of(team, alice) == Role.OWNER
    assert db_state() == before


def test_an_owner_can_step_down_once_there_is_another_owner(as_alice, team, alice, bob):
    services.membership_change_role(membership=Membership.objects.get(team=team, user=bob), role=Role.OWNER)

    response = as_alice.patch(url(team, alice), {"role": "viewer"}, format="json")

    assert response.status_code == 200, response.content
    assert role_of(team, alice) == Role.VIEWER
    assert role_of(team, bob) == Role.OWNER


def test_keeping_the_last_owner_an_owner_is_allowed(as_alice, team, alice):
    response = as_alice.patch(url(team, alice), {"role": "owner"}, format="json")

    assert response.status_code == 200, response.content
    assert role_of(team, alice) == Role.OWNER


def test_changing_the_role_of_a_non_member_is_404(as_alice, team, charlie):
    before = db_state()

    response = as_alice.patch(url(team, charlie), {"role": "editor"}, format="json")

    assert_error(response, 404, "not_found", [])
    assert db_state() == before


@pytest.mark.parametrize("body", [{}, {"role": "admin"}, {"role": ""}])
def test_changing_a_role_requires_a_known_role(as_alice, team, vera, body):
    before = db_state()

    response = as_alice.patch(url(team, vera), body, format="json")

    assert_error(response, 400, "invalid", ["/role"])
    assert db_state() == before


def test_the_owner_removes_a_member_who_then_loses_access(as_alice, as_vera, team, vera):
    response = as_alice.delete(url(team, vera))

    assert response.status_code == 204
    assert role_of(team, vera) is None
    assert_error(as_vera.get(f"/api/teams/{team.pk}/"), 404, "not_found")


@pytest.mark.parametrize(("persona", "user"), [("as_bob", "bob"), ("as_vera", "vera")])
def test_a_member_can_leave_the_team_themselves(request, team, persona, user):
    client, member = request.getfixturevalue(persona), request.getfixturevalue(user)

    response = client.delete(url(team, member))

    assert response.status_code == 204
    assert role_of(team, member) is None
    assert Membership.objects.filter(team=team).count() == 2


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_editors_and_viewers_cannot_remove_someone_else(request, team, alice, vera, persona):
    client = request.getfixturevalue(persona)
    before = db_state()

    response = client.delete(url(team, alice))

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_the_last_owner_cannot_leave(as_alice, team, alice):
    before = db_state()

    response = as_alice.delete(url(team, alice))

    assert_error(response, 409, "last_owner", [])
    assert db_state() == before


def test_the_last_owner_cannot_leave_their_personal_team_either(as_alice, alice):
    before = db_state()

    response = as_alice.delete(url(alice.personal_team, alice))

    assert_error(response, 409, "last_owner", [])
    assert db_state() == before


def test_an_owner_can_leave_once_there_is_another_owner(as_alice, team, alice, bob):
    services.membership_change_role(membership=Membership.objects.get(team=team, user=bob), role=Role.OWNER)

    response = as_alice.delete(url(team, alice))

    assert response.status_code == 204
    assert role_of(team, alice) is None


def test_an_outsider_cannot_remove_anyone(as_charlie, team, vera):
    before = db_state()

    response = as_charlie.delete(url(team, vera))

    assert_error(response, 404, "not_found", [])
    assert db_state() == before


def test_an_outsider_cannot_leave_a_team_they_are_not_in(as_charlie, team, charlie):
    before = db_state()

    response = as_charlie.delete(url(team, charlie))

    assert_error(response, 404, "not_found", [])
    assert db_state() == before


def test_removing_a_non_member_is_404(as_alice, team, charlie):
    before = db_state()

    response = as_alice.delete(url(team, charlie))

    assert_error(response, 404, "not_found", [])
    assert db_state() == before
