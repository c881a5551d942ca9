"""A real uvicorn process serving live sessions: an acknowledged edit survives the process being SIGKILLed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from apps.core.sync import run_async
from apps.live.models import LiveState
from apps.projects.models import Project
from tests.processes import UvicornProcesses, free_port

pytestmark = pytest.mark.django_db(transaction=True)


async def open_session(port: int, project_id: int, cookie: str) -> tuple[ClientConnection, dict[str, Any]]:
    socket = await connect(
        f"ws://127.0.0.1:{port}/ws/projects/{project_id}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    )
    return socket, await next_of(socket, "hello")


async def next_of(socket: ClientConnection, kind: str) -> dict[str, Any]:
    for _ in range(50):
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message among the next 50")


def test_an_acknowledged_edit_survives_a_sigkill_of_the_web_process(
    uvicorn_processes: UvicornProcesses, project: Project, cookies: dict[str, str]
) -> None:
    port = free_port()
    first = uvicorn_processes.start(port)

    async def edit_then_wait_for_the_ack() -> int:
        socket, hello = await open_session(port, project.pk, cookies["bob"])
        assert hello["can_write"] is True
        await socket.send(
            json.dumps(
                {
                    "type": "op",
                    "client_id": "bob-tab",
                    "client_op_id": "b1",
                    "base_seq": hello["seq"],
                    "op": {"type": "set_component", "id": "orders_fn", "field": "label", "value": "Survivor"},
                }
            )
        )
        ack = await next_of(socket, "ack")
        first.kill()  # SIGKILL right after the ack: no shutdown, no flush, nothing graceful
        first.wait(timeout=10)
        return int(ack["seq"])

    seq = run_async(edit_then_wait_for_the_ack)
    assert first.returncode == -9

    port = free_port()
    uvicorn_processes.start(port)

    async def reconnect_and_sync() -> dict[str, Any]:
        socket, hello = await open_session(port, project.pk, cookies["bob"])
        await socket.send(json.dumps({"type": "sync", "since": 0}))
        ops = await next_of(socket, "ops")
        await socket.close()
        return {"hello": hello, "ops": ops}

    after = run_async(reconnect_and_sync)
    assert after["hello"]["seq"] == seq
    labels = {c["id"]: c["label"] for c in after["hello"]["document"]["components"]}
    assert labels["orders_fn"] == "Survivor"
    assert [(o["seq"], o["client_op_id"]) for o in after["ops"]["ops"]] == [(seq, "b1")]
    state = LiveState.objects.get(project=project)
    assert state.seq == seq
