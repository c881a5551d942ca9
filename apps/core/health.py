"""Health endpoints for load balancers: /healthz (the process answers) and /readyz (it can do its job)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.sync import run_async


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the web process is up and serving; nothing else is checked."""
    return JsonResponse({"status": "ok"})


def _check(function: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = function()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **(detail or {})}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    from designer.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _workers() -> dict[str, Any]:
    from designer.celery import app

    replies = app.control.ping(timeout=1.0, limit=1) or []  # the first answer is enough
    if not replies:
        raise RuntimeError("no worker answered within 1 s")
    return {"count": len(replies)}


def _channel_layer() -> None:
    # A message sent to a fresh channel of the layer comes back: live sessions can reach each other.
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured (CHANNEL_LAYERS)")

    async def round_trip() -> None:
        channel = await layer.new_channel()
        try:
            await layer.send(channel, {"type": "readyz.ping"})
            await layer.receive(channel)
        finally:
            # The pub/sub layer keeps a channel subscribed until a receive on it is cancelled (a consumer's
            # end): cancel one, or every check would leave a subscription behind in the web process.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(layer.receive(channel), timeout=0.01)

    async def bounded() -> None:
        await asyncio.wait_for(round_trip(), timeout=2)

    run_async(bounded)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers, the broker accepts connections, a worker answers a ping and the
    channel layer (live sessions) carries a message."""
    checks = {"database": _check(_database), "broker": _check(_broker), "channel_layer": _check(_channel_layer)}
    checks["workers"] = _check(_workers) if checks["broker"]["ok"] else {"ok": False, "error": "broker unreachable"}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
