"""Without a live session (a server with no WebSockets), a save that lost the race is merged three ways:
theirs stays, mine goes on top, and a field both changed is the person's choice (mine by default)."""

from __future__ import annotations

from typing import Any

from apps.projects.models import Project
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor import component, head, head_number, two_editors, wait_saved


def set_field(page: Any, component_id: str, name: str, value: str) -> None:
    page.click(f"[data-component-id={component_id}]")
    page.fill(f"input[name='{name}']", value)


def test_a_conflicting_save_keeps_their_changes_and_asks_about_the_field_both_changed(
    live_server: Any, browser: Any, project: Project
) -> None:
    base = live_server.url
    with two_editors(browser, base, project) as (alice, bob):
        alice.wait_for_selector("[data-live-status=unavailable]")  # the WSGI test server has no WebSockets

        set_field(alice, "orders_fn", "props.memory_mb", "2048")
        wait_saved(alice)
        set_field(alice, "api", "label", "Alice's API")
        wait_saved(alice)

        set_field(bob, "api", "label", "Bob's API")
        bob.wait_for_selector("[data-dialog=conflict] [data-conflict='component:api:label']")
        conflict = bob.locator("[data-conflict='component:api:label']")
        assert conflict.locator("input[value=mine]").is_checked()
        assert "Alice's API" in conflict.inner_text()
        screenshot(bob, "editor-merge-conflict")
        bob.click("[data-dialog=conflict] button:has-text('Keep mine on top')")
        wait_saved(bob)
        design = head(project)
        assert component(design, "api")["label"] == "Bob's API"
        assert component(design, "orders_fn")["props"]["memory_mb"] == 2048  # theirs, kept

        # Choosing theirs for the field both changed keeps their value and still adds my other changes.
        set_field(alice, "api", "label", "Alice again")
        alice.wait_for_selector("[data-conflict='component:api:label']")
        alice.check("[data-conflict='component:api:label'] input[value=theirs]")
        alice.click("[data-dialog=conflict] button:has-text('Keep mine on top')")
        wait_saved(alice)
        assert component(head(project), "api")["label"] == "Bob's API"
        assert head_number(project) == 4  # the merge is their revision as it is: nothing new to save
