"""An outside reviewer opens a review link with no account, comments on a component; the team resolves it.

What the page shows beyond the design itself is made by a worker: the reviewer first sees it being
prepared, and the parts appear by themselves once it has run, without losing what the reviewer typed.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User

from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.review.models import Comment
from tests.conftest import PASSWORD, WorkerFactory
from tests.e2e.conftest import screenshot


def test_a_reviewer_without_an_account_comments_and_the_team_resolves_it(
    live_server: Any, workers: WorkerFactory, browser: Any, alice: User
) -> None:
    project = services.project_create(
        team=alice.personal_team, user=alice, name="Storefront", design=pattern_library()["spa-cloudfront-api"].design
    )

    owner = browser.new_context(viewport={"width": 1280, "height": 900})
    page = owner.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.fill("input[name=label]", "For the security review")
    page.click("button:has-text('Create review link')")
    link = page.locator("[data-new-link]").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/review/[A-Za-z0-9_-]{{43}}/", link)

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900})  # fresh: no cookies, no login
    review = reviewer.new_page()
    review.goto(link)
    # No worker yet: the design is there, the rest is being prepared.
    assert review.locator("#diagram .preparing").inner_text().startswith("The diagram is being prepared")
    assert review.locator("#findings .preparing").is_visible()
    assert review.locator("[data-component-id=api]").count() == 1
    review.fill("input[name=author_name]", "Rita <Reviewer>")
    review.select_option("select[name=component]", "api")
    review.fill("textarea[name=body]", "<script>alert('x')</script> Should this API be cached?")
    screenshot(review, "review-page-preparing")

    workers.start()
    review.wait_for_function(
        "() => { const img = document.querySelector('img.diagram'); return img && img.complete && img.naturalWidth > 0; }",
        timeout=60_000,
    )
    review.locator("[data-total]").wait_for(timeout=60_000)
    review.locator("#findings .finding").first.wait_for(timeout=60_000)
    assert review.locator("[data-total]").inner_text().startswith("$")
    assert review.locator(".preparing").count() == 0
    assert review.locator("textarea[name=body]").input_value().endswith("Should this API be cached?")
    screenshot(review, "review-page-ready")
    review.click("button:has-text('Comment')")
    review.wait_for_url(re.compile(r".*#comments$"))
    comment = review.locator("#comments .comment").first
    assert "<script>alert('x')</script> Should this API be cached?" in comment.inner_text()
    screenshot(review, "review-page")
    reviewer.close()

    page.reload()
    member_view = page.locator(f"[data-comment-id='{Comment.objects.get().pk}']")
    assert "Rita <Reviewer>" in member_view.inner_text() and "api" in member_view.inner_text()
    member_view.locator("button:has-text('Resolve')").click()
    page.wait_for_load_state()
    assert Comment.objects.get().resolved_at is not None
    owner.close()
