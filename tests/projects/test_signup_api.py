"""POST /api/auth/signup/: a new account, its personal team and a token, in one call."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from apps.projects.models import Membership, Role, Team
from tests.conftest import PASSWORD, client_for
from tests.projects.helpers import assert_error, db_state

URL = "/api/auth/signup/"


def test_it_creates_the_user_their_personal_team_and_a_token(anonymous, db):
    response = anonymous.post(
        URL, {"username": "dora", "password": PASSWORD, "email": "dora@example.com"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"user", "token"}
    user = User.objects.get(username="dora")
    assert user.email == "dora@example.com"
    assert user.check_password(PASSWORD)
    team = Team.objects.get(personal_for=user)
    assert team.name == "dora's team"
    assert list(Membership.objects.filter(team=team).values_list("user_id", "role")) == [(user.pk, Role.OWNER)]
    assert body["user"] == {"id": user.pk, "username": "dora", "email": "dora@example.com", "personal_team": team.pk}
    assert body["token"] == Token.objects.get(user=user).key


def test_the_token_it_returns_signs_the_new_user_in(anonymous, db):
    token = anonymous.post(URL, {"username": "dora", "password": PASSWORD}, format="json").json()["token"]

    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = anonymous.get("/api/me/")

    assert me.status_code == 200
    assert me.json()["username"] == "dora"


def test_the_email_is_optional(anonymous, db):
    response = anonymous.post(URL, {"username": "dora", "password": PASSWORD}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["user"]["email"] == ""
    assert User.objects.get(username="dora").email == ""


def test_it_never_echoes_the_password(anonymous, db):
    response = anonymous.post(URL, {"username": "dora", "password": PASSWORD}, format="json")

    assert PASSWORD not in response.content.decode()
    assert "password" not in response.json()["user"]


@pytest.mark.parametrize("username", ["alice", "ALICE", "Alice"])
def test_it_refuses_a_username_that_is_taken_whatever_its_case(anonymous, alice, username):
    before = db_state()

    response = anonymous.post(URL, {"username": username, "password": PASSWORD}, format="json")

    error = assert_error(response, 400, "invalid", ["/username"])
    assert "taken" in error["details"][0]["message"]
    assert db_state() == before


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password", "too common"),
        ("Xy7!q", "at least 8 characters"),
        ("83920174659", "entirely numeric"),
        ("dora-the-explorer", "too similar"),
    ],
)
def test_it_refuses_a_weak_password(anonymous, db, password, why):
    before = db_state()

    response = anonymous.post(URL, {"username": "dora-the-explorer", "password": password}, format="json")

    error = assert_error(response, 400, "invalid")
    assert {detail["pointer"] for detail in error["details"]} == {"/password"}
    assert any(why in detail["message"] for detail in error["details"]), error["details"]
    assert db_state() == before


def test_it_reports_a_taken_username_and_a_weak_password_together(anonymous, alice):
    before = db_state()

    response = anonymous.post(URL, {"username": "alice", "password": "password"}, format="json")

    assert_error(response, 400, "invalid", ["/username", "/password"])
    assert db_state() == before


def test_it_requires_a_username_and_a_password(anonymous, db):
    before = db_state()

    response = anonymous.post(URL, {}, format="json")

    assert_error(response, 400, "invalid", ["/username", "/password"])
    assert db_state() == before


@pytest.mark.parametrize("username", ["dora the explorer", "dora/explorer", "x" * 151])
def test_it_refuses_a_malformed_username(anonymous, db, username):
    before = db_state()

    response = anonymous.post(URL, {"username": username, "password": PASSWORD}, format="json")

    assert_error(response, 400, "invalid", ["/username"])
    assert db_state() == before


def test_it_refuses_an_invalid_email(anonymous, db):
    before = db_state()

    response = anonymous.post(URL, {"username": "dora", "password": PASSWORD, "email": "not-an-email"}, format="json")

    assert_error(response, 400, "invalid", ["/email"])
    assert db_state() == before


def test_it_works_for_a_client_that_already_sends_a_token(alice):
    response = client_for(alice).post(URL, {"username": "dora", "password": PASSWORD}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["user"]["username"] == "dora"


@pytest.mark.parametrize("email", ["alice@example.com", "ALICE@Example.COM", " alice@example.com"])
def test_it_refuses_an_email_another_account_uses_whatever_its_case(anonymous, alice, email):
    before = db_state()

    response = anonymous.post(URL, {"username": "dora", "password": PASSWORD, "email": email}, format="json")

    error = assert_error(response, 400, "invalid", ["/email"])
    assert "another account" in error["details"][0]["message"]
    assert db_state() == before


def test_two_accounts_may_both_leave_the_email_empty(anonymous, db):
    first = anonymous.post(URL, {"username": "dora", "password": PASSWORD}, format="json")
    second = anonymous.post(URL, {"username": "emil", "password": PASSWORD, "email": ""}, format="json")

    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert dict(User.objects.filter(username__in=["dora", "emil"]).values_list("username", "email")) == {
        "dora": "",
        "emil": "",
    }
