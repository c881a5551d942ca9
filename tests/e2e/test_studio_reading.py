"""The studio reads like a finished diagram: the minimap only when part of the design is off screen, a
visible focus ring, and a comment badge drawn without an emoji font."""

from __future__ import annotations

from typing import Any

from apps.projects.models import Project
from apps.review.models import Comment
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor_feedback import editor_as


def test_the_minimap_shows_only_while_part_of_the_design_is_off_screen(
    live_server: Any, page: Any, project: Project
) -> None:
    editor_as(page, live_server, "alice", project)
    page.locator("[data-component-id=orders_fn]").wait_for()
    page.wait_for_timeout(300)  # the initial fit
    assert page.locator(".react-flow__minimap").count() == 0
    for _ in range(4):  # zoom in until the cards do not all fit
        page.locator(".react-flow__controls-zoomin").click()
    page.locator(".react-flow__minimap").wait_for()
    screenshot(page, "studio-minimap-when-zoomed")
    page.keyboard.press("f")
    page.locator(".react-flow__minimap").wait_for(state="detached")


def test_a_focused_card_shows_a_ring_and_comment_badges_need_no_emoji_font(
    live_server: Any, page: Any, project: Project, alice: Any
) -> None:
    Comment.objects.create(
        project=project, revision_number=1, author=alice, author_name="alice", component_id="orders_fn", body="Timeout?"
    )
    editor_as(page, live_server, "alice", project)
    badge = page.locator("[data-component-id=orders_fn] [data-badge=comments]")
    badge.wait_for()
    assert badge.inner_text().strip() == "1" and badge.locator("svg").count() == 1
    node = page.locator(".react-flow__node[data-id=orders_fn]")
    node.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", outline
    screenshot(page, "studio-focus-ring")
