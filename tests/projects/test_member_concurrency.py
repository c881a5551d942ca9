"""The last owner rule holds under concurrency: two owners stepping down at once leave one owner behind.

Real concurrent requests from two threads, so ``transactional_db``. SQLite serializes write transactions
(IMMEDIATE), so there the two requests simply queue; on PostgreSQL the test holds both requests after
the moment before they take the team lock, so both are in flight when the "another owner?" check runs.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from apps.projects import services
from apps.projects.models import Membership, Role

TIMEOUT = 30
ON_POSTGRESQL = connection.vendor == "postgresql"


def step_down(client: Any, team: Any, user: Any, how: str) -> Any:
    url = f"/api/teams/{team.pk}/members/{user.pk}/"
    return client.patch(url, {"role": "viewer"}, format="json") if how == "demote" else client.delete(url)


@pytest.mark.parametrize("how", ["demote", "leave"])
def test_two_owners_stepping_down_at_once_leave_exactly_one_owner(
    transactional_db, how, team, alice, bob, as_alice, as_bob, monkeypatch
):
    services.membership_change_role(membership=Membership.objects.get(team=team, user=bob), role=Role.OWNER)
    if ON_POSTGRESQL:
        # Hold both requests until each is about to take the team lock, so they truly overlap.
        both_ready = threading.Barrier(2)
        real_lock = services._lock_team_memberships

        def wait_for_the_other_then_lock(membership: Membership) -> Membership:
            both_ready.wait(timeout=TIMEOUT)
            return real_lock(membership)

        monkeypatch.setattr(services, "_lock_team_memberships", wait_for_the_other_then_lock)

    start = threading.Barrier(2)
    responses: dict[str, Any] = {}
    errors: list[BaseException] = []

    def run(name: str, client: Any, user: Any) -> None:
        try:
            start.wait(timeout=TIMEOUT)
            responses[name] = step_down(client, team, user, how)
        except BaseException as exc:  # reported by the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("alice", as_alice, alice)),
        threading.Thread(target=run, args=("bob", as_bob, bob)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    monkeypatch.undo()

    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert sorted(r.status_code for r in responses.values()) == sorted([200 if how == "demote" else 204, 409])
    refused = next(r for r in responses.values() if r.status_code == 409)
    assert refused.json()["error"]["code"] == "last_owner"
    assert Membership.objects.filter(team=team, role=Role.OWNER).count() == 1
