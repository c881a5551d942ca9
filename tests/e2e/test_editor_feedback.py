"""The design studio, second slice: connection editing, live findings and save problems on the canvas,
review comments, the revisions panel (read-only view, restore, visual diff), patterns, groups, copy/paste
and auto-layout."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rest_framework.test import APIClient

from apps.designs.document import validate_design
from apps.projects import services
from apps.projects.models import Project
from apps.review.models import Comment
from tests.conftest import WorkerFactory, client_for, design_doc
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor import component, head, head_number, log_in, open_editor, wait_saved


def editor_as(page: Any, live_server: Any, username: str, project: Project) -> str:
    """Log in as ``username`` and open ``project`` in the editor; returns the server's base URL."""
    base = live_server.url
    log_in(page, base, username)
    open_editor(page, base, project)
    return base


def connection(design: dict[str, Any], connection_id: str) -> dict[str, Any] | None:
    return next((c for c in design["connections"] if c["id"] == connection_id), None)


def select_edge(page: Any, edge_id: str) -> None:
    page.locator(f"[data-testid='rf__edge-{edge_id}'] .react-flow__edge-interaction").click(force=True)
    page.wait_for_selector(f"[data-selected-connection={edge_id}]")


def lay_out(page: Any, project: Project, *, press: Callable[[], None]) -> None:
    """Layout by the button or the L key, then wait for its revision and the fit that follows. ELK is
    fetched on first use, so on a busy machine the layout lands a while later: steps that went on at once
    would race it (the editor drops a layout of a design changed meanwhile; the fit moves the cards)."""
    laid_from = head_number(project)
    press()
    for _ in range(100):
        if head_number(project) > laid_from:
            break
        page.wait_for_timeout(100)
    wait_saved(page)
    page.wait_for_timeout(400)


def test_a_connection_is_edited_and_deleted_from_the_panel(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    editor_as(page, live_server, "alice", project)

    select_edge(page, "c2")
    route = page.locator("input[name='props.route']")
    assert route.input_value() == "GET /orders"
    # A route that breaks the schema's pattern is refused beside the field and not saved.
    route.fill("FETCH orders")
    page.wait_for_selector("[data-error-for='props.route']:has-text('invalid format')")
    route.fill("POST /orders")
    wait_saved(page)
    assert connection(head(project), "c2")["props"]["route"] == "POST /orders"
    page.locator("[data-edge-label]", has_text="POST /orders").wait_for()

    page.fill("input[name='props.ratio']", "20000")
    page.wait_for_selector("[data-error-for='props.ratio']:has-text('at most 10000')")
    page.fill("input[name='props.ratio']", "2")
    page.fill("[data-selected-connection] input[name=label]", "create orders")
    wait_saved(page)
    saved = connection(head(project), "c2")
    assert saved["props"]["ratio"] == 2 and saved["label"] == "create orders"

    # The kind is chosen among those valid for the pair (Lambda → DynamoDB allows several).
    select_edge(page, "c3")
    options = page.locator("select[name=kind] option").all_inner_texts()
    assert len(options) > 1
    page.select_option("select[name=kind]", "read")
    wait_saved(page)
    assert connection(head(project), "c3")["kind"] == "read"
    screenshot(page, "editor-connection")

    page.click("[data-action=delete-connection]")
    page.locator("[data-testid='rf__edge-c3']").wait_for(state="detached")
    wait_saved(page)
    assert connection(head(project), "c3") is None


def test_findings_and_save_problems_show_on_the_components_they_concern(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    editor_as(page, live_server, "alice", project)
    # The API has auth 'cognito' and no user pool: an error finding on it.
    badge = page.locator("[data-component-id=api] [data-badge=findings]")
    badge.wait_for()
    assert badge.get_attribute("data-severity") == "error"
    page.click("[data-component-id=api]")
    page.wait_for_selector("[data-findings-list] [data-finding=api-authorizer-missing]")
    screenshot(page, "editor-findings")

    # Fixing it (auth none) refreshes the findings after the save.
    page.select_option("select[name='props.auth']", "none")
    wait_saved(page)
    page.wait_for_selector(f".studio[data-findings-revision='{head_number(project)}']")
    assert page.locator("[data-component-id=api] [data-badge=findings][data-severity=error]").count() == 0

    # A 400 from the API lands on the component its pointer names.
    def refuse(route: Any) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        body = {
            "error": {
                "code": "invalid_design",
                "message": "The design document is invalid",
                "details": [{"pointer": "/design/components/2/props/memory_mb", "message": "too much memory"}],
            }
        }
        route.fulfill(status=400, content_type="application/json", body=json.dumps(body))

    page.route("**/api/projects/*/design/", refuse)
    page.click("[data-component-id=orders_fn]")
    page.fill("input[name='props.memory_mb']", "1024")
    page.wait_for_selector("[data-save-state=error]")
    page.wait_for_selector("[data-component-id=orders_fn][data-invalid=true] [data-badge=invalid]")
    page.wait_for_selector("[data-error-for='props.memory_mb']:has-text('too much memory')")
    screenshot(page, "editor-save-problem")


def test_members_see_reply_to_and_resolve_review_comments(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project, alice: Any
) -> None:
    link = client_for(alice).post(f"/api/projects/{project.pk}/share-links/", {"label": "review"}, format="json")
    token = link.json()["token"]
    reviewer = APIClient()
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    on_fn = reviewer.post(
        f"/api/review/{token}/comments/", {"author_name": "Rita", "body": evil, "component": "orders_fn"}, format="json"
    )
    assert on_fn.status_code == 201, on_fn.content
    reviewer.post(f"/api/review/{token}/comments/", {"author_name": "Rita", "body": "Overall fine"}, format="json")

    base = live_server.url
    log_in(page, base, "alice")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_editor(page, base, project)
    page.wait_for_selector("[data-component-id=orders_fn] [data-badge=comments][data-open-comments='1']")
    assert page.locator("[data-component-id=api] [data-badge=comments]").count() == 0
    # Nothing selected: the design-level list shows both comments.
    assert page.locator("[data-comments-list] [data-comment-id]").count() == 2

    page.click("[data-component-id=orders_fn]")
    body = page.locator("[data-comments-list] [data-comment-body]").first
    assert body.inner_text() == evil  # shown literally, never as HTML
    assert page.locator(".properties-panel img[src=x]").count() == 0
    page.fill("[data-comments-list] input[name=reply]", "Good point, <b>fixing</b>")
    page.click("[data-comments-list] [data-action=reply]")
    page.wait_for_selector("[data-comments-list] [data-reply-id]:has-text('<b>fixing</b>')")
    page.click("[data-comments-list] [data-action=resolve]")
    page.wait_for_selector("[data-comments-list] [data-comment-id][data-resolved=true]")
    page.locator("[data-component-id=orders_fn] [data-badge=comments]").wait_for(state="detached")
    screenshot(page, "editor-comments")
    comment = project.review_comments.get(pk=on_fn.json()["id"])
    assert comment.resolved_at is not None
    assert comment.replies.get().body == "Good point, <b>fixing</b>"
    page.click("[data-comments-list] [data-action=reopen]")
    page.wait_for_selector("[data-component-id=orders_fn] [data-badge=comments][data-open-comments='1']")
    assert not dialogs


def test_revisions_open_read_only_compare_and_restore(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project, alice: Any
) -> None:
    workers.start()
    # r2 adds a queue and changes the function's memory.
    design = head(project)
    design["components"].append({"id": "jobs", "type": "sqs_queue", "label": "Jobs"})
    next(c for c in design["components"] if c["id"] == "orders_fn")["props"]["memory_mb"] = 2048
    design["components"] = [c for c in design["components"] if c["id"] != "web"]
    design["connections"] = [c for c in design["connections"] if c["source"] != "web"]
    services.design_save(
        project=project, user=alice, design=validate_design(design), expected_number=1, message="Queue, more memory"
    )
    editor_as(page, live_server, "alice", project)
    page.click("[data-action=history]")
    page.wait_for_selector("[data-revision-number='2']:has-text('Queue, more memory')")
    assert page.locator("[data-revision-number='1']").inner_text().count("alice") == 1

    # Open r1 read-only: its components, a banner, and no editing.
    page.click("[data-revision-number='1'] [data-action=open-revision]")
    page.wait_for_selector("[data-banner=viewing]:has-text('revision 1')")
    page.locator("[data-component-id=web]").wait_for()
    assert page.locator("[data-component-id=jobs]").count() == 0
    assert page.locator(".studio[data-readonly=true]").count() == 1
    assert page.locator("[data-palette-type=lambda_function]").is_disabled()
    screenshot(page, "editor-revision-readonly")
    # Everything on screen is r1's: its number of the two, its estimate, and what Render renders.
    assert page.locator(".revision-number").inner_text() == "r1 of 2"
    page.wait_for_selector(".total-cost[data-cost-revision='1'][data-cost-status=done]", timeout=60_000)
    page.click("[data-job-button=render-svg]")
    link = page.locator("[data-job-action=render-svg] a[data-artifact-id]")
    link.wait_for(timeout=60_000)
    assert link.inner_text() == "orders-r1-render.svg"

    # Compare: the current design with what changed since r1 and the cost delta.
    page.click("[data-banner=viewing] button:has-text('Compare with current')")
    page.wait_for_selector("[data-banner=diff]")
    assert page.locator("[data-component-id=jobs][data-diff=added]").count() == 1
    assert page.locator("[data-component-id=orders_fn][data-diff=changed]").count() == 1
    assert page.locator("[data-component-id=web][data-diff=removed]").count() == 1
    assert page.locator("[data-component-id=orders][data-diff]").count() == 0
    assert page.locator("[data-cost-delta]").count() == 1
    # The connection that went with the removed client is drawn dashed, as removed.
    assert page.locator(".react-flow__edge.diff-removed").count() == 1
    assert page.locator("[data-testid='rf__edge-removed:c1']").count() == 1
    screenshot(page, "editor-revision-diff")
    page.click("[data-action=close-diff]")
    page.locator("[data-banner=diff]").wait_for(state="detached")
    assert page.locator(".revision-number").inner_text() == "r2 of 2"
    page.wait_for_selector(".total-cost[data-cost-revision='2'][data-cost-status=done]", timeout=60_000)

    # Restore r1 as r3.
    page.click("[data-revision-number='1'] [data-action=restore-revision]")
    page.wait_for_selector("[data-message]:has-text('as revision 3')")
    assert head_number(project) == 3
    project.refresh_from_db()
    assert project.head.message == "Restored revision 1"
    assert component(head(project), "web") is not None and component(head(project), "jobs") is None
    page.locator("[data-component-id=web]").wait_for()
    page.wait_for_selector("[data-revision-number='3']")


def test_a_pattern_is_inserted_and_groups_hold_components(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    editor_as(page, live_server, "alice", project)
    before = len(head(project)["components"])
    page.click("[data-action=insert-pattern]")
    page.select_option("[data-dialog=pattern] select[name=pattern]", "api-lambda-dynamodb")
    page.wait_for_selector("[data-dialog=pattern] select[name=map-table]")
    page.select_option("[data-dialog=pattern] select[name=map-table]", "orders")
    screenshot(page, "editor-pattern-dialog")
    page.click("[data-action=apply-pattern]")
    page.locator("[data-dialog=pattern]").wait_for(state="detached")
    page.wait_for_selector(f".studio[data-revision='{head_number(project)}']")
    assert head_number(project) == 2
    after = head(project)["components"]
    assert len(after) == before + 3  # the table was mapped onto ours
    page.wait_for_function(f"() => document.querySelectorAll('[data-component-id]').length === {len(after)}")

    # Every component now has its own spot in its lane (ours had no positions before the merge).
    spots = [(c["position"]["x"], c["position"]["y"]) for c in after]
    assert len(set(spots)) == len(spots)
    lay_out(page, project, press=lambda: page.click("[data-action=auto-layout]"))

    # A VPC group, and a component moved into it from the properties panel.
    page.locator(".react-flow__pane").click(position={"x": 40, "y": 40})
    page.click("[data-action=add-group-vpc]")
    wait_saved(page)
    assert [g["kind"] for g in head(project)["groups"]] == ["vpc"]
    page.click("[data-component-id=orders_fn]")
    page.select_option("select[name=group]", "vpc_1")
    wait_saved(page)
    assert component(head(project), "orders_fn")["group"] == "vpc_1"
    page.locator("[data-group-id=vpc_1]").wait_for()
    screenshot(page, "editor-groups")
    page.select_option("select[name=group]", "")
    wait_saved(page)
    assert component(head(project), "orders_fn")["group"] is None
    # The emptied group stays drawn where it was, ready to be filled again.
    page.locator("[data-group-id=vpc_1].empty").wait_for()


OVERLAPS_JS = """(groupId) => {
  const box = document.querySelector(`[data-group-id="${groupId}"]`).getBoundingClientRect();
  return [...document.querySelectorAll("[data-component-id]")]
    .filter((n) => {
      const r = n.getBoundingClientRect();
      return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
    })
    .map((n) => n.dataset.componentId)
    .sort();
}"""


def test_a_groups_box_holds_only_its_members_before_and_after_layout(
    live_server: Any, workers: WorkerFactory, page: Any, alice: Any, team: Any
) -> None:
    # No positions saved: the editor lays the design out itself. The VPC holds the function and the table,
    # not the API that sits between them in document order.
    design = design_doc(name="Grouped")
    design["groups"] = [{"id": "net", "kind": "vpc", "label": "Private"}]
    design["components"].insert(3, {"id": "auth", "type": "cognito_user_pool", "label": "Users"})
    for c in design["components"]:
        if c["id"] in ("orders_fn", "orders"):
            c["group"] = "net"
    grouped = services.project_create(team=team, user=alice, name="Grouped", design=validate_design(design))
    base = live_server.url
    log_in(page, base, "alice")
    open_editor(page, base, grouped)
    page.locator("[data-group-id=net]").wait_for()
    assert page.evaluate(OVERLAPS_JS, "net") == ["orders", "orders_fn"]

    page.locator(".react-flow__pane").click(position={"x": 40, "y": 40})
    lay_out(page, grouped, press=lambda: page.keyboard.press("l"))
    assert page.evaluate(OVERLAPS_JS, "net") == ["orders", "orders_fn"]
    screenshot(page, "editor-group-layout")


def drag(page: Any, handle: Any, to: tuple[float, float]) -> None:
    """Press on the middle of `handle`, move in steps as a hand would, release at `to` (page pixels)."""
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(*to, steps=12)
    page.mouse.up()


def centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_groups_are_edited_filled_by_drop_and_moved_with_their_members(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    editor_as(page, live_server, "alice", project)

    # A new VPC is drawn as an empty box to drop into, and opens in the group panel.
    page.click("[data-action=add-group-vpc]")
    page.wait_for_selector("[data-selected-group=vpc_1]")
    page.locator("[data-group-id=vpc_1].empty").wait_for()
    wait_saved(page)

    # Its settings come from the catalog, with the API's bounds beside the fields.
    page.fill("[data-selected-group] input[name='props.az_count']", "9")
    page.wait_for_selector("[data-error-for='props.az_count']:has-text('at most 6')")
    page.fill("[data-selected-group] input[name='props.az_count']", "3")
    page.fill("[data-selected-group] input[name='props.cidr']", "10.1.0.0/16")
    page.fill("[data-selected-group] input[name=label]", "Private network")
    wait_saved(page)
    group = head(project)["groups"][0]
    assert group["label"] == "Private network"
    assert group["props"] == {"az_count": 3, "cidr": "10.1.0.0/16"}
    page.locator("[data-group-handle=vpc_1]:has-text('Private network')").wait_for()

    # Dropping a component on the box puts it in the group.
    drag(page, page.locator("[data-component-id=orders_fn]"), centre(page.locator("[data-group-id=vpc_1]")))
    page.wait_for_selector("[data-message]:has-text('orders_fn is now in Private network')")
    wait_saved(page)
    assert component(head(project), "orders_fn")["group"] == "vpc_1"
    page.locator("[data-group-id=vpc_1]:not(.empty)").wait_for()
    screenshot(page, "editor-group-filled")

    # Dragging the group by its label moves its members along, in one edit.
    before = component(head(project), "orders_fn")
    number = head_number(project)
    x, y = centre(page.locator("[data-group-handle=vpc_1]"))
    drag(page, page.locator("[data-group-handle=vpc_1]"), (x + 160, y))
    page.wait_for_selector(f".studio[data-revision='{number + 1}']")
    wait_saved(page)
    after = component(head(project), "orders_fn")
    assert after["position"]["x"] > before["position"]["x"] + 40
    assert after["group"] == "vpc_1" and after["tier"] == "logic"
    assert head_number(project) == number + 1

    # Dropping it outside every box (here in the data lane) takes it out; the box stays where it was.
    x, y = centre(page.locator("[data-component-id=orders_fn]"))
    drag(page, page.locator("[data-component-id=orders_fn]"), (x - 60, y + 200))
    page.wait_for_selector("[data-message]:has-text('orders_fn left its group')")
    wait_saved(page)
    assert component(head(project), "orders_fn")["group"] is None
    assert component(head(project), "orders_fn")["tier"] == "data"
    page.locator("[data-group-id=vpc_1].empty").wait_for()
    screenshot(page, "editor-group-emptied")

    # Removing the group from its panel.
    page.click("[data-group-handle=vpc_1]")
    page.click("[data-selected-group=vpc_1] [data-action=remove-group]")
    wait_saved(page)
    assert head(project)["groups"] == []
    page.locator("[data-group-id=vpc_1]").wait_for(state="detached")


def test_copy_paste_and_auto_layout(live_server: Any, workers: WorkerFactory, page: Any, project: Project) -> None:
    editor_as(page, live_server, "alice", project)
    page.click("[data-component-id=orders_fn]")
    page.click("[data-component-id=orders]", modifiers=["Shift"])
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    page.locator("[data-component-id=lambda_function_1]").wait_for()
    page.locator("[data-component-id=dynamodb_table_1]").wait_for()
    wait_saved(page)
    design = head(project)
    copy = component(design, "lambda_function_1")
    assert copy is not None and copy["props"] == {"memory_mb": 512}
    assert any(c["source"] == "lambda_function_1" and c["target"] == "dynamodb_table_1" for c in design["connections"])
    assert len(design["connections"]) == 4  # only the connection inside the selection is copied

    page.locator(".react-flow__pane").click(position={"x": 40, "y": 40})
    lay_out(page, project, press=lambda: page.keyboard.press("l"))
    positions = {c["id"]: c["position"] for c in head(project)["components"]}
    logic = sorted(positions[i]["x"] for i in ("api", "orders_fn", "lambda_function_1"))
    assert len(set(logic)) == 3 and len({positions[i]["y"] for i in ("api", "orders_fn", "lambda_function_1")}) == 1
    page.keyboard.press("?")
    page.wait_for_selector("[data-dialog=help]:has-text('copy and paste')")
    page.wait_for_selector("[data-dialog=help]:has-text('lay the design out by tier')")
    page.keyboard.press("Escape")
    screenshot(page, "editor-layout")


def test_a_copy_pastes_into_another_projects_editor(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project, alice: Any
) -> None:
    design = design_doc(name="Payments")
    design["groups"] = [{"id": "vpc_a", "kind": "vpc", "label": "Private"}]
    next(c for c in design["components"] if c["id"] == "orders_fn")["group"] = "vpc_a"
    source = services.project_create(team=project.team, user=alice, name="Payments", design=validate_design(design))
    base = live_server.url
    log_in(page, base, "alice")
    open_editor(page, base, source)
    page.click("[data-component-id=orders_fn]")
    page.click("[data-component-id=orders]", modifiers=["Shift"])
    page.keyboard.press("Control+c")
    page.wait_for_selector("[data-message]:has-text('Copied 2 components')")

    # Another project's editor (a new tab of the same browser would do the same) pastes that copy.
    open_editor(page, base, project)
    page.locator(".react-flow__pane").click(position={"x": 40, "y": 40})
    page.keyboard.press("Control+v")
    page.locator("[data-component-id=lambda_function_1]").wait_for()
    wait_saved(page)
    pasted = head(project)
    copy = component(pasted, "lambda_function_1")
    assert copy is not None and copy["props"] == {"memory_mb": 512}
    assert copy["group"] is None  # its VPC belongs to the other project
    assert any(c["source"] == "lambda_function_1" and c["target"] == "dynamodb_table_1" for c in pasted["connections"])
    assert len(head(source)["components"]) == 4  # the source is untouched


def test_the_editor_says_when_no_worker_takes_its_jobs_and_recovers(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    editor_as(page, live_server, "alice", project)
    # No worker runs yet: the estimate and a render stay queued, and the editor says why instead of spinning.
    page.wait_for_selector("[data-cost-status=waiting]", timeout=30_000)
    page.wait_for_selector("[data-notice=waiting-for-worker]:has-text('no worker has taken them')")
    page.click("[data-job-button=render-svg]")
    page.wait_for_selector("[data-job-action=render-svg][data-waiting-worker]", timeout=30_000)
    screenshot(page, "editor-waiting-for-worker")

    # A worker comes up and both finish by themselves.
    workers.start()
    page.wait_for_selector(
        "[data-job-action=render-svg][data-job-status=succeeded] a[data-artifact-id]", timeout=90_000
    )
    page.wait_for_selector("[data-cost-status=done]", timeout=90_000)
    assert page.locator("[data-notice=waiting-for-worker]").count() == 0
    assert page.locator("[data-waiting-worker]").count() == 0


def test_viewers_see_comments_and_reply_but_cannot_resolve(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project, alice: Any
) -> None:
    token = client_for(alice).post(f"/api/projects/{project.pk}/share-links/", {}, format="json").json()["token"]
    APIClient().post(
        f"/api/review/{token}/comments/", {"author_name": "R", "body": "Hm", "component": "api"}, format="json"
    )
    editor_as(page, live_server, "vera", project)
    page.wait_for_selector("[data-component-id=api] [data-badge=comments]")
    page.click("[data-component-id=api]")
    page.wait_for_selector("[data-comments-list] [data-comment-body]:has-text('Hm')")
    assert page.locator("[data-comments-list] [data-action=resolve]").count() == 0
    page.locator("[data-comments-list] input[name=reply]").first.fill("Good question, asking the team.")
    page.locator("[data-comments-list] [data-action=reply]").first.click()
    page.wait_for_selector("[data-comments-list] .reply:has-text('Good question, asking the team.')")
    assert Comment.objects.get(parent__isnull=False).author_name == "vera"


def test_a_new_user_starts_a_project_from_the_pattern_gallery(
    live_server: Any, workers: WorkerFactory, page: Any
) -> None:
    from tests.e2e.test_editor import sign_up

    base = live_server.url
    sign_up(page, base, "nina")
    page.click("a[data-new-project]")
    card = page.locator("[data-pattern-card=api-lambda-dynamodb]")
    card.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-pattern-card] img')].slice(0, 3).every((i) => i.complete && i.naturalWidth > 0)"
    )
    assert card.locator("[data-pattern-cost]").count() == 1
    screenshot(page, "new-project-gallery")
    card.locator("[data-use-pattern]").click()
    page.wait_for_url("**/edit/")
    page.locator("[data-component-id=handler]").wait_for()
    assert page.locator("[data-component-id]").count() == 4
