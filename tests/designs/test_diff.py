"""The structural diff names what was added, removed and changed, field by field."""

from __future__ import annotations

import copy

from apps.designs.diff import design_diff
from apps.designs.document import validate_design
from tests.conftest import design_doc


def canonical(doc: dict) -> dict:
    return validate_design(doc).canonical()


def test_identical_designs_have_an_empty_diff() -> None:
    diff = design_diff(canonical(design_doc()), canonical(design_doc()))
    assert diff["identical"] is True
    assert diff["summary"]["components"] == {"added": 0, "removed": 0, "changed": 0}


def test_it_reports_added_removed_and_changed_components_with_fields() -> None:
    old = design_doc()
    new = copy.deepcopy(old)
    new["components"] = [c for c in new["components"] if c["id"] != "web"]
    new["connections"] = [c for c in new["connections"] if c["id"] != "c1"]
    new["components"][1]["props"] = {"memory_mb": 1024, "architecture": "arm64"}
    new["components"][0]["label"] = "Orders API v2"
    new["components"].append({"id": "queue", "type": "sqs_queue"})
    diff = design_diff(canonical(old), canonical(new))

    assert [c["id"] for c in diff["components"]["added"]] == ["queue"]
    assert diff["components"]["added"][0]["type"] == "sqs_queue"
    assert [c["id"] for c in diff["components"]["removed"]] == ["web"]
    changed = {c["id"]: c["changes"] for c in diff["components"]["changed"]}
    assert changed["orders_fn"] == [
        {"field": "/props/architecture", "old": None, "new": "arm64"},
        {"field": "/props/memory_mb", "old": 512, "new": 1024},
    ]
    assert changed["api"] == [{"field": "/label", "old": "Orders API", "new": "Orders API v2"}]
    assert [c["id"] for c in diff["connections"]["removed"]] == ["c1"]
    assert diff["summary"]["components"] == {"added": 1, "removed": 1, "changed": 2}
    assert diff["identical"] is False


def test_it_reports_changed_connections_and_document_fields() -> None:
    old = design_doc()
    new = copy.deepcopy(old)
    new["connections"][1]["props"]["route"] = "POST /orders"
    new["name"] = "Orders service"
    new["workload"] = {"requests_per_month": 5_000_000}
    diff = design_diff(canonical(old), canonical(new))
    assert diff["connections"]["changed"] == [
        {"id": "c2", "changes": [{"field": "/props/route", "old": "GET /orders", "new": "POST /orders"}]}
    ]
    fields = {change["field"]: change for change in diff["document"]["changed"]}
    assert fields["/name"]["new"] == "Orders service"
    assert fields["/workload/requests_per_month"] == {
        "field": "/workload/requests_per_month", "old": 1_000_000, "new": 5_000_000,
    }  # fmt: skip


def test_a_type_change_from_int_to_float_counts_as_a_change() -> None:
    old = design_doc()
    new = copy.deepcopy(old)
    new["components"][2]["props"]["memory_mb"] = 512
    new["workload"] = {"avg_request_kb": 2.5}
    diff = design_diff(canonical(old), canonical(new))
    assert diff["components"]["changed"] == []
    assert diff["document"]["changed"] == [{"field": "/workload/avg_request_kb", "old": 2, "new": 2.5}]
