"""Live session fixtures: an in-memory channel layer, session cookies and WebSocket clients."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from asgiref.testing import ApplicationCommunicator
from django.contrib.auth.models import User
from django.test import Client

from designer.asgi import application

ORIGIN = b"http://testserver"


class WebsocketCommunicator(ApplicationCommunicator):
    """A WebSocket client for an ASGI application, in process.

    channels.testing has one, but importing that package in Channels 4.3 imports daphne (for its live
    server test case), a server we do not use; this is the same idea on asgiref's communicator.
    """

    def __init__(self, app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        parsed = urlparse(path)
        scope = {"type": "websocket", "path": parsed.path, "query_string": parsed.query.encode(), "headers": headers}
        scope["subprotocols"] = []
        super().__init__(app, scope)

    async def connect(self, timeout: float = 3) -> tuple[bool, Any]:
        """(True, None) when accepted; (False, close code) when refused during the handshake."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, None

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout: float = 3) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 3) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


@pytest.fixture
def cookies(alice: User, bob: User, vera: User, charlie: User) -> dict[str, str]:
    """Each persona's Cookie header, made before a test goes async (sessions are saved synchronously)."""
    return {user.username: session_cookie(user) for user in (alice, bob, vera, charlie)}


def session_cookie(user: User) -> str:
    """The Cookie header of a browser in which ``user`` signed in."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def communicator(project_id: int, *, cookie: str | None = None, origin: bytes | None = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/projects/{project_id}/", headers=headers)


async def receive_type(socket: WebsocketCommunicator, kind: str, timeout: float = 3) -> dict[str, Any]:
    """The next message of type ``kind``, skipping others (presence chatter, say)."""
    for _ in range(50):
        message = await socket.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message among the next 50")


Scenario = Callable[[], Awaitable[None]]
