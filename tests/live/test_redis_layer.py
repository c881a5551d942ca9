"""Live sessions over the real Redis channel layer (a private Redis server), as several processes use it."""

from __future__ import annotations

import os
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.test import Client

from apps.core import health
from apps.core.sync import run_async
from apps.projects.models import Project
from designer import settings as project_settings
from tests.live.conftest import communicator, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


def redis_layer(url: str) -> dict[str, Any]:
    # The backend the project configures (the suite's own settings use an in-memory layer), on a private
    # Redis, with a prefix of its own so nothing here meets another test session's keys.
    config = {"hosts": [url], "prefix": f"tierplan-test-{os.getpid()}"}
    return {"default": {"BACKEND": project_settings.CHANNEL_LAYERS["default"]["BACKEND"], "CONFIG": config}}


def test_two_editors_on_the_redis_layer_see_each_others_edits(
    project: Project, cookies: dict[str, str], redis_url: str, settings: Any
) -> None:
    settings.CHANNEL_LAYERS = redis_layer(redis_url)

    async def scenario() -> None:
        alice = communicator(project.pk, cookie=cookies["alice"])
        await alice.connect()
        await receive_type(alice, "hello")
        bob = communicator(project.pk, cookie=cookies["bob"])
        await bob.connect()
        await receive_type(bob, "hello")
        assert (await receive_type(alice, "join"))["user"]["username"] == "bob"
        assert (await receive_type(bob, "presence"))["user"]["username"] == "alice"
        await bob.send_json_to(
            {
                "type": "op",
                "client_id": "bob-tab",
                "client_op_id": "b1",
                "base_seq": 0,
                "op": {"type": "set_component", "id": "orders", "field": "label", "value": "Orders v2"},
            }
        )
        assert (await receive_type(bob, "ack"))["seq"] == 1
        seen = await receive_type(alice, "op")
        assert (seen["seq"], seen["op"]["value"]) == (1, "Orders v2")
        await bob.disconnect()
        assert (await receive_type(alice, "leave"))["type"] == "leave"
        await alice.disconnect()

    run_async(scenario)


def test_readyz_reports_a_working_redis_channel_layer(redis_url: str, settings: Any, transactional_db: Any) -> None:
    settings.CHANNEL_LAYERS = redis_layer(redis_url)
    check = Client().get("/readyz").json()["checks"]["channel_layer"]
    assert check["ok"] is True, check


def test_readyz_leaves_no_subscription_behind_in_a_web_process(redis_url: str, settings: Any) -> None:
    """In a web process the check runs on the server's event loop, whose layer lives as long as the
    process: each check must end the channel it opened there."""
    settings.CHANNEL_LAYERS = redis_layer(redis_url)

    async def three_checks() -> int:
        for _ in range(3):
            await sync_to_async(health._channel_layer)()  # as a sync view under ASGI calls it
        return len(get_channel_layer()._get_layer().channels)

    assert run_async(three_checks) == 0


def test_readyz_is_unavailable_when_the_channel_layer_is_unreachable(settings: Any, transactional_db: Any) -> None:
    settings.CHANNEL_LAYERS = redis_layer("redis://127.0.0.1:9/0")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"]["ok"] is False
