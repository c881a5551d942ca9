"""An outside reviewer opens a review link with no account, comments on a component; the team resolves it."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User

from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.review.models import Comment
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot


def test_a_reviewer_without_an_account_comments_and_the_team_resolves_it(
    live_server: Any, browser: Any, alice: User
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
    assert review.locator("img.diagram").evaluate("img => img.naturalWidth > 0")
    assert review.locator("[data-total]").inner_text().startswith("$")
    assert review.locator("#findings .finding").count() >= 1
    review.fill("input[name=author_name]", "Rita <Reviewer>")
    review.select_option("select[name=component]", "api")
    review.fill("textarea[name=body]", "<script>alert('x')</script> Should this API be cached?")
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
