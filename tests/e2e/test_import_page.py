"""Importing a template from the New project page: preview (diagram and report) before anything is created,
then create and land in the editor with the template's components on the canvas."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User

from apps.projects.models import Membership, Project, Revision, Role, Team
from tests.conftest import PASSWORD
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.e2e.test_editor import log_in
from tests.importing.helpers import FIXTURES, imported

PREVIEW = "[data-import-result]"
EDITOR_URL = re.compile(r".*/projects/(\d+)/edit/$")


def section_screenshot(page: Any, name: str) -> None:
    """The import section alone: the page below it (the pattern gallery) would dwarf it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section[aria-labelledby=import-title]").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def open_import(page: Any, base: str) -> None:
    page.goto(f"{base}/projects/new/")
    page.locator("[data-import-text]").wait_for()


def test_a_pasted_template_is_previewed_then_created_and_opened_in_the_editor(
    live_server: Any, page: Any, alice: User, team: Team
) -> None:
    log_in(page, live_server.url, "alice")
    open_import(page, live_server.url)

    page.fill("[data-import-text]", (FIXTURES / "orders_sam.yaml").read_text())
    page.select_option("[data-import-team]", str(team.pk))
    page.click("[data-import-preview-button]")

    preview = page.locator(PREVIEW)
    preview.locator("[data-import-preview] [data-component-id=orders_table]").wait_for()
    assert preview.locator("[data-preview-name]").inner_text() == "Orders service (test fixture)"
    drawn = len(imported("orders_sam.yaml").design.components)  # 11 resources and one SAM makes from events
    assert preview.locator("[data-import-preview] [data-component-id]").count() == drawn
    assert preview.locator("[data-count=resources] strong").inner_text() == "13"
    assert preview.locator("tr[data-resource]").count() == 13
    assert preview.locator("tr[data-resource=QueueFromTopic]").get_attribute("data-became") == "connection"
    assert "order_created_topic_to_fulfilment_queue" in preview.locator("tr[data-resource=QueueFromTopic]").inner_text()
    assert "Parameters" in preview.locator("[data-report-list=kept_sections]").inner_text()
    assert not Project.objects.exists()  # a preview creates nothing
    # Fitted to the view once the cards are measured (the first card, the API, in sight at a legible size).
    page.wait_for_function(
        "() => !document.querySelector('[data-import-preview] .react-flow__viewport').style.transform"
        ".startsWith('translate(0px, 0px) scale(1)')"
    )
    canvas = preview.locator("[data-import-preview]").bounding_box()
    card = preview.locator("[data-import-preview] [data-component-id=orders_api]").bounding_box()
    assert canvas is not None and card is not None
    assert canvas["x"] <= card["x"] and card["x"] + card["width"] <= canvas["x"] + canvas["width"]
    assert canvas["y"] <= card["y"] and card["y"] + card["height"] <= canvas["y"] + canvas["height"]
    assert card["width"] >= 0.75 * 170 - 1
    section_screenshot(page, "import-preview")

    page.click("[data-import-create]")
    page.wait_for_url(EDITOR_URL)
    page.locator(".react-flow__node-component [data-component-id=orders_table]").wait_for()
    assert page.locator(".react-flow__node-component").count() == drawn
    screenshot(page, "import-opened-in-editor")
    project = Project.objects.get()
    assert page.url.endswith(f"/projects/{project.pk}/edit/")
    assert (project.name, project.team_id) == ("Orders service (test fixture)", team.pk)
    assert Revision.objects.get(project=project).message == "Imported from a pasted template"


def test_an_uploaded_file_is_previewed_and_created(live_server: Any, page: Any, alice: User) -> None:
    log_in(page, live_server.url, "alice")
    open_import(page, live_server.url)

    page.set_input_files("[data-import-file]", str(FIXTURES / "pipeline_cfn.json"))
    assert page.locator("[data-import-text]").is_disabled()  # the chosen file is what is read
    page.fill("[data-import-name]", "Click stream")
    page.click("[data-import-preview-button]")
    page.locator(f"{PREVIEW} [data-import-preview] [data-component-id=click_stream]").wait_for()
    assert page.locator(f"{PREVIEW} [data-preview-name]").inner_text() == "Click stream"
    section_screenshot(page, "import-upload-preview")

    page.click("[data-import-create]")
    page.wait_for_url(EDITOR_URL)
    page.locator(".react-flow__node-component [data-component-id=click_stream]").wait_for()
    project = Project.objects.get()
    assert project.name == "Click stream"
    assert project.team_id == alice.personal_team.pk
    assert Revision.objects.get(project=project).message == "Imported from template pipeline_cfn.json"


def test_a_bad_template_shows_the_error_where_it_is_and_creates_nothing(
    live_server: Any, page: Any, alice: User
) -> None:
    log_in(page, live_server.url, "alice")
    open_import(page, live_server.url)

    page.fill("[data-import-text]", "Resources:\n  Queue:\n    Type: !Evil x\n")
    page.click("[data-import-preview-button]")
    # Said under the template's field, which the API's pointer (/template) names.
    error = page.locator("[data-field-error]")
    error.wait_for()
    assert "unknown tag !Evil at line 3" in error.inner_text()
    text = page.locator("[data-import-text]")
    assert text.get_attribute("aria-invalid") == "true"
    assert text.get_attribute("aria-describedby") == error.get_attribute("id")
    assert page.locator(PREVIEW).count() == 0
    section_screenshot(page, "import-refused")

    page.click("[data-import-create]")
    page.wait_for_selector("[data-import-create]:not([disabled])")
    error.wait_for()
    assert "unknown tag !Evil" in error.inner_text()
    assert page.url.endswith("/projects/new/")
    assert not Project.objects.exists()

    # Fixing the text clears the error.
    page.fill("[data-import-text]", (FIXTURES / "workflow.yaml").read_text())
    page.wait_for_selector("[data-field-error]", state="detached")


def test_a_team_where_i_became_a_viewer_is_pointed_out_at_the_team_field(
    live_server: Any, page: Any, alice: User, bob: User, team: Team
) -> None:
    log_in(page, live_server.url, "bob")
    open_import(page, live_server.url)
    page.fill("[data-import-text]", (FIXTURES / "workflow.yaml").read_text())
    page.select_option("[data-import-team]", str(team.pk))
    Membership.objects.filter(team=team, user=bob).update(role=Role.VIEWER)  # demoted while on the page

    page.click("[data-import-create]")

    error = page.locator("[data-field-error]")
    error.wait_for()
    assert error.inner_text() == "you are a viewer"
    assert page.locator("[data-import-team]").get_attribute("aria-describedby") == error.get_attribute("id")
    assert not Project.objects.exists()


def test_without_javascript_the_form_imports_and_opens_the_editor(live_server: Any, browser: Any, alice: User) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/projects/new/")

        page.fill("#import-text", "Resources: [unclosed\n")
        page.click("form.import-fallback button[type=submit]")
        assert "not valid YAML" in page.locator("[data-import-error]").inner_text()
        assert page.locator("#import-text").input_value() == "Resources: [unclosed\n"  # kept to be fixed
        assert not Project.objects.exists()

        page.set_input_files("#import-file", str(FIXTURES / "workflow.yaml"))
        page.fill("#import-text", "")
        page.click("form.import-fallback button[type=submit]")
        page.wait_for_url(EDITOR_URL)
        project = Project.objects.get()
        assert project.name == "workflow"
        assert Revision.objects.get(project=project).message == "Imported from template workflow.yaml"
    finally:
        context.close()
