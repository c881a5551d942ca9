"""Browser tests: Debian's Chromium driven by Playwright against the live test server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.live_server_asgi import asgi_live_server  # noqa: F401 (a fixture for the live-session tests)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed; run `make setup`")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make are still
    # plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (1280×900, plus ``options``), closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        # Leave the studio first, so that nothing it polls (a queued job, an estimate) is still in flight on
        # the live server when the test database is flushed: on PostgreSQL a request holding a lock then
        # fails the flush, and the next test starts on the last one's rows.
        try:
            page.goto("about:blank")
            page.wait_for_timeout(250)
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with browser_page(browser, accept_downloads=True) as page:
        yield page


def screenshot(page: Any, name: str) -> Path:
    """Keep a screenshot of what the person saw (var/screenshots/, not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
