"""A person's first session: sign up, find the project a teammate shared, render it, download the SVG."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.projects.models import Role, Team
from tests.conftest import PASSWORD, WorkerFactory
from tests.e2e.conftest import screenshot


def test_a_new_user_signs_up_and_renders_a_shared_design(
    live_server: Any, workers: WorkerFactory, page: Any, alice: User
) -> None:
    workers.start()
    team: Team = services.team_create(name="Platform", owner=alice)
    project = services.project_create(
        team=team, user=alice, name="Checkout", design=pattern_library()["single-domain"].design
    )

    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=username]", "dora")
    page.fill("input[name=email]", "dora@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "No projects yet" in page.content()

    services.membership_add(team=team, user=User.objects.get(username="dora"), role=Role.EDITOR)
    page.reload()
    page.click(f"tr[data-project-id='{project.pk}'] a")
    page.wait_for_url(re.compile(rf".*/projects/{project.pk}/$"))
    assert "your role: editor" in page.content()

    page.click("button[value=render-svg]")
    link = page.locator("a[data-artifact-id]")
    link.wait_for()  # the page refreshes itself until the worker is done
    screenshot(page, "project-page-rendered")
    with page.expect_download() as download:
        link.click()
    saved = download.value
    assert saved.suggested_filename == "checkout-r1-render.svg"
    svg = Path(saved.path()).read_text(encoding="utf-8")
    assert "<svg" in svg and "data:image/png;base64," in svg

    page.click("button:has-text('Log out')")
    page.wait_for_url(re.compile(r".*/accounts/login/$"))
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert "/accounts/login/" in page.url
