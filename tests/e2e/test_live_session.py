"""Live sessions in the studio: several browsers on one design over real WebSockets (uvicorn in a thread).

alice owns the team, bob edits, vera watches. Each browser is its own context (its own cookies).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from apps.projects.models import Project
from tests.conftest import client_for
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.live_server_asgi import AsgiLiveServer
from tests.e2e.test_editor import component, log_in

LIVE = "[data-live-status=live]"
SAVED = "[data-save-state=saved]"


@pytest.fixture
def open_studio(browser: Any, asgi_live_server: AsgiLiveServer) -> Iterator[Any]:
    """Opens the project's editor as someone, in a browser context of their own; closes them all after."""
    contexts: list[Any] = []

    def open_as(username: str, project: Project) -> Any:
        context = browser.new_context(viewport={"width": 1100, "height": 760})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, asgi_live_server.url, username)
        page.goto(f"{asgi_live_server.url}/projects/{project.pk}/edit/")
        page.locator(".react-flow__node-component").first.wait_for()
        page.wait_for_selector(LIVE)
        return page

    try:
        yield open_as
    finally:
        # Closing a context twice is harmless (a test may close one to leave the session). The server
        # thread stops after this, before the database is flushed, so no disconnect writes race the flush.
        for context in contexts:
            context.close()


def set_field(page: Any, component_id: str, name: str, value: str) -> None:
    page.click(f"[data-component-id={component_id}]")
    page.fill(f"input[name='{name}']", value)


def wait_label(page: Any, component_id: str, text: str) -> None:
    page.locator(f"[data-component-id={component_id}]", has_text=text).wait_for()


def current_design(project: Project, user: User) -> dict[str, Any]:
    """The design as the REST API gives it (reading cuts a revision of the live edits)."""
    response = client_for(user).get(f"/api/projects/{project.pk}/design/")
    assert response.status_code == 200
    return response.json()


def side_by_side(browser: Any, name: str, *pages: Any) -> None:
    """One picture of several browsers next to each other (var/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    images = "".join(
        f'<img style="width:{100 / len(pages):.2f}%;border:1px solid #888" src="data:image/png;base64,'
        f'{base64.b64encode(page.screenshot()).decode()}">'
        for page in pages
    )
    context = browser.new_context(viewport={"width": 1100 * len(pages), "height": 800})
    try:
        sheet = context.new_page()
        sheet.set_content(f'<body style="margin:0;display:flex">{images}</body>')
        sheet.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_two_editors_edit_different_components_and_both_edits_land_everywhere(
    open_studio: Any, browser: Any, project: Project, alice: User, bob: User
) -> None:
    first_revision = project.head_number
    mine = open_studio("alice", project)
    theirs = open_studio("bob", project)
    mine.wait_for_selector("[data-presence-member=bob]")
    theirs.wait_for_selector("[data-presence-member=alice]")

    set_field(mine, "api", "label", "Public API")
    set_field(theirs, "orders", "label", "Orders store")
    for page in (mine, theirs):
        wait_label(page, "api", "Public API")
        wait_label(page, "orders", "Orders store")
        page.wait_for_selector(SAVED)
    # Each sees what the other has selected, outlined in their colour, and their pointer.
    mine.wait_for_selector("[data-presence-user=bob][data-presence-component=orders]")
    theirs.wait_for_selector("[data-presence-user=alice][data-presence-component=api]")
    theirs.mouse.move(500, 400)
    theirs.mouse.move(520, 420, steps=4)
    mine.wait_for_selector("[data-presence-cursor=bob]")
    side_by_side(browser, "live-two-editors", mine, theirs)

    design = current_design(project, alice)
    assert component(design, "api")["label"] == "Public API"
    assert component(design, "orders")["label"] == "Orders store"
    project.refresh_from_db()
    assert project.head_number > first_revision

    # Undo takes back my edit only: bob's stays.
    mine.click("button:has-text('Undo')")
    for page in (mine, theirs):
        wait_label(page, "api", "Orders API")
        wait_label(page, "orders", "Orders store")
    mine.wait_for_selector(SAVED)
    design = current_design(project, bob)
    assert component(design, "api")["label"] == "Orders API"
    assert component(design, "orders")["label"] == "Orders store"

    # bob leaves: his name goes from alice's header.
    theirs.context.close()
    mine.locator("[data-presence-member=bob]").wait_for(state="detached")
    mine.locator("[data-presence-event]", has_text="bob left").wait_for()
    # The revisions the session cut (the reads above made its edits revisions) reached alice's header
    # without a reload or a save of hers.
    project.refresh_from_db()
    assert project.head_number > first_revision + 1
    mine.wait_for_selector(f".studio[data-revision='{project.head_number}']")


@pytest.mark.django_db(transaction=True)
def test_a_viewer_watches_live_edits_and_cannot_write(
    open_studio: Any, browser: Any, project: Project, alice: User, bob: User, vera: User
) -> None:
    owner = open_studio("alice", project)
    editor = open_studio("bob", project)
    viewer = open_studio("vera", project)
    for page in (owner, editor):
        page.wait_for_selector("[data-presence-member=vera]")
    viewer.wait_for_selector("[data-live-watching]")
    assert viewer.get_attribute(".studio", "data-readonly") == "true"

    set_field(owner, "orders_fn", "props.memory_mb", "2048")
    set_field(editor, "web", "label", "Shoppers")
    wait_label(viewer, "web", "Shoppers")
    viewer.click("[data-component-id=orders_fn]")
    viewer.wait_for_function("() => document.querySelector(\"[name='props.memory_mb']\")?.value === '2048'")
    assert viewer.locator("[name=label]").get_attribute("readonly") is not None
    viewer.wait_for_selector("[data-presence-user=alice][data-presence-component=orders_fn]")
    side_by_side(browser, "live-three-browsers", owner, editor, viewer)

    # The server refuses a viewer's operation even when it is sent by hand.
    answer = viewer.evaluate(
        """(projectId) => new Promise((resolve) => {
            const ws = new WebSocket(`ws://${location.host}/ws/projects/${projectId}/`);
            ws.onmessage = (event) => {
                const message = JSON.parse(event.data);
                if (message.type === "hello") {
                    ws.send(JSON.stringify({type: "op", client_id: "by-hand", client_op_id: "1", base_seq: message.seq,
                        op: {type: "set_component", id: "web", field: "label", value: "Vera was here"}}));
                } else if (message.type === "error" || message.type === "ack") {
                    ws.close();
                    resolve(message);
                }
            };
        })""",
        project.pk,
    )
    assert answer["type"] == "error" and answer["code"] == "read_only"
    design = current_design(project, alice)
    assert component(design, "web")["label"] == "Shoppers"
    assert component(design, "orders_fn")["props"]["memory_mb"] == 2048


@pytest.mark.django_db(transaction=True)
def test_an_editor_who_goes_offline_keeps_editing_and_merges_on_reconnecting(
    open_studio: Any, browser: Any, project: Project, alice: User, bob: User
) -> None:
    online = open_studio("alice", project)
    offline = open_studio("bob", project)
    online.wait_for_selector("[data-presence-member=bob]")

    offline.context.set_offline(True)
    offline.wait_for_selector("[data-live-status=offline]")
    online.locator("[data-presence-member=bob]").wait_for(state="detached")
    set_field(offline, "orders", "label", "Written offline")
    set_field(offline, "orders_fn", "props.memory_mb", "1536")
    offline.locator("[data-save-state=offline]", has_text="2 edits will sync").wait_for()
    set_field(online, "web", "label", "Written online")
    online.wait_for_selector(SAVED)
    wait_label(offline, "orders", "Written offline")  # still shown while offline
    assert offline.locator("[data-component-id=web]", has_text="Written online").count() == 0

    offline.context.set_offline(False)
    for page in (online, offline):
        page.wait_for_selector(LIVE)
        wait_label(page, "orders", "Written offline")
        wait_label(page, "web", "Written online")
        page.wait_for_selector(SAVED)
    online.wait_for_selector("[data-presence-member=bob]")
    side_by_side(browser, "live-offline-merge", online, offline)
    design = current_design(project, alice)
    assert component(design, "orders")["label"] == "Written offline"
    assert component(design, "orders_fn")["props"]["memory_mb"] == 1536
    assert component(design, "web")["label"] == "Written online"


@pytest.mark.django_db(transaction=True)
def test_a_restore_during_a_session_reaches_every_editor(
    open_studio: Any, project: Project, alice: User, bob: User
) -> None:
    mine = open_studio("alice", project)
    theirs = open_studio("bob", project)
    set_field(theirs, "api", "label", "Edited live")
    wait_label(mine, "api", "Edited live")
    mine.wait_for_selector(SAVED)
    theirs.wait_for_selector(SAVED)

    # The restore saves over REST: the live edits become a revision first, so nothing is stale and
    # the restored design reaches both browsers as one replace.
    mine.click("[data-action=history]")
    mine.click("[data-revision-number='1'] [data-action=restore-revision]")
    mine.wait_for_selector("[data-message]:has-text('Restored revision 1')")
    for page in (mine, theirs):
        wait_label(page, "api", "Orders API")
    theirs.wait_for_selector(".revision-number[data-head-revision='3']")
    project.refresh_from_db()
    assert project.head_number == 3
    assert component(project.revisions.get(number=2).design, "api")["label"] == "Edited live"
    assert component(project.head.design, "api")["label"] == "Orders API"
    # Editing goes on live after it.
    mine.click("[data-action=history]")  # back to the properties panel
    set_field(mine, "web", "label", "After the restore")
    wait_label(theirs, "web", "After the restore")
