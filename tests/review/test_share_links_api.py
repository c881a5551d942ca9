"""Share links: created by editors, token shown once and stored hashed, revoked/expired/unknown all 404."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.projects.models import Project, Team
from apps.review.models import Comment, ShareLink
from tests.review.preparing import run_queued_jobs


@pytest.fixture
def shared(team: Team, alice: Any) -> Project:
    return services.project_create(team=team, user=alice, name="Shop", design=pattern_library()["single-domain"].design)


def create_link(client: APIClient, project: Project, **body: Any) -> Any:
    return client.post(f"/api/projects/{project.pk}/share-links/", body, format="json")


def test_an_editor_creates_a_link_and_sees_the_token_once(as_bob: APIClient, shared: Project) -> None:
    response = create_link(as_bob, shared, label="For the architects", allow_downloads=True, expires_in_days=7)
    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) >= 43 and body["url"].endswith(f"/review/{body['token']}/")
    assert body["follows_latest"] is True and body["allow_downloads"] is True
    listed = as_bob.get(f"/api/projects/{shared.pk}/share-links/").json()
    assert "token" not in listed[0] and listed[0]["label"] == "For the architects"
    stored = ShareLink.objects.get()
    assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in str(ShareLink.objects.values_list())  # only the hash is kept


def test_viewers_and_outsiders_cannot_create_links(as_vera: APIClient, as_charlie: APIClient, shared: Project) -> None:
    assert create_link(as_vera, shared).status_code == 403
    assert create_link(as_charlie, shared).status_code == 404
    assert not ShareLink.objects.exists()


def test_a_link_can_pin_a_revision(as_alice: APIClient, shared: Project) -> None:
    token = create_link(as_alice, shared, revision=1).json()["token"]
    assert APIClient().get(f"/api/review/{token}/").json()["revision"]["number"] == 1
    assert create_link(as_alice, shared, revision=9).status_code == 400


def test_revoked_expired_and_unknown_tokens_all_answer_404(as_alice: APIClient, shared: Project) -> None:
    anonymous = APIClient()
    revoked = create_link(as_alice, shared).json()
    assert anonymous.get(f"/api/review/{revoked['token']}/").status_code == 200
    assert as_alice.delete(f"/api/projects/{shared.pk}/share-links/{revoked['id']}/").status_code == 204
    expired = create_link(as_alice, shared).json()
    ShareLink.objects.filter(pk=expired["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    answers = [anonymous.get(f"/api/review/{t}/") for t in (revoked["token"], expired["token"], "x" * 43, "nope")]
    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert len({a.content for a in answers}) == 1  # indistinguishable
    assert anonymous.get(f"/review/{revoked['token']}/").status_code == 404


def test_the_review_json_has_the_diagram_cost_findings_and_comments(
    as_alice: APIClient, shared: Project, media_root: Path
) -> None:
    token = create_link(as_alice, shared).json()["token"]
    assert APIClient().get(f"/api/review/{token}/").json()["diagram_svg"] is None  # until a worker made it
    run_queued_jobs()
    response = APIClient().get(f"/api/review/{token}/")
    assert response["Referrer-Policy"] == "no-referrer" and "noindex" in response["X-Robots-Tag"]
    body = response.json()
    assert body["diagram_svg"].startswith("<?xml") and body["estimate"]["total_monthly_usd"] > 0
    assert isinstance(body["findings"], list) and [t["id"] for t in body["tiers"]] == ["presentation", "logic", "data"]
    assert body["comments"] == []


def test_anyone_with_the_link_comments_and_members_reply_and_resolve(
    as_alice: APIClient, as_bob: APIClient, as_vera: APIClient, shared: Project
) -> None:
    token = create_link(as_alice, shared).json()["token"]
    anonymous = APIClient()
    posted = anonymous.post(
        f"/api/review/{token}/comments/",
        {"author_name": "Rita Reviewer", "body": "<script>alert(1)</script> is the API cached?", "component": "api"},
        format="json",
    )
    assert posted.status_code == 201 and posted.json()["component"] == "api"
    bad = anonymous.post(
        f"/api/review/{token}/comments/", {"author_name": "Rita", "body": "x", "component": "ghost"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["pointer"] == "/component"
    assert (
        anonymous.post(f"/api/review/{token}/comments/", {"author_name": "", "body": "x"}, format="json").status_code
        == 400
    )

    comments = as_vera.get(f"/api/projects/{shared.pk}/comments/").json()
    assert comments[0]["body"] == "<script>alert(1)</script> is the API cached?" and comments[0]["member"] is False
    comment_id = comments[0]["id"]
    assert (
        as_vera.patch(
            f"/api/projects/{shared.pk}/comments/{comment_id}/", {"resolved": True}, format="json"
        ).status_code
        == 403
    )
    reply = as_bob.post(
        f"/api/projects/{shared.pk}/comments/{comment_id}/replies/",
        {"body": "Not yet, we will add a cache."},
        format="json",
    )
    assert reply.status_code == 201 and reply.json()["author_name"] == "bob"
    viewer_reply = as_vera.post(
        f"/api/projects/{shared.pk}/comments/{comment_id}/replies/", {"body": "Thanks."}, format="json"
    )
    assert viewer_reply.status_code == 201  # any member answers a reviewer; only editors resolve
    resolved = as_bob.patch(f"/api/projects/{shared.pk}/comments/{comment_id}/", {"resolved": True}, format="json")
    assert resolved.json()["resolved"] is True
    shown = APIClient().get(f"/api/review/{token}/").json()["comments"]
    assert shown[0]["resolved"] is True and shown[0]["replies"][0]["body"] == "Not yet, we will add a cache."
    assert Comment.objects.count() == 3


def test_the_review_page_shows_comment_text_literally(as_alice: APIClient, shared: Project, media_root: Path) -> None:
    from django.test import Client

    token = create_link(as_alice, shared).json()["token"]
    client = Client()
    client.get(f"/review/{token}/")
    run_queued_jobs()
    page = client.get(f"/review/{token}/")
    assert (
        page.status_code == 200
        and page["Referrer-Policy"] == "no-referrer"
        and page["X-Robots-Tag"].startswith("noindex")
    )
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "data-total" in html and 'data-component-id="cdn"' in html
    posted = client.post(
        f"/review/{token}/comments/",
        {"author_name": "<b>Eve</b>", "body": '<img src=x onerror="alert(1)">', "component": ""},
    )
    assert posted.status_code == 302
    html = client.get(f"/review/{token}/").content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<img src=x" not in html
    assert client.put(f"/review/{token}/").status_code == 405


def test_downloads_only_where_the_link_allows_them(as_alice: APIClient, shared: Project, media_root: Path) -> None:
    from django.test import Client

    plain = create_link(as_alice, shared).json()["token"]
    allowed = create_link(as_alice, shared, allow_downloads=True).json()["token"]
    client = Client()
    assert client.get(f"/review/{plain}/download/svg/").status_code == 404
    assert client.get(f"/review/{allowed}/download/svg/").status_code == 202
    assert client.get(f"/review/{allowed}/download/sam/").status_code == 202
    run_queued_jobs()
    svg = client.get(f"/review/{allowed}/download/svg/")
    assert (
        svg.status_code == 200
        and svg["Content-Type"] == "image/svg+xml"
        and "sandbox" in svg["Content-Security-Policy"]
    )
    sam = client.get(f"/review/{allowed}/download/sam/")
    assert sam.status_code == 200 and sam.content[:2] == b"PK"


def test_findings_of_a_project_come_from_the_review_engine(
    as_vera: APIClient, as_charlie: APIClient, team: Team, alice: Any
) -> None:
    project = services.project_create(
        team=team, user=alice, name="Simple", design=pattern_library()["api-lambda-dynamodb"].design
    )
    findings = as_vera.get(f"/api/projects/{project.pk}/findings/").json()
    assert [f["rule"] for f in findings] == ["write-api-without-authorizer"]
    assert set(findings[0]) == {"rule", "severity", "components", "message", "fix", "reference"}
    assert as_charlie.get(f"/api/projects/{project.pk}/findings/").status_code == 404
    rules = APIClient().get("/api/review-rules/").json()
    assert len(rules) >= 14 and {"id", "severity", "title", "reference"} <= set(rules[0])
