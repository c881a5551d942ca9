"""An owner invites an address; the person who reads that mailbox signs up from the link and joins.

In a real browser, because what a browser sends decides it: with the page's referrer policy at
"no-referrer", Chromium posted the Accept form with "Origin: null" and Django's CSRF check refused it.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.core import mail

from apps.projects import services
from apps.projects.models import Membership, Role
from tests.e2e.conftest import screenshot


def test_an_invited_person_signs_up_from_the_link_accepts_and_joins(
    live_server: Any, page: Any, alice: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    team = services.team_create(name="Platform", owner=alice)
    services.invitation_create(
        team=team,
        email="nina@corp.example",
        role=Role.EDITOR,
        invited_by=alice,
        link_for=lambda token: f"{live_server.url}/invitations/{token}/",
    )
    link = re.search(r"http://\S+/invitations/[A-Za-z0-9_-]+/", mail.outbox[-1].body).group(0)

    page.goto(link)
    assert "alice invites you to the team" in page.locator("main, body").first.inner_text()
    page.click(".actions >> text=Sign up")
    page.fill("input[name=username]", "nina")
    page.fill("input[name=email]", "nina@corp.example")
    page.fill("input[name=password]", "a long pass phrase for nina")
    page.click("button[type=submit]")
    page.wait_for_url(link)  # back on the invitation, signed in
    screenshot(page, "invitation-signed-in")
    page.click("button:has-text('Accept')")
    page.wait_for_url(f"{live_server.url}/")

    assert Membership.objects.get(team=team, user__username="nina").role == Role.EDITOR
    assert "Platform" in page.inner_text("body")
    screenshot(page, "invitation-accepted")
