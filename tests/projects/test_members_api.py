"""GET /api/teams/{id}/members/ (members only) and POST (owners add a user by username, or invite an email)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from apps.projects.models import Membership, Role
from tests.conftest import PASSWORD
from tests.projects.helpers import assert_error, db_state


def url(team):
    return f"/api/teams/{team.pk}/members/"


def roles(team):
    return dict(Membership.objects.filter(team=team).values_list("user__username", "role"))


@pytest.mark.parametrize("persona", ["as_alice", "as_bob", "as_vera"])
def test_every_member_sees_the_members_sorted_by_username(request, team, alice, bob, vera, persona):
    response = request.getfixturevalue(persona).get(url(team))

    assert response.status_code == 200
    body = response.json()
    assert [(m["user"], m["role"]) for m in body] == [
        ({"id": alice.pk, "username": "alice"}, "owner"),
        ({"id": bob.pk, "username": "bob"}, "editor"),
        ({"id": vera.pk, "username": "vera"}, "viewer"),
    ]
    assert all(set(m) == {"user", "role", "created_at"} for m in body)


def test_an_outsider_cannot_list_the_members(as_charlie, team):
    response = as_charlie.get(url(team))

    assert_error(response, 404, "not_found", [])
    assert "alice" not in response.content.decode()


def test_the_owner_adds_an_existing_user_by_username_as_a_viewer_by_default(as_alice, team, charlie):
    response = as_alice.post(url(team), {"username": "charlie"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"] == {"id": charlie.pk, "username": "charlie"}
    assert body["role"] == "viewer"
    assert roles(team)["charlie"] == Role.VIEWER


def test_adding_by_email_invites_the_address_and_adds_no_account_that_lists_it(
    as_alice, team, alice, charlie, mailoutbox
):
    response = as_alice.post(url(team), {"email": "CHARLIE@Example.com", "role": "editor"}, format="json")

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["email"] == "CHARLIE@example.com"
    assert body["role"] == "editor"
    assert body["invited_by"] == {"id": alice.pk, "username": "alice"}
    assert "charlie" not in roles(team)
    assert [m.to for m in mailoutbox] == [["CHARLIE@example.com"]]
    assert "/invitations/" in mailoutbox[0].body


def test_an_added_member_can_then_see_the_team(as_alice, as_charlie, team, charlie):
    as_alice.post(url(team), {"username": "charlie", "role": "owner"}, format="json")

    assert as_charlie.get(f"/api/teams/{team.pk}/").json()["role"] == "owner"


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_editors_and_viewers_cannot_add_members(request, team, charlie, persona):
    client = request.getfixturevalue(persona)
    before = db_state()

    response = client.post(url(team), {"username": "charlie"}, format="json")

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_an_outsider_cannot_add_themselves(as_charlie, team):
    before = db_state()

    response = as_charlie.post(url(team), {"username": "charlie", "role": "owner"}, format="json")

    assert_error(response, 404, "not_found", [])
    assert db_state() == before


def test_adding_an_unknown_username_names_the_username_field(as_alice, team):
    before = db_state()

    response = as_alice.post(url(team), {"username": "nobody"}, format="json")

    assert_error(response, 400, "invalid", ["/username"])
    assert db_state() == before


def test_adding_an_email_nobody_uses_invites_it_all_the_same(as_alice, team, mailoutbox):
    response = as_alice.post(url(team), {"email": "nobody@example.com"}, format="json")

    assert response.status_code == 202, response.content
    assert response.json()["role"] == "viewer"
    assert [m.to for m in mailoutbox] == [["nobody@example.com"]]


def test_an_email_shared_by_two_accounts_adds_neither(as_alice, team, charlie, mailoutbox):
    charles = User.objects.create_user("charles", "charlie@example.com", PASSWORD)

    response = as_alice.post(url(team), {"email": "charlie@example.com"}, format="json")

    assert response.status_code == 202, response.content
    assert "charlie" not in roles(team) and charles.username not in roles(team)
    assert len(mailoutbox) == 1


def test_adding_an_invalid_email_names_the_email_field(as_alice, team, mailoutbox):
    before = db_state()

    response = as_alice.post(url(team), {"email": "not-an-email", "role": "editor"}, format="json")

    assert_error(response, 400, "invalid", ["/email"])
    assert mailoutbox == []
    assert db_state() == before


def test_adding_requires_a_username_or_an_email(as_alice, team):
    before = db_state()

    response = as_alice.post(url(team), {"role": "editor"}, format="json")

    assert_error(response, 400, "invalid", ["/username"])
    assert db_state() == before


def test_adding_refuses_an_unknown_role(as_alice, team, charlie):
    before = db_state()

    response = as_alice.post(url(team), {"username": "charlie", "role": "admin"}, format="json")

    assert_error(response, 400, "invalid", ["/role"])
    assert db_state() == before


def test_adding_someone_who_is_already_a_member_is_a_conflict(as_alice, team):
    before = db_state()

    response = as_alice.post(url(team), {"username": "vera", "role": "owner"}, format="json")

    error = assert_error(response, 409, "already_member", [])
    assert "vera" in error["message"]
    assert roles(team)["vera"] == Role.VIEWER
    assert db_state() == before


def test_adding_refuses_a_username_and_an_email_together(as_alice, team, charlie, mailoutbox):
    before = db_state()

    response = as_alice.post(url(team), {"username": "charlie", "email": "charlie@example.com"}, format="json")

    assert_error(response, 400, "invalid", ["/email"])
    assert mailoutbox == []
    assert db_state() == before


def test_adding_refuses_unknown_fields(as_alice, team, charlie):
    before = db_state()

    response = as_alice.post(url(team), {"username": "charlie", "user_id": charlie.pk}, format="json")

    assert_error(response, 400, "invalid", ["/user_id"])
    assert db_state() == before
