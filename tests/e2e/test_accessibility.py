"""axe-core, run in the browser on the pages people use, finds no serious or critical violation.

The dashboard, the new-project page, the editor (with the properties panel, the help and the share dialog
open), the project page and the review page an outsider opens. axe-core is the npm package the studio's
dev dependencies install (frontend/node_modules); its WCAG 2.x A and AA rules are checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from apps.projects.models import Project
from apps.review import services as review_services
from tests.conftest import WorkerFactory
from tests.e2e.conftest import browser_page, screenshot
from tests.e2e.test_editor import log_in, open_editor

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page whose context lets axe-core's script in past the pages' Content-Security-Policy."""
    with browser_page(browser, bypass_csp=True) as page:
        yield page


def serious_violations(page: Any) -> list[str]:
    """What axe-core reports as serious or critical on the page as it is now, one line per element."""
    if not AXE.exists():
        pytest.fail("axe-core is missing from frontend/node_modules; run `make setup`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            found.append(f"{violation['id']} ({violation['impact']}): {node['target']} — {node['failureSummary']}")
    return found


def assert_accessible(page: Any, name: str) -> None:
    found = serious_violations(page)
    screenshot(page, f"a11y-{name}")
    assert not found, f"{name}:\n" + "\n".join(found)


def test_the_dashboard_and_the_new_project_page(live_server: Any, page: Any, project: Project) -> None:
    log_in(page, live_server.url, "alice")
    page.locator(f"a[href='/projects/{project.pk}/']").first.wait_for()
    assert_accessible(page, "dashboard")
    # The check itself works: an image without a text alternative is a critical violation.
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/none.png'; img.id = 'bare'; document.body.append(img); }"
    )
    assert any(line.startswith("image-alt") for line in serious_violations(page))
    page.evaluate("() => document.getElementById('bare').remove()")
    page.goto(f"{live_server.url}/projects/new/")
    page.locator("form").first.wait_for()
    assert_accessible(page, "new-project")


def test_the_editor_with_its_panels_and_dialogs(live_server: Any, page: Any, project: Project) -> None:
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)
    assert_accessible(page, "editor")
    page.locator(".react-flow__node[data-id=orders_fn]").click()
    page.locator(".properties-panel[data-selected=orders_fn]").wait_for()
    assert_accessible(page, "editor-properties")
    page.locator("body").press("?")
    page.locator("[role=dialog]").first.wait_for()
    assert_accessible(page, "editor-help")
    page.keyboard.press("Escape")
    page.locator("[role=dialog]").first.wait_for(state="detached")


def test_the_project_page_and_the_review_page(
    live_server: Any, workers: WorkerFactory, browser: Any, page: Any, project: Project, alice: User
) -> None:
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.locator("h1").first.wait_for()
    assert_accessible(page, "project-page")

    _, token = review_services.share_link_create(project=project, user=alice, revision=None, label="a11y")
    outsider = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        review = outsider.new_page()
        review.goto(f"{live_server.url}/review/{token}/")
        review.locator("[data-component-id]").first.wait_for()
        assert_accessible(review, "review-page-preparing")
        workers.start()
        review.locator("[data-total]").wait_for(timeout=60_000)
        review.locator("#findings .finding").first.wait_for(timeout=60_000)
        assert_accessible(review, "review-page-ready")
    finally:
        outsider.close()
