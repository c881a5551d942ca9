"""Tasks every deployment has: a ping that proves a worker is consuming from the broker."""

from __future__ import annotations

import socket
from typing import Any

from celery import shared_task


@shared_task(name="tierplan.ping")
def ping(value: Any = None) -> dict[str, Any]:
    """Answer with the value and the worker's host name (used by tests and, later, readiness checks)."""
    return {"pong": value, "host": socket.gethostname()}
