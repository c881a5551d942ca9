"""The browser forms answer to the same throttles as their API twins, counted once per client."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.production.test_profile import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def wrong_login(client: Client, url: str = "/accounts/login/", **extra: str) -> int:
    return client.post(url, {"username": "alice", "password": "not the password"}, **extra).status_code


def test_the_login_form_refuses_a_burst_of_wrong_passwords_with_429(settings: Any, alice: User) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "5/min"}
    client = Client()
    assert [wrong_login(client) for _ in range(5)] == [200] * 5  # the form again, with its error
    refused = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert b"Too many requests" in refused.content
    assert "_auth_user_id" not in client.session  # even the right password waits


def test_showing_the_login_form_is_not_counted(settings: Any, alice: User) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "2/min"}
    client = Client()
    assert {client.get("/accounts/login/").status_code for _ in range(10)} == {200}
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_login_form_and_the_token_api_share_one_counter(settings: Any, alice: User) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "4/min"}
    api = APIClient()
    for _ in range(4):
        api.post("/api/auth/token/", {"username": "alice", "password": "wrong"}, format="json")
    assert wrong_login(Client()) == 429


def test_the_admin_login_is_throttled_too(settings: Any, alice: User) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "3/min"}
    client = Client()
    codes = [wrong_login(client, "/admin/login/") for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_sign_up_form_is_throttled_like_the_sign_up_api(settings: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": "2/hour"}
    client = Client()
    codes = [
        client.post("/accounts/signup/", {"username": f"user{n}", "password": PASSWORD}).status_code for n in range(4)
    ]
    assert codes[:2] == [302, 302] and codes[2:] == [429, 429]
    assert set(User.objects.values_list("username", flat=True)) == {"user0", "user1"}


def test_a_forged_forwarded_for_header_does_not_open_a_fresh_counter(settings: Any, alice: User) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "2/min"}
    client = Client()
    codes = [wrong_login(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(4)]
    assert codes == [200, 200, 429, 429]


def test_behind_one_named_proxy_each_client_address_counts_apart(settings: Any, alice: User) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "1/min"}
    client = Client()
    assert wrong_login(client, HTTP_X_FORWARDED_FOR="203.0.113.1") == 200
    assert wrong_login(client, HTTP_X_FORWARDED_FOR="203.0.113.1") == 429
    assert wrong_login(client, HTTP_X_FORWARDED_FOR="203.0.113.2") == 200


def test_the_deploy_check_warns_when_throttle_counters_stay_inside_each_process() -> None:
    without_shared_cache = {name: value for name, value in PRODUCTION.items() if name != "REDIS_CACHE_URL"}
    result = manage("check", "--deploy", **without_shared_cache)
    assert "tierplan.W001" in result.stderr + result.stdout
    assert "REDIS_CACHE_URL" in result.stderr + result.stdout
