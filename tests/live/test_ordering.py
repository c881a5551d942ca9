"""Edits from many connections at once: one order, no sequence number twice, no edit lost.

Real threads, each on its own database connection (as separate web processes would be), so the tests
use committed transactions; on PostgreSQL the live state's row lock is what keeps the order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from apps.live import services
from apps.live.models import LiveState, Operation
from apps.projects.models import Project

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 60
COMPONENTS = ["web", "api", "orders_fn", "orders"]
EDITS_EACH = 5


def all_at_once(tasks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every task on its own thread, released together; their results (or the test fails)."""
    barrier = threading.Barrier(len(tasks))
    results: dict[str, Any] = {}
    errors: list[BaseException] = []

    def run(name: str, task: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            results[name] = task()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in tasks.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "an edit never finished (deadlock?)"
    assert not errors, errors
    return results


def relabel_each(project: Project, user: User, component: str) -> Callable[[], list[int]]:
    def task() -> list[int]:
        seqs = []
        for n in range(EDITS_EACH):
            ack = services.live_apply(
                project_id=project.pk,
                user=user,
                client_id=f"tab-{component}",
                client_op_id=str(n),
                base_seq=0,
                op={"type": "set_component", "id": component, "field": "label", "value": f"{component} {n}"},
            )
            seqs.append(ack.seq)
        return seqs

    return task


def test_concurrent_edits_get_one_sequence_number_each_and_all_land(project: Project, alice: User, bob: User) -> None:
    services.live_join(user=alice, project_id=project.pk)
    users = [alice, bob, alice, bob]
    results = all_at_once(
        {component: relabel_each(project, user, component) for component, user in zip(COMPONENTS, users, strict=True)}
    )
    seqs = sorted(seq for acked in results.values() for seq in acked)
    assert seqs == list(range(1, len(COMPONENTS) * EDITS_EACH + 1))
    assert list(Operation.objects.filter(project=project).values_list("seq", flat=True)) == seqs
    labels = {c["id"]: c["label"] for c in LiveState.objects.get(project=project).document["components"]}
    assert labels == {component: f"{component} {EDITS_EACH - 1}" for component in COMPONENTS}


def test_a_rest_save_racing_live_edits_never_undoes_an_acknowledged_one(
    project: Project, alice: User, bob: User, as_bob: Any
) -> None:
    services.live_join(user=alice, project_id=project.pk)
    document = as_bob.get(f"/api/projects/{project.pk}/design/").json()
    document["description"] = "Saved by a script"

    def put() -> int:
        url = f"/api/projects/{project.pk}/design/"
        return as_bob.put(url, document, format="json", HTTP_IF_MATCH='"1"').status_code

    results = all_at_once({"live": relabel_each(project, alice, "orders_fn"), "put": put})
    assert results["put"] in (200, 412)
    state = LiveState.objects.get(project=project)
    fn = next(c for c in state.document["components"] if c["id"] == "orders_fn")
    # A save can only win before the first live edit (any later one finds that edit saved as a newer
    # revision and gets 412); either way every acknowledged live edit is in the final document.
    if results["put"] == 200:
        saved_at = Operation.objects.get(project=project, op__type="replace").seq
        assert all(seq > saved_at for seq in results["live"])
        assert state.document["description"] == "Saved by a script"
    else:
        assert not Operation.objects.filter(project=project, op__type="replace").exists()
        assert state.document["description"] == ""
    assert fn["label"] == f"orders_fn {EDITS_EACH - 1}"


def test_a_batch_gives_each_edit_its_own_outcome_and_one_order(
    project: Project, alice: User, bob: User, vera: User
) -> None:
    """Edits waiting for a design are ordered in one transaction; each is still accepted, dropped or
    refused on its own, in the order given, and only the accepted ones get (consecutive) seqs."""
    services.live_join(user=alice, project_id=project.pk)

    def edit(user: User, op_id: str, op: dict[str, Any], base_seq: int = 0) -> services.Edit:
        return services.Edit(user, user.username, op_id, base_seq, op)

    def label(component: str, value: Any) -> dict[str, Any]:
        return {"type": "set_component", "id": component, "field": "label", "value": value}

    batch = services.live_apply_many(
        project_id=project.pk,
        edits=[
            edit(alice, "a1", label("web", "Site")),
            edit(bob, "b1", {"type": "remove_component", "id": "api"}),
            edit(alice, "a2", label("api", "Gone meanwhile")),  # removed just before: dropped
            edit(vera, "v1", label("orders", "Viewer's")),  # a viewer: refused
            edit(bob, "b2", label("orders", 7)),  # not a string: refused with a pointer
            edit(alice, "a1", label("web", "Sent again")),  # a resend: its first seq
            edit(bob, "b3", {"type": "replace", "document": {"name": "Old"}}, base_seq=1),  # stale
            edit(bob, "b4", label("orders", "Orders v2")),
        ],
    )
    kinds = [type(o).__name__ for o in batch.outcomes]
    assert kinds == ["Ack", "Ack", "Ack", "LiveForbidden", "OperationRefused", "Ack", "OperationRefused", "Ack"]
    acks = [o for o in batch.outcomes if isinstance(o, services.Ack)]
    assert [(a.seq, a.dropped, a.duplicate) for a in acks] == [
        (1, None, False),
        (2, None, False),
        (None, "the component 'api' was removed", False),
        (1, None, True),
        (3, None, False),
    ]
    refused = batch.outcomes[4]
    assert isinstance(refused, services.operations.OperationRefused) and refused.problems
    assert batch.outcomes[6].code == "stale_base"  # type: ignore[union-attr]
    assert [item["message"]["seq"] for item in batch.broadcast] == [1, 2, 3]
    assert list(Operation.objects.filter(project=project).order_by("seq").values_list("client_op_id", flat=True)) == [
        "a1",
        "b1",
        "b4",
    ]
    state = LiveState.objects.get(project=project)
    assert state.seq == 3
    labels = {c["id"]: c["label"] for c in state.document["components"]}
    assert (labels["web"], labels["orders"], "api" in labels) == ("Site", "Orders v2", False)


def test_an_edit_that_breaks_the_engine_fails_alone(project: Project, alice: User, bob: User, monkeypatch: Any) -> None:
    """An unexpected error while applying one edit (a bug) fails that edit, not the others ordered with it."""
    services.live_join(user=alice, project_id=project.pk)
    apply = services.operations.apply

    def breaks_on_boom(document: Any, op: Any) -> Any:
        if op.get("value") == "boom":
            raise KeyError("a bug")
        return apply(document, op)

    monkeypatch.setattr(services.operations, "apply", breaks_on_boom)
    label = {"type": "set_component", "field": "label"}
    batch = services.live_apply_many(
        project_id=project.pk,
        edits=[
            services.Edit(alice, "alice", "a1", 0, {**label, "id": "web", "value": "boom"}),
            services.Edit(bob, "bob", "b1", 0, {**label, "id": "orders", "value": "Orders v2"}),
        ],
    )
    assert isinstance(batch.outcomes[0], KeyError)
    assert isinstance(batch.outcomes[1], services.Ack) and batch.outcomes[1].seq == 1
    assert list(Operation.objects.filter(project=project).values_list("client_op_id", flat=True)) == ["b1"]
