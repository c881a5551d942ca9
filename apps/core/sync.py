"""Calling async code (the channel layer) from sync code, wherever that sync code runs.

asgiref's ``async_to_sync`` refuses to run in a thread whose event loop is running (sync code called from
a coroutine without ``sync_to_async``, or a process that keeps a loop in its main thread, such as one
driving a browser with Playwright's sync API). There the call runs on a thread of its own instead; it is
the same call everywhere else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from asgiref.sync import async_to_sync

T = TypeVar("T")


def run_async(function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """``async_to_sync(function)(*args, **kwargs)``, on a thread of its own where this one runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return async_to_sync(function)(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-async") as pool:
        return pool.submit(async_to_sync(function), *args, **kwargs).result()
