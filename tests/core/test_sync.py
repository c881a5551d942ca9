"""apps.core.sync.run_async: the channel layer is reachable from sync code wherever that code runs."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from apps.core.sync import run_async


async def double(value: int) -> int:
    await asyncio.sleep(0)
    return 2 * value


def test_it_runs_a_coroutine_function_from_plain_sync_code() -> None:
    with ThreadPoolExecutor(1) as pool:  # a thread without a loop, whatever this one has
        assert pool.submit(run_async, double, 2).result() == 4


def test_it_runs_where_the_calling_thread_runs_an_event_loop() -> None:
    # Sync code called from a coroutine (as Playwright's sync API leaves the browser tests' main thread):
    # asgiref's async_to_sync refuses that thread; run_async uses one of its own.
    async def sync_code_inside_a_loop() -> int:
        return run_async(double, 21)

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, sync_code_inside_a_loop()).result() == 42
