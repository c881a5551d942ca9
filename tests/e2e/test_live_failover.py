"""A live session outlives its web process: browsers on a real uvicorn process that is SIGKILLed mid-session.

The in-thread ASGI server of the other live-session tests cannot be killed; here the studio talks to
`uvicorn designer.asgi:application` processes on the test database and a private Redis, as in production.
alice owns the team, bob edits.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from apps.live.models import LiveState
from apps.projects.models import Project
from tests.e2e.test_editor import component
from tests.e2e.test_live_session import LIVE, SAVED, current_design, set_field, side_by_side, wait_label
from tests.live.conftest import session_cookie
from tests.processes import UvicornProcesses, free_port

OFFLINE = "[data-live-status=offline]"


def session_key(user: User) -> str:
    return session_cookie(user).removeprefix("sessionid=")


@pytest.mark.django_db(transaction=True)
def test_killing_the_web_process_mid_session_loses_no_acknowledged_edit(
    browser: Any, uvicorn_processes: UvicornProcesses, project: Project, alice: User, bob: User
) -> None:
    port = free_port()
    first = uvicorn_processes.start(port)
    base = f"http://127.0.0.1:{port}"
    pages = []
    for user in (alice, bob):
        # Signed in by cookie: the tests' fast password hasher is not one the web process accepts.
        context = browser.new_context(viewport={"width": 1100, "height": 760})
        context.add_cookies([{"name": "sessionid", "value": session_key(user), "url": base}])
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{base}/projects/{project.pk}/edit/")
        page.wait_for_selector(LIVE)
        pages.append(page)
    mine, theirs = pages
    try:
        mine.wait_for_selector("[data-presence-member=bob]")

        # alice's edit is acknowledged (saved on her screen, seen on bob's): then the process dies.
        set_field(mine, "api", "label", "Acknowledged API")
        wait_label(theirs, "api", "Acknowledged API")
        mine.wait_for_selector(SAVED)
        first.kill()  # SIGKILL: no shutdown, no flush
        first.wait(timeout=10)
        for page in pages:
            page.wait_for_selector(OFFLINE)

        # bob keeps editing while there is no server; his edit waits in his browser.
        set_field(theirs, "orders", "label", "Edited offline")
        theirs.locator("[data-save-state=offline]").wait_for()

        # The supervisor starts another process on the same address: both browsers reconnect by
        # themselves, bob's edit is sent and reaches alice, and nothing alice was told is saved is gone.
        uvicorn_processes.start(port)
        for page in pages:
            page.wait_for_selector(LIVE, timeout=30_000)
            wait_label(page, "orders", "Edited offline")
            wait_label(page, "api", "Acknowledged API")
            page.wait_for_selector(SAVED)
        mine.wait_for_selector("[data-presence-member=bob]")
        side_by_side(browser, "live-after-sigkill", mine, theirs)
    finally:
        for page in pages:
            page.context.close()

    design = current_design(project, alice)
    assert component(design, "api")["label"] == "Acknowledged API"
    assert component(design, "orders")["label"] == "Edited offline"
    assert LiveState.objects.get(project=project).seq == 2
