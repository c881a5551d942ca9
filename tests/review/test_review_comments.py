"""What conversation a review link shows: its own, on the revision it shows, with members unnamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from apps.designs.document import validate_design
from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.projects.models import Project, Team
from apps.review import services as review_services
from apps.review.models import ShareLink


@pytest.fixture
def shared(team: Team, alice: User, media_root: Path) -> Project:
    return services.project_create(
        team=team, user=alice, name="Shop", design=pattern_library()["spa-cloudfront-api"].design
    )


def new_link(project: Project, user: User, *, pinned: bool = False) -> tuple[ShareLink, str]:
    return review_services.share_link_create(project=project, user=user, revision=project.head if pinned else None)


def comment(client: APIClient, token: str, body: str, **extra: Any) -> Any:
    posted = client.post(
        f"/api/review/{token}/comments/", {"author_name": "Rita", "body": body}, format="json", **extra
    )
    assert posted.status_code == 201, posted.content
    return posted.json()


def save_new_revision(project: Project, user: User) -> None:
    design = validate_design({**project.head.design, "name": "Shop, second take"})
    services.design_save(project=project, user=user, design=design, expected_number=project.head_number, message="")


def bodies(token: str) -> list[str]:
    return [c["body"] for c in APIClient().get(f"/api/review/{token}/").json()["comments"]]


def test_a_link_shows_only_the_comments_made_through_it_on_the_revision_it_shows(shared: Project, alice: User) -> None:
    _, pinned = new_link(shared, alice, pinned=True)
    _, latest = new_link(shared, alice)
    _, other = new_link(shared, alice, pinned=True)  # same revision as `pinned`, other audience
    anonymous = APIClient()
    comment(anonymous, pinned, "About revision 1, through the pinned link")
    comment(anonymous, latest, "About revision 1, through the newest-following link")
    comment(anonymous, other, "Through a third link, for other eyes")
    save_new_revision(shared, alice)
    comment(anonymous, latest, "About revision 2, through the newest-following link")

    assert bodies(pinned) == ["About revision 1, through the pinned link"]
    assert bodies(latest) == ["About revision 2, through the newest-following link"]
    assert bodies(other) == ["Through a third link, for other eyes"]
    html = Client().get(f"/review/{latest}/").content.decode()
    assert "About revision 2, through the newest-following link" in html
    assert "through the pinned link" not in html and "for other eyes" not in html and "About revision 1" not in html
    # The team still sees every one of them.
    team_view = APIClient()
    team_view.force_authenticate(alice)
    assert len(team_view.get(f"/api/projects/{shared.pk}/comments/").json()) == 4


def test_members_replies_show_on_the_link_under_no_username(
    shared: Project, alice: User, bob: User, as_bob: APIClient
) -> None:
    _, token = new_link(shared, alice)
    asked = comment(APIClient(), token, "Is the API cached?")
    reply = as_bob.post(
        f"/api/projects/{shared.pk}/comments/{asked['id']}/replies/", {"body": "Not yet."}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["author_name"] == "bob"  # members see each other's names

    shown = APIClient().get(f"/api/review/{token}/").json()["comments"]
    assert shown[0]["author_name"] == "Rita"
    assert shown[0]["replies"][0] == {**shown[0]["replies"][0], "author_name": "Team member", "member": True}
    assert shown[0]["replies"][0]["body"] == "Not yet."
    html = Client().get(f"/review/{token}/").content.decode()
    assert "<strong>Team member</strong>" in html and "Not yet." in html
    assert "bob" not in html and "alice" not in html
    assert "bob" not in str(shown)
