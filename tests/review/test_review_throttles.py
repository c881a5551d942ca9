"""The review page, its downloads and its comments answer to the review API's throttle, per address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.projects.models import Project, Team
from apps.review import services as review_services
from apps.review.models import Comment, ShareLink
from apps.review.throttling import client_key

SPAMMER = "203.0.113.9"
REVIEWER = "198.51.100.7"


@pytest.fixture
def shared(team: Team, alice: User, media_root: Path) -> Project:
    return services.project_create(team=team, user=alice, name="Shop", design=pattern_library()["single-domain"].design)


@pytest.fixture
def link(shared: Project, alice: User) -> tuple[ShareLink, str]:
    return review_services.share_link_create(project=shared, user=alice, revision=None, allow_downloads=True)


def rates(settings: Any, **scopes: str) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, **{k.replace("_", "-"): v for k, v in scopes.items()}}


def post_comment(client: Client, token: str, body: str = "Is the API cached?") -> Any:
    return client.post(f"/review/{token}/comments/", {"author_name": "Rita", "body": body, "component": ""})


def test_guessing_review_tokens_is_throttled_per_address(settings: Any, link: tuple[ShareLink, str]) -> None:
    rates(settings, review="5/min")
    guesser = Client(REMOTE_ADDR=SPAMMER)
    assert [guesser.get(f"/review/guess-{n}/").status_code for n in range(5)] == [404] * 5
    refused = guesser.get(f"/review/{link[1]}/")  # even the right token, once over the rate
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert b"Too many requests" in refused.content
    assert guesser.get(f"/review/{link[1]}/download/svg/").status_code == 429
    assert Client(REMOTE_ADDR=REVIEWER).get(f"/review/{link[1]}/").status_code == 200


def test_the_review_page_and_the_review_api_share_one_counter(settings: Any, link: tuple[ShareLink, str]) -> None:
    rates(settings, review="4/min")
    token = link[1]
    page = Client(REMOTE_ADDR=SPAMMER)
    api = APIClient(REMOTE_ADDR=SPAMMER)
    assert [page.get(f"/review/{token}/").status_code, api.get(f"/api/review/{token}/").status_code] == [200, 200]
    assert page.get(f"/review/{token}/download/sam/").status_code == 202
    assert api.get(f"/api/review/{token}/").status_code == 200
    assert page.get(f"/review/{token}/").status_code == 429
    assert api.get(f"/api/review/{token}/").json()["error"]["code"] == "throttled"


def test_one_address_spamming_comments_is_throttled_and_another_still_comments(
    settings: Any, link: tuple[ShareLink, str]
) -> None:
    rates(settings, review="1000/min", review_comment="5/hour")
    token = link[1]
    spammer = Client(REMOTE_ADDR=SPAMMER)
    assert [post_comment(spammer, token, f"spam {n}").status_code for n in range(5)] == [302] * 5
    refused = post_comment(spammer, token, "spam 6")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 60
    api_refused = APIClient(REMOTE_ADDR=SPAMMER).post(
        f"/api/review/{token}/comments/", {"author_name": "x", "body": "spam 7"}, format="json"
    )
    assert api_refused.status_code == 429  # the form and the API count together
    assert post_comment(Client(REMOTE_ADDR=REVIEWER), token, "A real question").status_code == 302
    assert list(Comment.objects.values_list("body", flat=True))[-1] == "A real question"
    assert Comment.objects.count() == 6


def test_a_spammer_cannot_fill_a_link_and_lock_out_its_reviewers(
    settings: Any, link: tuple[ShareLink, str], rf: Any
) -> None:
    """The outside test's repro: 500 spam comments, then a real reviewer was refused."""
    rates(settings, review="1000/min", review_comment="1000/min")
    share_link, token = link
    spam_key = client_key(rf.get("/", REMOTE_ADDR=SPAMMER))
    Comment.objects.bulk_create(
        Comment(project=share_link.project, share_link=share_link, revision_number=1, author_name="Spam",
                body=f"spam {n}", client_key=spam_key)
        for n in range(500)
    )  # fmt: skip
    spammer = post_comment(Client(REMOTE_ADDR=SPAMMER), token, "spam 501")
    assert spammer.status_code == 429
    assert "as many comments through this review link as it takes from one address" in spammer.content.decode()
    reviewer = APIClient(REMOTE_ADDR=REVIEWER).post(
        f"/api/review/{token}/comments/", {"author_name": "Rita", "body": "A real question"}, format="json"
    )
    assert reviewer.status_code == 201 and reviewer.json()["body"] == "A real question"
    assert post_comment(Client(REMOTE_ADDR=REVIEWER), token, "And another").status_code == 302
    assert Comment.objects.exclude(client_key=spam_key).count() == 2


def test_the_stored_client_key_is_not_the_address(rf: Any) -> None:
    key = client_key(rf.get("/", REMOTE_ADDR=SPAMMER))
    assert len(key) == 64 and SPAMMER not in key
    assert key == client_key(rf.get("/", REMOTE_ADDR=SPAMMER)) != client_key(rf.get("/", REMOTE_ADDR=REVIEWER))
