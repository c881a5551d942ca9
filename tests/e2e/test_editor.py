"""The design studio: compose a design on the canvas, autosave with If-Match, undo, resolve a conflict with a
teammate, and render and export from the editor."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils.text import slugify

from apps.projects.models import Project
from tests.conftest import PASSWORD, WorkerFactory
from tests.e2e.conftest import browser_page, screenshot

SAVED = "[data-save-state=saved]"


def sign_up(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=username]", username)
    page.fill("input[name=email]", f"{username}@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def open_editor(page: Any, base: str, project: Project) -> None:
    page.goto(f"{base}/projects/{project.pk}/edit/")
    page.locator(".react-flow__node-component").first.wait_for()
    page.wait_for_selector(SAVED)


@contextmanager
def two_editors(browser: Any, base: str, project: Project) -> Iterator[tuple[Any, Any]]:
    """alice and bob, each in a browser of their own, with ``project`` open in the editor."""
    with browser_page(browser) as alice, browser_page(browser) as bob:
        log_in(alice, base, "alice")
        log_in(bob, base, "bob")
        open_editor(alice, base, project)
        open_editor(bob, base, project)
        yield alice, bob


def wait_saved(page: Any) -> None:
    # The state turns to "saving" as soon as a change is made, so "saved" means the server has it.
    page.wait_for_selector(SAVED, timeout=15_000)


def head(project: Project) -> dict[str, Any]:
    project.refresh_from_db()
    return project.head.design


def head_number(project: Project) -> int:
    project.refresh_from_db()
    return project.head_number


def component(design: dict[str, Any], component_id: str) -> dict[str, Any] | None:
    return next((c for c in design["components"] if c["id"] == component_id), None)


def connect(page: Any, source: str, target: str) -> None:
    start = page.locator(f"[data-component-id={source}] .react-flow__handle.source").bounding_box()
    end = page.locator(f"[data-component-id={target}] .react-flow__handle.target").bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def test_a_new_user_composes_a_design_and_downloads_its_outputs(
    live_server: Any, workers: WorkerFactory, page: Any
) -> None:
    workers.start()
    base = live_server.url
    sign_up(page, base, "erin")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        f"{base}/api/projects/", data={"pattern": "api-lambda-dynamodb"}, headers={"X-CSRFToken": csrf}
    )
    assert answer.status == 201, answer.text()
    project = Project.objects.get(pk=answer.json()["id"])

    page.goto(f"{base}/projects/{project.pk}/")
    page.click("a[data-open-editor]")
    page.wait_for_url(re.compile(rf".*/projects/{project.pk}/edit/$"))
    page.locator(".react-flow__node-component").first.wait_for()
    assert page.locator("[data-component-id]").count() == len(head(project)["components"]) == 4
    for tier in ("presentation", "logic", "data"):
        assert page.locator(f"[data-tier-lane={tier}]").count() == 1
    assert page.locator("[data-component-id=handler] img.icon").get_attribute("src") == (
        "/static/icons/aws/compute/lambda.png"
    )
    page.wait_for_selector("[data-cost-revision='1']")
    screenshot(page, "editor-opened")

    # Add a Lambda from the palette: a new node in the logic lane, saved as revision 2.
    page.fill("input[aria-label='Search services']", "lambda")
    page.click("[data-palette-type=lambda_function]")
    page.locator("[data-component-id=lambda_function_1]").wait_for()
    wait_saved(page)
    assert component(head(project), "lambda_function_1")["tier"] == "logic"
    assert head_number(project) == 2

    # Connect it to the table: the pair allows several kinds, so a chooser asks which.
    connect(page, "lambda_function_1", "table")
    page.click("[data-dialog=kind] [data-kind=read_write]")
    page.locator("[data-edge-label]", has_text="read_write").nth(1).wait_for()
    wait_saved(page)
    connections = head(project)["connections"]
    assert {"source": "lambda_function_1", "target": "table", "kind": "read_write"}.items() <= next(
        c for c in connections if c["source"] == "lambda_function_1"
    ).items()
    # A pair no connection kind fits is refused with a message.
    connect(page, "table", "client")
    page.wait_for_selector("[data-message]:has-text('cannot be connected')")
    assert len(head(project)["connections"]) == len(connections)

    # Give it traffic and change its memory in the properties panel: out of bounds is refused beside the
    # field, then a valid value saves a new revision and the cost follows.
    page.click("[data-component-id=lambda_function_1]")
    page.fill("input[name='usage.requests_per_month']", "5000000")
    wait_saved(page)
    memory = page.locator("input[name='props.memory_mb']")
    memory.fill("64")
    page.wait_for_selector("[data-error-for='props.memory_mb']:has-text('at least 128')")
    revisions_before = project.revisions.count()
    page.wait_for_selector(f"[data-cost-revision='{head_number(project)}']")
    total_before = page.locator("[data-total-cost]").get_attribute("data-total-cost")
    memory.fill("4096")
    wait_saved(page)
    assert project.revisions.count() == revisions_before + 1
    assert component(head(project), "lambda_function_1")["props"]["memory_mb"] == 4096
    page.wait_for_selector(f"[data-cost-revision='{head_number(project)}']")
    assert page.locator("[data-total-cost]").get_attribute("data-total-cost") != total_before
    page.locator("[data-component-id=lambda_function_1] [data-cost]").wait_for()
    screenshot(page, "editor-composed")

    # Undo restores the memory (as a new revision); redo brings it back.
    page.locator(".react-flow__pane").click(position={"x": 40, "y": 40})
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert "memory_mb" not in component(head(project), "lambda_function_1")["props"]
    page.keyboard.press("Control+Shift+z")
    wait_saved(page)
    assert component(head(project), "lambda_function_1")["props"]["memory_mb"] == 4096

    # Delete removes the component and its connections; undo puts them back.
    page.click("[data-component-id=lambda_function_1]")
    page.keyboard.press("Delete")
    page.locator("[data-component-id=lambda_function_1]").wait_for(state="detached")
    wait_saved(page)
    assert component(head(project), "lambda_function_1") is None
    page.keyboard.press("Control+z")
    page.locator("[data-component-id=lambda_function_1]").wait_for()
    wait_saved(page)
    assert component(head(project), "lambda_function_1") is not None

    # The help overlay lists the shortcuts.
    page.keyboard.press("?")
    page.wait_for_selector("[data-dialog=help]:has-text('undo')")
    screenshot(page, "editor-help")
    page.keyboard.press("Escape")
    # It fits a short window too: it scrolls, and its Close button stays in view and closes it.
    size = page.viewport_size
    page.set_viewport_size({"width": 1024, "height": 480})
    page.keyboard.press("?")
    close = page.locator("[data-dialog=help] .dialog-actions button")
    box = close.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 480, box
    screenshot(page, "editor-help-short-window")
    close.click()
    page.locator("[data-dialog=help]").wait_for(state="detached")
    page.set_viewport_size(size)

    # Render and export from the editor, and download the files.
    # Their progress and downloads land in the jobs tray: the header keeps its height all along.
    downloads: dict[str, Path] = {}
    header = page.locator(".studio-header")
    header_height = header.bounding_box()["height"]
    for action in ("render-svg", "export-sam", "export-cdk"):
        page.click(f"[data-job-button={action}]")
        page.wait_for_selector(f"[data-job-action={action}]")
        assert header.bounding_box()["height"] == header_height
        link = page.locator(f"[data-job-action={action}] a[data-artifact-id]")
        link.wait_for(timeout=90_000)
        assert header.bounding_box()["height"] == header_height
        with page.expect_download() as download:
            link.click()
        downloads[action] = Path(download.value.path())
        kind = {"render-svg": "render.svg", "export-sam": "export-sam.zip", "export-cdk": "export-cdk-python.zip"}[
            action
        ]
        assert download.value.suggested_filename == f"{slugify(project.name)}-r{head_number(project)}-{kind}"
    screenshot(page, "editor-downloads")
    assert "<svg" in downloads["render-svg"].read_text(encoding="utf-8")
    sam = zipfile.ZipFile(io.BytesIO(downloads["export-sam"].read_bytes()))
    template = next(name for name in sam.namelist() if name.endswith("template.yaml"))
    assert "AWS::Serverless-2016-10-31" in sam.read(template).decode()
    names = zipfile.ZipFile(io.BytesIO(downloads["export-cdk"].read_bytes())).namelist()
    assert any(name.endswith("app.py") for name in names)


def test_the_second_save_gets_the_conflict_dialog_and_nothing_is_lost(
    live_server: Any, workers: WorkerFactory, browser: Any, project: Project
) -> None:
    base = live_server.url
    with two_editors(browser, base, project) as (alice, bob):
        alice.click("[data-palette-type=lambda_function]")
        alice.locator("[data-component-id=lambda_function_1]").wait_for()
        wait_saved(alice)
        assert head_number(project) == 2

        bob.click("[data-palette-type=sqs_queue]")
        bob.wait_for_selector("[data-dialog=conflict]")
        assert bob.locator("[data-save-state=conflict]").count() == 1
        screenshot(bob, "editor-conflict")
        bob.click("[data-dialog=conflict] button:has-text('Keep mine on top')")
        wait_saved(bob)
        assert component(head(project), "sqs_queue_1") is not None
        assert head_number(project) == 3
        # Alice's revision stays in the history.
        assert component(project.revisions.get(number=2).design, "lambda_function_1") is not None

        # Alice edits again on her stale revision: she gets the dialog too, reloads theirs, and her own
        # version is one undo away.
        alice.click("[data-palette-type=sns_topic]")
        alice.wait_for_selector("[data-dialog=conflict]")
        alice.click("[data-dialog=conflict] button:has-text('Reload theirs')")
        alice.locator("[data-component-id=sqs_queue_1]").wait_for()
        assert alice.locator("[data-component-id=sns_topic_1]").count() == 0
        wait_saved(alice)
        alice.locator(".react-flow__pane").click(position={"x": 40, "y": 40})
        alice.keyboard.press("Control+z")
        alice.locator("[data-component-id=sns_topic_1]").wait_for()
        wait_saved(alice)
        assert component(head(project), "sns_topic_1") is not None
        assert head_number(project) == 4


def test_viewers_get_the_editor_read_only_and_outsiders_get_404(project: Project, vera: User, charlie: User) -> None:
    client = Client()
    client.force_login(vera)
    page = client.get(f"/projects/{project.pk}/edit/")
    assert page.status_code == 200
    assert b'data-read-only="true"' in page.content
    assert b"studio/dist/editor.js" in page.content
    client.force_login(charlie)
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 404
    client.logout()
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 302


def test_editors_get_the_editor_writable(project: Project, bob: User) -> None:
    client = Client()
    client.force_login(bob)
    page = client.get(f"/projects/{project.pk}/edit/")
    assert b'data-read-only="false"' in page.content
    assert f'data-project-id="{project.pk}"'.encode() in page.content


def test_a_pair_aws_does_not_support_is_refused_with_awss_reason(
    live_server: Any, page: Any, team: Any, alice: User
) -> None:
    from apps.designs.document import validate_design
    from apps.projects import services

    design = {
        "schema": "tierplan.design/v1",
        "name": "HTTP API",
        "components": [
            {"id": "http", "type": "api_gateway_http", "label": "HTTP API"},
            {"id": "queue", "type": "sqs_queue", "label": "Jobs"},
            {"id": "table", "type": "dynamodb_table", "label": "Orders"},
        ],
    }
    project = services.project_create(team=team, user=alice, name="HTTP API", design=validate_design(design))
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)
    # An HTTP API has no DynamoDB integration: refused with the catalog's reason, nothing saved.
    connect(page, "http", "table")
    page.wait_for_selector("[data-message]:has-text('HTTP APIs integrate directly with SQS, Kinesis')")
    assert head(project)["connections"] == []
    # One it has is made at once (the only kind that fits).
    connect(page, "http", "queue")
    page.wait_for_selector("[data-message]:has-text('Connected')")
    wait_saved(page)
    assert [c["kind"] for c in head(project)["connections"]] == ["integrate"]
