"""Two people save the design at the same moment against the same revision: exactly one wins, nothing is lost.

These tests run real concurrent requests from two threads, each on its own database connection, so they
use ``transactional_db`` (every write is committed, as in production) instead of a wrapping transaction.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from apps.designs.document import Design, validate_design
from apps.projects import services
from apps.projects.models import Project, Revision
from tests.conftest import design_doc
from tests.projects.helpers import revision_numbers

ROUNDS = 5
TIMEOUT = 30


def design_with_memory(memory: int) -> dict[str, Any]:
    document = design_doc()
    document["components"][2]["props"]["memory_mb"] = memory
    return document


def save_concurrently(project: Project, saves: dict[str, tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """PUT every (client, design) of ``saves`` with If-Match "1", all released at once; return the responses."""
    barrier = threading.Barrier(len(saves))
    responses: dict[str, Any] = {}
    errors: list[BaseException] = []

    def save(name: str, client: Any, document: dict[str, Any]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            responses[name] = client.put(
                f"/api/projects/{project.pk}/design/", document, format="json", HTTP_IF_MATCH='"1"'
            )
        except BaseException as exc:  # reported by the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name, *args)) for name, args in saves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a save never finished (deadlock?)"
    assert not errors, errors
    return responses


def assert_exactly_one_winner(
    project: Project, responses: dict[str, Any], users: dict[str, Any], designs: dict[str, Any]
):
    statuses = {name: response.status_code for name, response in responses.items()}
    assert sorted(statuses.values()) == [200, 412], {n: (r.status_code, r.content[:300]) for n, r in responses.items()}
    winner = next(name for name, status in statuses.items() if status == 200)
    loser = next(name for name, status in statuses.items() if status == 412)

    assert responses[winner]["ETag"] == '"2"'
    assert responses[winner].json()["created"] is True
    assert responses[loser].json()["error"]["code"] == "stale_revision"
    assert responses[loser]["ETag"] == '"2"'

    project.refresh_from_db()
    assert revision_numbers(project) == [1, 2]
    assert project.head_number == 2
    head = Revision.objects.get(project=project, number=2)
    assert head.author_id == users[winner].pk
    assert head.design == validate_design(designs[winner]).canonical()
    return winner, loser


@pytest.mark.parametrize("round_", range(1, ROUNDS + 1))
def test_two_simultaneous_saves_of_the_same_revision_have_exactly_one_winner(
    transactional_db, round_, team, alice, bob, as_alice, as_bob
):
    project = services.project_create(
        team=team, user=alice, name=f"Race {round_}", design=validate_design(design_doc())
    )
    designs = {"alice": design_with_memory(1024), "bob": design_with_memory(2048)}

    responses = save_concurrently(project, {"alice": (as_alice, designs["alice"]), "bob": (as_bob, designs["bob"])})

    winner, loser = assert_exactly_one_winner(project, responses, {"alice": alice, "bob": bob}, designs)
    # The loser is told which revision to rebase on, and a save against it succeeds.
    retry_client = {"alice": as_alice, "bob": as_bob}[loser]
    retried = retry_client.put(
        f"/api/projects/{project.pk}/design/", designs[loser], format="json", HTTP_IF_MATCH=responses[loser]["ETag"]
    )
    assert retried.status_code == 200, retried.content
    assert retried["ETag"] == '"3"'
    assert revision_numbers(project) == [1, 2, 3]


@pytest.mark.parametrize("round_", range(1, ROUNDS + 1))
def test_saves_that_both_passed_the_freshness_check_still_have_exactly_one_winner(
    transactional_db, round_, team, alice, bob, as_alice, as_bob, monkeypatch
):
    """Hold both saves after they have read revision 1 as the newest, so both reach the compare-and-set."""
    project = services.project_create(
        team=team, user=alice, name=f"Race {round_}", design=validate_design(design_doc())
    )
    designs = {"alice": design_with_memory(4096), "bob": design_with_memory(8192)}
    both_read_the_head = threading.Barrier(2)
    real_content_hash = Design.content_hash

    def content_hash_after_both_checked(self: Design) -> str:
        # design_save hashes the design right after its early "is expected_number the head?" check.
        both_read_the_head.wait(timeout=TIMEOUT)
        return real_content_hash(self)

    monkeypatch.setattr(Design, "content_hash", content_hash_after_both_checked)

    responses = save_concurrently(project, {"alice": (as_alice, designs["alice"]), "bob": (as_bob, designs["bob"])})

    monkeypatch.undo()
    assert both_read_the_head.n_waiting == 0 and not both_read_the_head.broken
    assert_exactly_one_winner(project, responses, {"alice": alice, "bob": bob}, designs)
