"""The studio reads like a finished diagram: the minimap only when part of the design is off screen, a
visible focus ring, and a comment badge drawn without an emoji font."""

from __future__ import annotations

import re
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
    zoom_in = page.locator(".react-flow__controls-zoomin")
    for _ in range(6):  # zoom in until the cards do not all fit
        if page.locator(".react-flow__minimap").count() or zoom_in.is_disabled():
            break
        zoom_in.click()
        page.wait_for_timeout(100)
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


def test_the_save_state_tells_the_truth_about_an_invalid_field_and_a_cleared_one(
    live_server: Any, page: Any, project: Project
) -> None:
    from tests.e2e.test_editor import component, head, wait_saved

    editor_as(page, live_server, "alice", project)
    page.click("[data-component-id=orders_fn]")
    memory = page.locator("input[name='props.memory_mb']")
    memory.fill("99999")
    page.wait_for_selector("[data-error-for='props.memory_mb']:has-text('at most 10240')")
    state = page.locator(".save-state")
    assert state.inner_text() == "Not saved: 1 invalid field"
    assert state.get_attribute("data-invalid-fields") == "1"
    screenshot(page, "studio-invalid-field")
    # The invalid value stays, also after looking at another component and coming back.
    page.click("[data-component-id=orders]")
    page.click("[data-component-id=orders_fn]")
    assert memory.input_value() == "99999"
    assert state.inner_text() == "Not saved: 1 invalid field"
    assert component(head(project), "orders_fn")["props"]["memory_mb"] == 512  # as it was
    # Fixed, it saves and the header says so.
    memory.fill("2048")
    wait_saved(page)
    assert state.inner_text() == "All changes saved"
    assert component(head(project), "orders_fn")["props"]["memory_mb"] == 2048

    # Emptied, nothing is saved while it is empty and the hint says which default will apply; left empty,
    # the default applies and the field says it is the default.
    memory.fill("")
    page.wait_for_selector("[data-hint-for='props.memory_mb']:has-text('the default applies: 128')")
    page.wait_for_timeout(1200)  # past the autosave delay
    assert component(head(project), "orders_fn")["props"]["memory_mb"] == 2048
    page.locator("input[name='props.timeout_s']").focus()
    wait_saved(page)
    assert "memory_mb" not in component(head(project), "orders_fn")["props"]
    assert memory.input_value() == "128"
    page.wait_for_selector("[data-default-for='props.memory_mb']")


def test_the_autosaves_of_one_sitting_read_as_one_history_entry(live_server: Any, page: Any, project: Project) -> None:
    from tests.e2e.test_editor import wait_saved

    editor_as(page, live_server, "alice", project)
    page.click("[data-component-id=orders_fn]")
    for memory in ("256", "512", "1024", "2048"):
        page.fill("input[name='props.memory_mb']", memory)
        wait_saved(page)
        page.wait_for_timeout(100)
    head_number = project.revisions.order_by("-number").first().number
    assert head_number >= 3
    page.click("[data-action=history]")
    sitting = page.locator(f"[data-sitting='2-{head_number}']")
    sitting.wait_for()
    assert page.locator("li.sitting").count() == 2  # this sitting, and the project's creation
    assert sitting.locator("summary").inner_text().startswith(f"{head_number - 1} autosaves in this sitting")
    screenshot(page, "studio-history-sittings")
    # Every revision stays reachable: the sitting's first one opens read-only from inside the entry.
    sitting.locator("summary").click()
    sitting.locator("[data-revision-number='2'] [data-action=open-revision]").click()
    page.wait_for_selector("[data-banner=viewing]:has-text('revision 2')")
    assert page.locator(".revision-number").inner_text() == f"r2 of {head_number}"


def test_review_links_are_created_copied_listed_and_revoked_from_the_editor(
    live_server: Any, page: Any, project: Project, browser: Any
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    editor_as(page, live_server, "alice", project)
    page.click("[data-action=share]")
    dialog = page.locator("[data-dialog=share]")
    dialog.wait_for()
    dialog.locator("text=No active links.").wait_for()
    page.fill("#share-label", "Security review")
    dialog.locator("input[name=pin][value=pin]").check()
    page.select_option("#share-expiry", "7")
    page.click("[data-action=create-share-link]")
    url = dialog.locator("#share-url").input_value()
    assert url.startswith(f"{live_server.url}/review/")
    page.click("[data-action=copy-share-link]")
    dialog.locator("[data-copied]:has-text('Copied.')").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    row = dialog.locator("[data-share-link]")
    row.first.wait_for()  # the list reloads after the link is shown
    assert row.count() == 1
    assert "Security review" in row.inner_text() and "pinned to r1" in row.inner_text()
    assert "expires" in row.inner_text()
    screenshot(page, "studio-share-links")
    link = project.share_links.get()
    assert link.label == "Security review" and link.revision.number == 1 and link.expires_at is not None

    # The link works for someone without an account until it is revoked here.
    outsider = browser.new_context().new_page()
    assert outsider.goto(url).status == 200
    row.locator("[data-action=revoke-share-link]").click()
    dialog.locator("text=No active links.").wait_for()
    assert outsider.goto(url).status == 404
    outsider.context.close()
    link.refresh_from_db()
    assert link.revoked_at is not None
    page.keyboard.press("Escape")  # from inside the dialog, focus on one of its buttons
    dialog.wait_for(state="detached")


def test_arrow_keys_move_the_selected_component_as_one_edit(live_server: Any, page: Any, project: Project) -> None:
    from tests.e2e.test_editor import component, head, head_number, wait_saved

    editor_as(page, live_server, "alice", project)
    assert component(head(project), "orders_fn").get("position") is None  # placed by the lane layout
    node = page.locator(".react-flow__node[data-id=orders_fn]")
    shown = node.evaluate("(n) => n.style.transform")  # translate(Xpx, Ypx): where the lane layout put it
    x, y = (float(v) for v in re.findall(r"-?[\d.]+", shown)[:2])
    node.click()
    page.locator(".properties-panel[data-selected=orders_fn]").wait_for()
    node.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    for _ in range(100):  # the burst is placed once the keys rest, then autosaved
        if head_number(project) > 1:
            break
        page.wait_for_timeout(100)
    wait_saved(page)
    after = component(head(project), "orders_fn")["position"]
    assert (after["x"], after["y"]) == (x + 4 * 5 + 20, y)
    assert head_number(project) == 2  # one burst of key presses, one edit
    page.keyboard.press("Control+z")
    for _ in range(100):
        if head_number(project) > 2:
            break
        page.wait_for_timeout(100)
    wait_saved(page)
    assert component(head(project), "orders_fn").get("position") is None
