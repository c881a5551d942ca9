"""Cost diff between two estimates: added, removed and changed components, and exact deltas."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from apps.core.pointers import Invalid
from apps.costing import cost_diff, estimate
from apps.designs.document import validate_design
from apps.designs.patterns import pattern_library


def revised(slug: str, change: Callable[[dict], None]) -> tuple[dict, dict]:
    base = pattern_library()[slug].design.canonical()
    after = copy.deepcopy(base)
    change(after)
    return estimate(validate_design(base)), estimate(validate_design(after))


def test_a_diff_reports_added_removed_and_changed_components_with_exact_deltas() -> None:
    def change(doc: dict) -> None:
        doc["components"].append({"id": "cache", "type": "elasticache_cluster", "tier": "data"})
        handler = next(c for c in doc["components"] if c["id"] == "handler")
        handler["props"]["memory_mb"] = 1024
        doc["components"] = [c for c in doc["components"] if c["id"] != "client"]
        doc["connections"] = [c for c in doc["connections"] if c["source"] != "client"]

    old, new = revised("api-lambda-dynamodb", change)
    diff = cost_diff(old, new)
    changes = {row["id"]: row["change"] for row in diff["components"]}
    assert changes["cache"] == "added"
    assert changes["handler"] == "changed"
    assert changes["client"] == "removed"
    cache = next(row for row in diff["components"] if row["id"] == "cache")
    assert cache["old_monthly_usd"] is None and cache["delta_usd"] == cache["new_monthly_usd"] == 11.68
    assert diff["total_delta_usd"] == round(new["total_monthly_usd"] - old["total_monthly_usd"], 2)
    assert diff["old_total_monthly_usd"] == old["total_monthly_usd"]
    deltas = [abs(row["delta_usd"]) for row in diff["components"]]
    assert deltas == sorted(deltas, reverse=True)


def test_an_unchanged_revision_has_no_component_rows_and_a_zero_delta() -> None:
    result = estimate(pattern_library()["scheduled-job"].design)
    diff = cost_diff(result, result)
    assert diff["components"] == []
    assert diff["total_delta_usd"] == 0
    assert diff["unchanged_components"] == len(result["components"])
    assert diff["total_delta_percent"] == 0


def test_a_diff_notes_estimates_made_differently() -> None:
    design = pattern_library()["api-lambda-dynamodb"].design
    diff = cost_diff(estimate(design), estimate(design, free_tier=True))
    assert any("free tier" in note for note in diff["notes"])
    assert diff["by_tier"]["logic"]["delta_usd"] <= 0


@pytest.mark.parametrize(
    ("old", "new", "pointer"),
    [
        ({}, {"components": []}, "/old"),
        ({"components": []}, {"components": [{"monthly_usd": 1}]}, "/new/components/0"),
        ({"components": [{"id": "a", "monthly_usd": "1"}]}, {"components": []}, "/old/components/0/monthly_usd"),
    ],
)
def test_a_diff_of_something_that_is_not_an_estimate_is_refused(old: dict, new: dict, pointer: str) -> None:
    with pytest.raises(Invalid) as caught:
        cost_diff(old, new)
    assert caught.value.problems[0].pointer == pointer
