"""The live session socket: who may join, what it refuses, and what two editors see of each other.

Personas: alice owns the team, bob edits, vera views, charlie is an outsider.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import User

from apps.core.sync import run_async
from apps.live import services
from apps.live.consumers import CLOSE_NOT_FOUND, CLOSE_POLICY, CLOSE_TOO_LARGE, CLOSE_UNAUTHENTICATED
from apps.live.models import LiveState, Operation
from apps.projects.models import Project
from tests.live.conftest import communicator, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


def rename(client_op_id: str, label: str, *, component: str = "orders_fn", base_seq: int = 0) -> dict[str, Any]:
    return {
        "type": "op",
        "client_id": "tab-1",
        "client_op_id": client_op_id,
        "base_seq": base_seq,
        "op": {"type": "set_component", "id": component, "field": "label", "value": label},
    }


def live_label(project: Project, component: str = "orders_fn") -> str:
    document = LiveState.objects.get(project=project).document
    return next(c["label"] for c in document["components"] if c["id"] == component)


async def closed_with(socket: Any) -> int:
    """The close code after the error message that explains it."""
    await receive_type(socket, "error")
    output = await socket.receive_output(timeout=3)
    assert output["type"] == "websocket.close"
    return int(output["code"])


def test_an_editor_joins_with_the_document_the_seq_and_the_team(
    cookies: dict[str, str], project: Project, bob: User
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        assert (await socket.connect())[0]
        hello = await receive_type(socket, "hello")
        assert (hello["seq"], hello["revision"], hello["role"], hello["can_write"]) == (0, 1, "editor", True)
        assert hello["document"]["name"] == "Orders"
        assert sorted(m["username"] for m in hello["members"]) == ["alice", "bob", "vera"]
        assert hello["user"]["username"] == "bob"
        assert hello["limits"]["max_message_bytes"] == 256 * 1024
        await socket.disconnect()

    run_async(scenario)


def test_anonymous_visitors_are_refused(project: Project) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk)
        await socket.connect()
        assert await closed_with(socket) == CLOSE_UNAUTHENTICATED

    run_async(scenario)


def test_outsiders_are_refused_as_if_the_project_did_not_exist(
    cookies: dict[str, str], project: Project, charlie: User
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["charlie"])
        await socket.connect()
        assert await closed_with(socket) == CLOSE_NOT_FOUND

    run_async(scenario)


@pytest.mark.parametrize("origin", [b"https://evil.example", None])
def test_a_socket_from_another_site_or_without_origin_is_refused(
    cookies: dict[str, str], project: Project, bob: User, origin: bytes | None
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"], origin=origin)
        connected, _ = await socket.connect()
        assert not connected

    run_async(scenario)


def test_a_viewer_watches_but_the_server_refuses_their_edits(
    cookies: dict[str, str], project: Project, vera: User
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["vera"])
        await socket.connect()
        hello = await receive_type(socket, "hello")
        assert (hello["role"], hello["can_write"]) == ("viewer", False)
        await socket.send_json_to(rename("v1", "Hijacked"))
        error = await receive_type(socket, "error")
        assert (error["code"], error["client_op_id"]) == ("read_only", "v1")
        await socket.disconnect()

    run_async(scenario)
    assert live_label(project) == "Orders"
    assert not Operation.objects.exists()


def test_an_oversized_message_is_answered_then_the_socket_closed_with_1009(
    cookies: dict[str, str], project: Project, bob: User, settings: Any
) -> None:
    settings.LIVE_MAX_MESSAGE_BYTES = 1000

    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        await socket.send_json_to(rename("big", "x" * 2000))
        assert await closed_with(socket) == CLOSE_TOO_LARGE

    run_async(scenario)
    assert live_label(project) == "Orders"


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        ("{not json", "JSON"),
        ("[1, 2]", "JSON object"),
        ('{"type": "teleport"}', "unknown message type"),
        ('{"type": "op", "client_id": "t", "client_op_id": "o", "base_seq": -1, "op": {}}', "base_seq"),
        ('{"type": "presence", "cursor": {"x": "left"}}', "cursor"),
    ],
)
def test_a_malformed_message_gets_an_error_and_the_socket_stays_open(
    cookies: dict[str, str], project: Project, bob: User, frame: str, says: str
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        await socket.send_to(text_data=frame)
        error = await receive_type(socket, "error")
        assert error["code"] == "bad_message" and says in error["message"]
        await socket.send_json_to({"type": "ping"})
        assert (await receive_type(socket, "pong"))["type"] == "pong"
        await socket.disconnect()

    run_async(scenario)


def test_a_binary_frame_gets_an_error_and_the_socket_stays_open(project: Project, cookies: dict[str, str]) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        await socket.send_input({"type": "websocket.receive", "bytes": b"\x00\x01"})
        assert (await receive_type(socket, "error"))["code"] == "bad_message"
        await socket.send_json_to({"type": "ping"})
        assert (await receive_type(socket, "pong"))["type"] == "pong"
        await socket.disconnect()

    run_async(scenario)


def test_a_sender_over_its_rate_is_told_then_cut_off(
    cookies: dict[str, str], project: Project, bob: User, settings: Any
) -> None:
    settings.LIVE_RATE_BURST = 3
    settings.LIVE_RATE_PER_SECOND = 0.001
    settings.LIVE_RATE_STRIKES = 2

    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        for _ in range(5):
            await socket.send_json_to({"type": "ping"})
        replies = [(await socket.receive_json_from(timeout=3))["type"] for _ in range(4)]
        assert replies == ["pong", "pong", "pong", "error"]
        assert await closed_with(socket) == CLOSE_POLICY

    run_async(scenario)


def test_an_invalid_edit_is_refused_with_pointers_and_nothing_is_applied(
    cookies: dict[str, str], project: Project, bob: User
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        op = rename("bad", "x")
        op["op"] = {"type": "set_component", "id": "orders_fn", "field": "props.memory_mb", "value": "lots"}
        await socket.send_json_to(op)
        error = await receive_type(socket, "error")
        assert (error["code"], error["client_op_id"]) == ("invalid_design", "bad")
        assert error["details"][0]["pointer"].startswith("/components/2/props/memory_mb")
        await socket.disconnect()

    run_async(scenario)
    assert LiveState.objects.get(project=project).seq == 0


def test_two_editors_see_each_others_edits_and_presence(
    cookies: dict[str, str], project: Project, alice: User, bob: User
) -> None:
    async def scenario() -> None:
        a = communicator(project.pk, cookie=cookies["alice"])
        await a.connect()
        await receive_type(a, "hello")
        b = communicator(project.pk, cookie=cookies["bob"])
        await b.connect()
        await receive_type(b, "hello")
        joined = await receive_type(a, "join")
        assert joined["user"]["username"] == "bob"
        here = await receive_type(b, "presence")  # alice tells the newcomer she is here
        assert here["user"]["username"] == "alice"

        await a.send_json_to(rename("a1", "Checkout"))
        ack = await receive_type(a, "ack")
        assert (ack["client_op_id"], ack["seq"]) == ("a1", 1)
        seen = await receive_type(b, "op")
        assert (seen["seq"], seen["op"]["value"], seen["user"]) == (1, "Checkout", alice.pk)

        await b.send_json_to(rename("b1", "Orders v2", component="orders", base_seq=1) | {"client_id": "tab-b"})
        assert (await receive_type(b, "ack"))["seq"] == 2
        assert (await receive_type(a, "op"))["op"]["value"] == "Orders v2"

        await b.send_json_to({"type": "presence", "selection": ["orders"], "cursor": {"x": 5, "y": 6}})
        presence = await receive_type(a, "presence")
        assert (presence["selection"], presence["cursor"], presence["user"]["username"]) == (
            ["orders"],
            {"x": 5, "y": 6},
            "bob",
        )
        await b.disconnect()
        left = await receive_type(a, "leave")
        assert (left["connection"], left["user"]["username"]) == (joined["connection"], "bob")
        await a.disconnect()

    run_async(scenario)
    assert (live_label(project), live_label(project, "orders")) == ("Checkout", "Orders v2")


def test_a_malformed_op_is_refused_with_a_pointer_into_the_message(project: Project, cookies: dict[str, str]) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        op = rename("odd", "x")
        op["op"] = {"type": "set_component", "id": "orders_fn", "field": "colour", "value": "red"}
        await socket.send_json_to(op)
        error = await receive_type(socket, "error")
        assert (error["code"], error["details"][0]["pointer"]) == ("bad_operation", "/op/field")
        await socket.disconnect()

    run_async(scenario)


def test_an_edit_of_a_component_someone_removed_is_acknowledged_as_dropped(
    cookies: dict[str, str], project: Project, bob: User
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        remove = rename("r1", "")
        remove["op"] = {"type": "remove_component", "id": "orders_fn"}
        await socket.send_json_to(remove)
        assert (await receive_type(socket, "ack"))["seq"] == 1
        await socket.send_json_to(rename("late", "Too late"))
        ack = await receive_type(socket, "ack")
        assert ack["seq"] is None and "removed" in ack["dropped"]
        await socket.disconnect()

    run_async(scenario)
    assert LiveState.objects.get(project=project).seq == 1


def test_an_op_sent_again_after_a_lost_ack_is_applied_once(
    cookies: dict[str, str], project: Project, bob: User
) -> None:
    async def scenario() -> None:
        for _ in range(2):
            socket = communicator(project.pk, cookie=cookies["bob"])
            await socket.connect()
            await receive_type(socket, "hello")
            await socket.send_json_to(rename("once", "Checkout"))
            assert (await receive_type(socket, "ack"))["seq"] == 1
            await socket.disconnect()

    run_async(scenario)
    assert Operation.objects.filter(project=project).count() == 1


def test_a_client_that_reconnects_gets_the_ops_it_missed(
    cookies: dict[str, str], project: Project, alice: User, bob: User
) -> None:
    async def scenario() -> None:
        a = communicator(project.pk, cookie=cookies["alice"])
        await a.connect()
        await receive_type(a, "hello")
        for n, label in enumerate(["One", "Two"], start=1):
            await a.send_json_to(rename(f"a{n}", label, base_seq=n - 1))
            await receive_type(a, "ack")
        b = communicator(project.pk, cookie=cookies["bob"])
        await b.connect()
        await receive_type(b, "hello")
        await b.send_json_to({"type": "sync", "since": 1})
        ops = await receive_type(b, "ops")
        assert [(o["seq"], o["op"]["value"]) for o in ops["ops"]] == [(2, "Two")]
        await a.disconnect()
        await b.disconnect()

    run_async(scenario)


def test_a_client_behind_the_trimmed_log_gets_the_whole_document(
    cookies: dict[str, str], project: Project, alice: User, settings: Any
) -> None:
    settings.LIVE_LOG_KEEP = 1

    async def scenario() -> None:
        a = communicator(project.pk, cookie=cookies["alice"])
        await a.connect()
        await receive_type(a, "hello")
        for n, label in enumerate(["One", "Two", "Three"], start=1):
            await a.send_json_to(rename(f"a{n}", label, base_seq=n - 1))
            await receive_type(a, "ack")
        await a.disconnect()  # a writer leaving cuts a revision, and the log keeps only the newest op
        b = communicator(project.pk, cookie=cookies["alice"])
        await b.connect()
        await receive_type(b, "hello")
        await b.send_json_to({"type": "sync", "since": 0})
        snapshot = await receive_type(b, "snapshot")
        assert snapshot["seq"] == 3
        assert next(c for c in snapshot["document"]["components"] if c["id"] == "orders_fn")["label"] == "Three"
        await b.disconnect()

    run_async(scenario)


def test_a_rest_put_reaches_open_editors_as_a_replace(
    cookies: dict[str, str], project: Project, alice: User, as_bob: Any
) -> None:
    async def scenario() -> None:
        socket = communicator(project.pk, cookie=cookies["alice"])
        await socket.connect()
        await receive_type(socket, "hello")
        document = (await database_sync_to_async(as_bob.get)(f"/api/projects/{project.pk}/design/")).json()
        document["name"] = "Orders from a script"
        response = await database_sync_to_async(as_bob.put)(
            f"/api/projects/{project.pk}/design/",
            json.dumps(document),
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
        )
        assert response.status_code == 200
        seen = await receive_type(socket, "op")
        assert (seen["seq"], seen["op"]["type"], seen["op"]["document"]["name"]) == (
            1,
            "replace",
            "Orders from a script",
        )
        await socket.disconnect()

    run_async(scenario)
    assert LiveState.objects.get(project=project).revision_number == 2


def test_a_burst_of_edits_is_applied_in_the_order_sent_while_other_messages_are_answered(
    cookies: dict[str, str], project: Project, bob: User
) -> None:
    """Edits go through a queue of their own: a ping sent behind five edits is answered without waiting
    for them, and the edits are applied, and acknowledged, in the order they were sent."""

    async def scenario() -> list[dict[str, Any]]:
        socket = communicator(project.pk, cookie=cookies["bob"])
        await socket.connect()
        await receive_type(socket, "hello")
        for n in range(5):
            await socket.send_json_to(rename(f"b{n}", f"Label {n}"))
        await socket.send_json_to({"type": "ping"})
        answers = []
        while len([a for a in answers if a["type"] == "ack"]) < 5:
            answers.append(json.loads((await socket.receive_output(timeout=5))["text"]))
        await socket.disconnect()
        return answers

    answers = run_async(scenario)
    acks = [a for a in answers if a["type"] == "ack"]
    assert [(a["client_op_id"], a["seq"]) for a in acks] == [(f"b{n}", n + 1) for n in range(5)]
    assert any(a["type"] == "pong" for a in answers)
    assert live_label(project) == "Label 4"


def test_edits_that_wait_for_their_design_are_ordered_in_one_transaction(
    cookies: dict[str, str], project: Project, monkeypatch: Any
) -> None:
    """Two editors send edits together: those that arrive while a batch is being ordered wait and go in
    the next one (fewer transactions than edits), each editor's acks stay in order, and each sees the
    other's edits."""
    batches: list[list[str]] = []
    apply_many = services.live_apply_many

    def counted(*, project_id: int, edits: list[services.Edit]) -> services.Batch:
        batches.append([edit.client_op_id for edit in edits])
        return apply_many(project_id=project_id, edits=edits)

    monkeypatch.setattr(services, "live_apply_many", counted)

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        alice = communicator(project.pk, cookie=cookies["alice"])
        bob = communicator(project.pk, cookie=cookies["bob"])
        for socket in (alice, bob):
            await socket.connect()
            await receive_type(socket, "hello")
        for n in range(6):
            await alice.send_json_to(rename(f"a{n}", f"Alice {n}", component="web"))
            await bob.send_json_to({**rename(f"b{n}", f"Bob {n}", component="orders"), "client_id": "tab-2"})
        seen: dict[str, list[dict[str, Any]]] = {"alice": [], "bob": []}
        for name, socket in (("alice", alice), ("bob", bob)):
            while len(seen[name]) < 12:  # 6 acks of its own, 6 ops of the other's
                message = await socket.receive_json_from(timeout=5)
                if message["type"] in ("ack", "op"):
                    seen[name].append(message)
            await socket.disconnect()
        return seen["alice"], seen["bob"]

    alice_saw, bob_saw = run_async(scenario)
    assert [m["client_op_id"] for m in alice_saw if m["type"] == "ack"] == [f"a{n}" for n in range(6)]
    assert [m["op"]["value"] for m in alice_saw if m["type"] == "op"] == [f"Bob {n}" for n in range(6)]
    assert [m["op"]["value"] for m in bob_saw if m["type"] == "op"] == [f"Alice {n}" for n in range(6)]
    assert sorted(m["seq"] for m in alice_saw + bob_saw) == sorted([*range(1, 13)] * 2)
    assert sum(len(batch) for batch in batches) == 12
    assert len(batches) < 12, batches
    assert (live_label(project, "web"), live_label(project, "orders")) == ("Alice 5", "Bob 5")


def test_open_editors_hear_of_each_revision_the_session_cuts(
    cookies: dict[str, str], project: Project, settings: Any
) -> None:
    """A revision cut by a pause (noticed by the next edit) or by a writer leaving is announced with its
    number and the seq it holds, so editors can show it and its costs and findings."""
    settings.LIVE_PAUSE_SECONDS = 0  # every edit comes after a pause

    async def scenario() -> None:
        alice = communicator(project.pk, cookie=cookies["alice"])
        bob = communicator(project.pk, cookie=cookies["bob"])
        for socket in (alice, bob):
            await socket.connect()
            await receive_type(socket, "hello")
        await bob.send_json_to(rename("b1", "First"))
        await receive_type(bob, "ack")
        assert (await receive_type(alice, "op"))["seq"] == 1
        await bob.send_json_to(rename("b2", "Second", base_seq=1))  # after the pause: b1 becomes revision 2
        announced = await receive_type(alice, "revision")
        assert (announced["number"], announced["seq"]) == (2, 1)
        await bob.disconnect()  # a writer leaving: b2 becomes revision 3
        announced = await receive_type(alice, "revision")
        assert (announced["number"], announced["seq"]) == (3, 2)
        await alice.disconnect()

    run_async(scenario)
