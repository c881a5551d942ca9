"""The WebSocket of a project's live session (``/ws/projects/<id>/``): the protocol, none of the rules.

Parsing and limits live here; ordering, validation and persistence in services and the operations
engine. Every message is a JSON object with a ``type``; see README "Live sessions" for the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import weakref
from collections.abc import Sequence
from functools import partial
from typing import Any

from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from rest_framework.exceptions import NotFound, PermissionDenied

from apps.core.jsontext import JsonRefused, loads_strict
from apps.live import services
from apps.live.limits import TokenBucket
from apps.live.operations import OperationRefused

logger = logging.getLogger("tierplan.live")

# Close codes. 4xxx are ours (the HTTP status they echo); 1008 and 1009 are the protocol's own.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404  # unknown project and not a member alike: never confirm that a project exists
CLOSE_POLICY = 1008
CLOSE_TOO_LARGE = 1009

MAX_CLIENT_ID = 64
INTERNAL = "The server could not apply this edit; send it again."
MAX_SELECTION = 200

# Database work of the live session runs on a thread pool, not on the one thread Django's sync code shares
# by default: an edit waiting for its project's row lock then holds up neither other projects' edits nor
# anything else this process serves. Each call opens and closes its connection as usual (ASGI).
off_thread = partial(database_sync_to_async, thread_sensitive=False)


class Malformed(Exception):
    pass


class EditQueue:
    """The edits this process has received for one design and not yet ordered, applied in batches.

    Edits reach the queue in the order their connections received them; one task per design applies what
    waits, up to MAX_BATCH at a time, in one transaction (``services.live_apply_many``), hands each edit's
    outcome to its connection and broadcasts the batch. So a busy design waits for its row lock and commits
    once per batch, not once per edit, and a connection's edits keep their order. An edit is applied even if
    its connection closed meanwhile; unacknowledged, it is sent again and recognised as a duplicate.
    """

    MAX_BATCH = 100
    # Per event loop: each loop (a uvicorn process has one; tests may start several) has its own tasks.
    _queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, EditQueue]] = weakref.WeakKeyDictionary()

    @classmethod
    def submit(cls, project_id: int, edit: services.Edit) -> asyncio.Future[services.Outcome]:
        """Queue ``edit``; the future holds its outcome (an unexpected failure as an exception value)."""
        loop = asyncio.get_running_loop()
        queues = cls._queues.setdefault(loop, {})
        queue = queues.get(project_id)
        if queue is None:
            queue = queues[project_id] = EditQueue(project_id, queues)
        future: asyncio.Future[services.Outcome] = loop.create_future()
        queue.waiting.append((edit, future))
        if queue.task is None:
            queue.task = asyncio.create_task(queue.run())
        return future

    def __init__(self, project_id: int, queues: dict[int, EditQueue]) -> None:
        self.project_id = project_id
        self.queues = queues
        self.waiting: list[tuple[services.Edit, asyncio.Future[services.Outcome]]] = []
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        batch: list[tuple[services.Edit, asyncio.Future[services.Outcome]]] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[: self.MAX_BATCH], self.waiting[self.MAX_BATCH :]
                try:
                    result = await off_thread(services.live_apply_many)(
                        project_id=self.project_id, edits=[edit for edit, _ in batch]
                    )
                except Exception as exc:  # the database failed: nothing of this batch was applied
                    logger.exception("Live edits failed in project %s", self.project_id)
                    self.settle(batch, [exc] * len(batch))
                    continue
                self.settle(batch, result.outcomes)
                try:
                    await services.broadcast(self.project_id, result.broadcast)
                except Exception:  # the others notice the gap in seq and sync
                    logger.exception("Live edits of project %s were not broadcast", self.project_id)
        finally:
            # Cancelled (the process shuts down): whatever was not answered is answered as failed, so its
            # connection sends it again after reconnecting.
            stopped = RuntimeError("the server stopped before answering this edit")
            self.settle(batch + self.waiting, [stopped] * (len(batch) + len(self.waiting)))
            self.waiting = []
            self.task = None
            self.queues.pop(self.project_id, None)

    @staticmethod
    def settle(
        batch: list[tuple[services.Edit, asyncio.Future[services.Outcome]]],
        outcomes: Sequence[services.Outcome],
    ) -> None:
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():  # settled already, or cancelled by a connection that closed
                future.set_result(outcome)


class LiveConsumer(AsyncWebsocketConsumer):
    project_id: int
    user: Any
    connection_id: str
    can_write: bool
    joined = False

    async def connect(self) -> None:
        # Accept first so that a refusal reaches the client with its reason as the close code (a
        # handshake refused before accepting only shows the browser an anonymous failure).
        await self.accept()
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.refuse("unauthenticated", "Sign in to join a live session.", CLOSE_UNAUTHENTICATED)
            return
        self.project_id = int(self.scope["url_route"]["kwargs"]["project_id"])
        try:
            hello = await off_thread(services.live_join)(user=self.user, project_id=self.project_id)
        except (NotFound, PermissionDenied):
            await self.refuse("not_found", "No project with that id.", CLOSE_NOT_FOUND)
            return
        self.connection_id = secrets.token_hex(6)
        self.can_write = hello["can_write"]
        self.bucket = TokenBucket(capacity=settings.LIVE_RATE_BURST, rate=settings.LIVE_RATE_PER_SECOND)
        self.presence_bucket = TokenBucket(
            capacity=settings.LIVE_PRESENCE_BURST, rate=settings.LIVE_PRESENCE_PER_SECOND
        )
        self.strikes = 0
        self.presence: dict[str, Any] = {"selection": [], "cursor": None}
        self.group = services.group_name(self.project_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        # This connection's edits go to its design's queue as they arrive (see EditQueue); a task of its own
        # sends their acks in order: while one waits for the database, everyone else's edits keep reaching
        # this client.
        self.pending_ops: asyncio.Queue[tuple[str, asyncio.Future[services.Outcome]]] = asyncio.Queue()
        self.op_worker = asyncio.create_task(self.send_acks())
        limits = {
            "max_message_bytes": settings.LIVE_MAX_MESSAGE_BYTES,
            "rate_burst": settings.LIVE_RATE_BURST,
            "rate_per_second": settings.LIVE_RATE_PER_SECOND,
        }
        await self.send_json(
            {"type": "hello", "connection": self.connection_id, "user": self.who(), "limits": limits, **hello}
        )
        await self.channel_layer.group_send(
            self.group, {"type": "live.join", "message": self.presence_message("join"), "reply_to": self.channel_name}
        )

    async def disconnect(self, code: int) -> None:
        if not self.joined:
            return
        self.joined = False
        # Edits not yet applied were never acknowledged: the client sends them again when it reconnects.
        self.op_worker.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.channel_layer.group_send(
            self.group,
            {"type": "live.leave", "message": {"type": "leave", "connection": self.connection_id, "user": self.who()}},
        )
        if self.can_write:
            # A writer leaving ends their sitting: their edits become a revision now rather than later.
            await off_thread(services.live_checkpoint)(project_id=self.project_id)

    # Receiving ----------------------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.joined:
            return
        if text_data is None:
            await self.error("bad_message", "Messages are JSON text frames.")
            return
        if (
            len(text_data) > settings.LIVE_MAX_MESSAGE_BYTES
            or len(text_data.encode()) > settings.LIVE_MAX_MESSAGE_BYTES
        ):
            await self.error("too_large", f"Messages are at most {settings.LIVE_MAX_MESSAGE_BYTES} bytes.")
            await self.close(CLOSE_TOO_LARGE)
            return
        if not self.bucket.take():
            self.strikes += 1
            await self.error("rate_limited", "Too many messages; slow down.")
            if self.strikes >= settings.LIVE_RATE_STRIKES:
                await self.close(CLOSE_POLICY)
            return
        try:
            message = loads_strict(text_data)
            if not isinstance(message, dict):
                raise Malformed("a message must be a JSON object")
            handler = self.HANDLERS.get(message.get("type"))  # type: ignore[arg-type]
            if handler is None:
                raise Malformed(f"unknown message type {str(message.get('type'))[:40]!r}")
            await handler(self, message)
        except (JsonRefused, Malformed) as exc:
            await self.error("bad_message", str(exc))

    async def on_op(self, message: dict[str, Any]) -> None:
        client_id = _text(message, "client_id")
        client_op_id = _text(message, "client_op_id")
        base_seq = _count(message, "base_seq")
        if not self.can_write:
            await self.error("read_only", "Viewers watch the session; they cannot edit.", client_op_id=client_op_id)
            return
        edit = services.Edit(self.user, client_id, client_op_id, base_seq, message.get("op"), self.channel_name)
        # Bounded by the rate limit: each one took a token.
        self.pending_ops.put_nowait((client_op_id, EditQueue.submit(self.project_id, edit)))

    async def send_acks(self) -> None:
        """Answer this connection's edits in the order sent, each once the server has ordered it."""
        while True:
            client_op_id, outcome = await self.pending_ops.get()
            try:
                await self.answer(client_op_id, await outcome)
            except Exception:  # a bug must not silently stop this connection's edits for good
                logger.exception("A live edit of project %s could not be answered", self.project_id)
                await self.error("internal", INTERNAL, client_op_id=client_op_id)

    async def answer(self, client_op_id: str, outcome: services.Outcome) -> None:
        if isinstance(outcome, OperationRefused):
            # A malformed op's pointers are into the op (so into this message's "op"); an invalid
            # design's are into the document.
            prefix = "/op" if outcome.code == "bad_operation" else ""
            details = [{"pointer": prefix + p.pointer, "message": p.message} for p in outcome.problems]
            await self.error(outcome.code, outcome.message, client_op_id=client_op_id, details=details)
        elif isinstance(outcome, services.LiveForbidden):
            self.can_write = False
            await self.error("read_only", str(outcome), client_op_id=client_op_id)
        elif isinstance(outcome, Exception):  # logged where it happened
            await self.error("internal", INTERNAL, client_op_id=client_op_id)
        else:
            reply: dict[str, Any] = {"type": "ack", "client_op_id": client_op_id, "seq": outcome.seq}
            if outcome.dropped is not None:
                reply["dropped"] = outcome.dropped
            else:
                reply["op"] = outcome.op
            await self.send_json(reply)

    async def on_sync(self, message: dict[str, Any]) -> None:
        since = _count(message, "since")
        await self.send_json(await off_thread(services.live_sync)(project_id=self.project_id, since=since))

    async def on_presence(self, message: dict[str, Any]) -> None:
        if "selection" in message:
            selection = message["selection"]
            if not (isinstance(selection, list) and len(selection) <= MAX_SELECTION):
                raise Malformed(f"selection must be a list of at most {MAX_SELECTION} ids")
            if not all(isinstance(item, str) and 0 < len(item) <= 64 for item in selection):
                raise Malformed("selection must hold ids (strings of at most 64 characters)")
            self.presence["selection"] = selection
        if "cursor" in message:
            cursor = message["cursor"]
            if cursor is not None and not (
                isinstance(cursor, dict)
                and set(cursor) == {"x", "y"}
                and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 1e7 for v in cursor.values()
                )
            ):
                raise Malformed("cursor must be null or {x, y} with numbers")
            self.presence["cursor"] = cursor
        # Presence is lossy by nature: over its rate, updates are kept locally and sent with the next one.
        if self.presence_bucket.take():
            await self.channel_layer.group_send(
                self.group, {"type": "live.presence", "message": self.presence_message("presence")}
            )

    async def on_ping(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    HANDLERS = {"op": on_op, "sync": on_sync, "presence": on_presence, "ping": on_ping}

    # Events from the channel layer --------------------------------------------------------------------

    async def live_ops(self, event: dict[str, Any]) -> None:
        for item in event["items"]:
            if item.get("origin") != self.channel_name:  # the sender has its ack
                await self.send_json(item["message"])

    async def live_join(self, event: dict[str, Any]) -> None:
        if event["reply_to"] == self.channel_name:
            return
        await self.send_json(event["message"])
        # Tell the newcomer who is already here (directly, whatever process it is on). Presence is lossy: a
        # newcomer whose channel is full (it stopped reading) misses this one.
        with contextlib.suppress(ChannelFull):
            await self.channel_layer.send(
                event["reply_to"], {"type": "live.here", "message": self.presence_message("presence")}
            )

    async def live_here(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    async def live_presence(self, event: dict[str, Any]) -> None:
        if event["message"]["connection"] != self.connection_id:
            await self.send_json(event["message"])

    async def live_leave(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    # Sending ------------------------------------------------------------------------------------------

    def who(self) -> dict[str, Any]:
        return {"id": self.user.pk, "username": self.user.get_username()}

    def presence_message(self, kind: str) -> dict[str, Any]:
        return {"type": kind, "connection": self.connection_id, "user": self.who(), **self.presence}

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=_dumps(content))

    async def error(self, code: str, message: str, *, client_op_id: str | None = None, details: Any = ()) -> None:
        content: dict[str, Any] = {"type": "error", "code": code, "message": message, "details": list(details)}
        if client_op_id is not None:
            content["client_op_id"] = client_op_id
        await self.send_json(content)

    async def refuse(self, code: str, message: str, close_code: int) -> None:
        await self.error(code, message)
        await self.close(close_code)


def _dumps(content: Any) -> str:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def _text(message: dict[str, Any], key: str) -> str:
    value = message.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CLIENT_ID:
        raise Malformed(f"{key} must be a string of 1 to {MAX_CLIENT_ID} characters")
    return value


def _count(message: dict[str, Any], key: str) -> int:
    value = message.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Malformed(f"{key} must be a sequence number (an integer from 0)")
    return value
