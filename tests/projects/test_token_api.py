"""POST /api/auth/token/: trade a username and password for the API token (Authorization: Token …)."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.projects.helpers import assert_error, db_state

URL = "/api/auth/token/"


def test_it_returns_the_users_token_for_good_credentials(anonymous, alice):
    response = anonymous.post(URL, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"token": Token.objects.get(user=alice).key}


def test_the_token_authenticates_later_requests(anonymous, alice):
    token = anonymous.post(URL, {"username": "alice", "password": PASSWORD}, format="json").json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/")

    assert me.status_code == 200
    assert me.json()["id"] == alice.pk


def test_asking_twice_returns_the_same_token(anonymous, alice):
    first = anonymous.post(URL, {"username": "alice", "password": PASSWORD}, format="json").json()["token"]
    second = anonymous.post(URL, {"username": "alice", "password": PASSWORD}, format="json").json()["token"]

    assert first == second
    assert Token.objects.filter(user=alice).count() == 1


def test_it_refuses_a_wrong_password_without_creating_a_token(anonymous, alice):
    before = db_state()

    response = anonymous.post(URL, {"username": "alice", "password": "wrong " + PASSWORD}, format="json")

    error = assert_error(response, 400, "invalid", [""])
    assert "Unable to log in" in error["details"][0]["message"]
    assert "token" not in response.json()
    assert db_state() == before


def test_it_answers_an_unknown_user_exactly_like_a_wrong_password(anonymous, alice):
    wrong_password = anonymous.post(URL, {"username": "alice", "password": "nope"}, format="json")
    unknown_user = anonymous.post(URL, {"username": "nobody", "password": "nope"}, format="json")

    assert_error(unknown_user, 400, "invalid", [""])
    assert unknown_user.json() == wrong_password.json()


def test_it_refuses_an_inactive_user(anonymous, alice):
    alice.is_active = False
    alice.save()

    response = anonymous.post(URL, {"username": "alice", "password": PASSWORD}, format="json")

    assert_error(response, 400, "invalid", [""])
    assert not Token.objects.filter(user=alice).exists()


def test_it_names_the_missing_fields(anonymous, db):
    response = anonymous.post(URL, {"username": "alice"}, format="json")

    assert_error(response, 400, "invalid", ["/password"])
