"""The operations engine: every op type, refused and dropped ops, and what concurrent edits end as."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apps.designs.document import validate_design
from apps.live.operations import OPERATION_TYPES, OperationDropped, OperationRefused, apply
from tests.conftest import design_doc


@pytest.fixture
def doc() -> dict[str, Any]:
    document = design_doc(groups=[{"id": "vpc", "kind": "vpc", "label": "Private"}])
    document["components"][2]["group"] = "vpc"
    return validate_design(document).canonical()


def component(document: dict[str, Any], component_id: str) -> dict[str, Any]:
    return next(c for c in document["components"] if c["id"] == component_id)


def run(document: dict[str, Any], *ops: dict[str, Any]) -> dict[str, Any]:
    for op in ops:
        document = apply(document, op).document
    return document


def test_add_component_appends_it_with_its_default_tier(doc: dict[str, Any]) -> None:
    applied = apply(doc, {"type": "add_component", "component": {"id": "queue", "type": "sqs_queue"}})
    assert component(applied.document, "queue")["type"] == "sqs_queue"
    # The recorded op carries what validation filled in, so clients end with the server's document.
    assert applied.op["component"]["tier"] == component(applied.document, "queue")["tier"] is not None


def test_remove_component_takes_its_connections_with_it(doc: dict[str, Any]) -> None:
    result = run(doc, {"type": "remove_component", "id": "orders_fn"})
    assert "orders_fn" not in [c["id"] for c in result["components"]]
    assert [c["id"] for c in result["connections"]] == ["c1"]


def test_set_component_label_props_key_position_and_group(doc: dict[str, Any]) -> None:
    result = run(
        doc,
        {"type": "set_component", "id": "orders_fn", "field": "label", "value": "Checkout"},
        {"type": "set_component", "id": "orders_fn", "field": "props.memory_mb", "value": 1024},
        {"type": "set_component", "id": "orders_fn", "field": "position", "value": {"x": 10, "y": 20}},
        {"type": "set_component", "id": "orders_fn", "field": "group", "value": None},
    )
    fn = component(result, "orders_fn")
    assert (fn["label"], fn["props"]["memory_mb"], fn["position"], fn["group"]) == (
        "Checkout",
        1024,
        {"x": 10, "y": 20},
        None,
    )


def test_set_without_a_value_removes_the_key(doc: dict[str, Any]) -> None:
    result = run(doc, {"type": "set_component", "id": "orders_fn", "field": "props.memory_mb"})
    assert "memory_mb" not in component(result, "orders_fn")["props"]


def test_connections_are_added_edited_and_removed(doc: dict[str, Any]) -> None:
    added = run(
        doc, {"type": "add_connection", "connection": {"id": "c4", "source": "web", "target": "api", "kind": "request"}}
    )
    assert added["connections"][-1]["id"] == "c4"
    labelled = run(added, {"type": "set_connection", "id": "c4", "field": "label", "value": "login"})
    assert labelled["connections"][-1]["label"] == "login"
    removed = run(labelled, {"type": "remove_connection", "id": "c4"})
    assert [c["id"] for c in removed["connections"]] == ["c1", "c2", "c3"]


def test_groups_are_added_relabelled_and_removed_with_members_moved_out(doc: dict[str, Any]) -> None:
    added = run(doc, {"type": "add_group", "group": {"id": "acct", "kind": "account", "label": "Prod"}})
    relabelled = run(added, {"type": "set_group", "id": "acct", "field": "label", "value": "Production"})
    assert relabelled["groups"][-1]["label"] == "Production"
    removed = run(relabelled, {"type": "remove_group", "id": "vpc"})
    assert [g["id"] for g in removed["groups"]] == ["acct"]
    assert component(removed, "orders_fn")["group"] is None


def test_set_design_name_and_a_workload_key(doc: dict[str, Any]) -> None:
    result = run(
        doc,
        {"type": "set_design", "field": "name", "value": "Shop"},
        {"type": "set_design", "field": "workload.requests_per_month", "value": 5_000_000},
    )
    assert (result["name"], result["workload"]["requests_per_month"]) == ("Shop", 5_000_000)


def test_replace_swaps_the_whole_document_with_defaults_filled_in(doc: dict[str, Any]) -> None:
    applied = apply(doc, {"type": "replace", "document": {"schema": "tierplan.design/v1", "name": "Blank"}})
    assert applied.document["components"] == [] and applied.document["name"] == "Blank"
    assert applied.op["document"] == applied.document


def test_every_operation_type_is_exercised_here() -> None:
    source = Path(__file__).read_text()
    assert all(f'"type": "{op_type}"' in source for op_type in OPERATION_TYPES)


@pytest.mark.parametrize(
    ("op", "pointer"),
    [
        ("not an object", ""),
        ({"type": "teleport_component"}, "/type"),
        ({"type": "set_component", "id": "api", "field": "id", "value": "x"}, "/field"),
        ({"type": "set_component", "id": "api", "field": "props.a.b", "value": 1}, "/field"),
        ({"type": "set_component", "field": "label", "value": "x"}, "/id"),
        ({"type": "add_component", "component": "queue"}, "/component"),
        ({"type": "replace", "document": []}, "/document"),
    ],
)
def test_a_malformed_op_is_refused_with_a_pointer_into_it(doc: dict[str, Any], op: Any, pointer: str) -> None:
    with pytest.raises(OperationRefused) as refused:
        apply(doc, op)
    assert refused.value.code == "bad_operation"
    assert refused.value.problems[0].pointer == pointer


def test_an_op_that_makes_the_design_invalid_is_refused_with_the_documents_pointer(doc: dict[str, Any]) -> None:
    with pytest.raises(OperationRefused) as refused:
        apply(doc, {"type": "set_component", "id": "orders_fn", "field": "props.memory_mb", "value": "lots"})
    assert refused.value.code == "invalid_design"
    assert refused.value.problems[0].pointer.startswith("/components/2/props/memory_mb")


def test_adding_an_id_that_exists_is_refused(doc: dict[str, Any]) -> None:
    with pytest.raises(OperationRefused) as refused:
        apply(doc, {"type": "add_component", "component": {"id": "api", "type": "sqs_queue"}})
    assert refused.value.code == "id_taken"


def test_the_document_given_is_never_modified(doc: dict[str, Any]) -> None:
    before = repr(doc)
    run(doc, {"type": "set_component", "id": "orders_fn", "field": "props.memory_mb", "value": 2048})
    run(doc, {"type": "remove_group", "id": "vpc"})
    assert repr(doc) == before


# Concurrency: two clients each edit the state they saw; the server applies both in its order.


def test_concurrent_edits_to_different_components_both_survive(doc: dict[str, Any]) -> None:
    alice = {"type": "set_component", "id": "orders_fn", "field": "label", "value": "Checkout"}
    bob = {"type": "set_component", "id": "orders", "field": "label", "value": "Orders (v2)"}
    for first, second in ((alice, bob), (bob, alice)):
        result = run(doc, first, second)
        assert (component(result, "orders_fn")["label"], component(result, "orders")["label"]) == (
            "Checkout",
            "Orders (v2)",
        )


def test_concurrent_edits_to_different_fields_of_one_component_both_survive(doc: dict[str, Any]) -> None:
    result = run(
        doc,
        {"type": "set_component", "id": "orders_fn", "field": "props.memory_mb", "value": 2048},
        {"type": "set_component", "id": "orders_fn", "field": "props.timeout_s", "value": 30},
    )
    props = component(result, "orders_fn")["props"]
    assert (props["memory_mb"], props["timeout_s"]) == (2048, 30)


def test_the_same_field_ends_with_the_last_writer_in_server_order(doc: dict[str, Any]) -> None:
    result = run(
        doc,
        {"type": "set_component", "id": "orders_fn", "field": "label", "value": "Alice's"},
        {"type": "set_component", "id": "orders_fn", "field": "label", "value": "Bob's"},
    )
    assert component(result, "orders_fn")["label"] == "Bob's"


@pytest.mark.parametrize(
    "op",
    [
        {"type": "set_component", "id": "orders_fn", "field": "label", "value": "Too late"},
        {"type": "remove_component", "id": "orders_fn"},
        {
            "type": "add_connection",
            "connection": {"id": "c9", "source": "api", "target": "orders_fn", "kind": "invoke"},
        },
    ],
)
def test_an_op_on_a_component_someone_removed_is_dropped_with_a_reason(doc: dict[str, Any], op: dict[str, Any]) -> None:
    removed = run(doc, {"type": "remove_component", "id": "orders_fn"})
    with pytest.raises(OperationDropped) as dropped:
        apply(removed, op)
    assert "orders_fn" in dropped.value.reason and "removed" in dropped.value.reason
