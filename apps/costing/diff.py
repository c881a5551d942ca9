"""Cost diff between two estimates (two revisions of a design), like Infracost's pull-request comment.

Pure Python, no Django. Components are matched by id: a component is ``added``, ``removed``,
``changed`` (its monthly cost moved) or unchanged (only counted). Amounts are the estimates' rounded
``monthly_usd`` figures, subtracted in decimal so deltas are exact to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from apps.core.pointers import Invalid, Problem


def _amount(value: Any, pointer: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid([Problem(pointer, "must be an amount in USD")])
    return Decimal(str(value))


def _components(estimate: Any, name: str) -> dict[str, Mapping[str, Any]]:
    if not isinstance(estimate, Mapping) or not isinstance(estimate.get("components"), list):
        raise Invalid([Problem(f"/{name}", "must be an estimate (an object with components)")])
    found: dict[str, Mapping[str, Any]] = {}
    for index, component in enumerate(estimate["components"]):
        if not isinstance(component, Mapping) or not isinstance(component.get("id"), str):
            raise Invalid([Problem(f"/{name}/components/{index}", "must be an object with an id")])
        _amount(component.get("monthly_usd"), f"/{name}/components/{index}/monthly_usd")
        found[component["id"]] = component
    return found


def cost_diff(old_estimate: Mapping[str, Any], new_estimate: Mapping[str, Any]) -> dict[str, Any]:
    """Per-component and total change in monthly cost from ``old_estimate`` to ``new_estimate``.

    Returns ``{"currency", "old_total_monthly_usd", "new_total_monthly_usd", "total_delta_usd",
    "total_delta_percent", "by_tier", "components": [{"id", "type", "label", "change", "old_monthly_usd",
    "new_monthly_usd", "delta_usd"}], "unchanged_components", "notes"}``; components are sorted by the
    size of their change (largest first), then by id.
    """
    old = _components(old_estimate, "old")
    new = _components(new_estimate, "new")
    if old_estimate.get("currency") != new_estimate.get("currency"):
        raise Invalid([Problem("/new/currency", "both estimates must be in the same currency")])
    rows = []
    unchanged = 0
    for component_id in [*new, *(key for key in old if key not in new)]:
        before, after = old.get(component_id), new.get(component_id)
        old_usd = Decimal(str(before["monthly_usd"])) if before else Decimal(0)
        new_usd = Decimal(str(after["monthly_usd"])) if after else Decimal(0)
        if before is None:
            change = "added"
        elif after is None:
            change = "removed"
        elif old_usd != new_usd:
            change = "changed"
        else:
            unchanged += 1
            continue
        shown = after or before
        assert shown is not None
        row: dict[str, Any] = {
            "id": component_id,
            "type": shown.get("type"),
            "label": shown.get("label", ""),
            "change": change,
            "old_monthly_usd": float(old_usd) if before else None,
            "new_monthly_usd": float(new_usd) if after else None,
            "delta_usd": float(new_usd - old_usd),
        }
        if before and after and before.get("type") != after.get("type"):
            row["old_type"] = before.get("type")
        rows.append(row)
    rows.sort(key=lambda row: (-abs(Decimal(str(row["delta_usd"]))), row["id"]))

    old_total = _amount(old_estimate.get("total_monthly_usd"), "/old/total_monthly_usd")
    new_total = _amount(new_estimate.get("total_monthly_usd"), "/new/total_monthly_usd")
    old_tiers = old_estimate.get("by_tier") or {}
    new_tiers = new_estimate.get("by_tier") or {}
    by_tier = {}
    for tier in [*new_tiers, *(key for key in old_tiers if key not in new_tiers)]:
        before_tier = _amount(old_tiers.get(tier, 0), f"/old/by_tier/{tier}")
        after_tier = _amount(new_tiers.get(tier, 0), f"/new/by_tier/{tier}")
        by_tier[tier] = {
            "old_usd": float(before_tier),
            "new_usd": float(after_tier),
            "delta_usd": float(after_tier - before_tier),
        }
    notes = []
    if old_estimate.get("pricing_date") != new_estimate.get("pricing_date"):
        notes.append(
            f"Priced with different snapshots ({old_estimate.get('pricing_date')} and "
            f"{new_estimate.get('pricing_date')}): part of the change may come from prices."
        )
    if old_estimate.get("free_tier") != new_estimate.get("free_tier"):
        notes.append("One estimate applies the free tier and the other does not.")
    if old_estimate.get("workload") != new_estimate.get("workload"):
        notes.append("The estimates use different workloads.")
    delta = new_total - old_total
    return {
        "currency": new_estimate.get("currency", "USD"),
        "old_total_monthly_usd": float(old_total),
        "new_total_monthly_usd": float(new_total),
        "total_delta_usd": float(delta),
        "total_delta_percent": float(round(delta / old_total * 100, 2)) if old_total else None,
        "by_tier": by_tier,
        "components": rows,
        "unchanged_components": unchanged,
        "notes": notes,
    }
