"""A live test server that speaks WebSockets: uvicorn with the project's ASGI application, in a thread.

pytest-django's ``live_server`` is a WSGI server, so the studio's live session cannot connect to it (the
existing browser tests rely on that: they exercise the REST autosave). This one serves the same Django
application through ``designer.asgi`` (HTTP, static files as ``live_server`` does, and ``/ws/``), on a
free loopback port, in a background thread of the test process with its own event loop. The test
database must be committed to be seen from that thread: use it with ``transactional_db``. The in-memory
channel layer the tests configure works, because every consumer runs in that one event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.processes import free_port


@dataclass(frozen=True)
class AsgiLiveServer:
    url: str
    port: int


@pytest.fixture
def asgi_live_server(transactional_db: Any, settings: Any) -> Iterator[AsgiLiveServer]:
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from designer.asgi import application

    port = free_port()
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        # Pings find a browser that vanished without its close frame arriving (Chromium's emulated offline
        # can swallow it), as uvicorn's default pings do in production, only sooner: within 10 s.
        ws_ping_interval=5,
        ws_ping_timeout=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="asgi-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the ASGI live server did not start")
        time.sleep(0.02)
    try:
        yield AsgiLiveServer(url=f"http://127.0.0.1:{port}", port=port)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
