"""GET /api/me/: the signed-in user."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests.projects.helpers import assert_error


def test_it_describes_the_signed_in_user(as_alice, alice):
    response = as_alice.get("/api/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": alice.pk,
        "username": "alice",
        "email": "alice@example.com",
        "personal_team": alice.personal_team.pk,
    }


def test_each_token_sees_its_own_user(as_bob, bob):
    assert as_bob.get("/api/me/").json()["id"] == bob.pk


def test_it_asks_anonymous_clients_to_authenticate_with_a_token(anonymous):
    response = anonymous.get("/api/me/")

    assert_error(response, 401, "not_authenticated", [])
    assert response["WWW-Authenticate"] == "Token"


def test_it_refuses_an_unknown_token(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = client.get("/api/me/")

    assert_error(response, 401, "authentication_failed", [])


def test_it_accepts_a_browser_session_too(client, alice):
    client.force_login(alice)

    response = client.get("/api/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"
