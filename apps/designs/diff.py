"""Structural diff between two design documents (canonical form). Pure Python, no Django.

The result lists, for components, connections and groups, what was added, removed and changed, with
each changed field as a JSON pointer relative to the item, its old and its new value.
"""

from __future__ import annotations

from typing import Any

from apps.core.pointers import json_pointer

COLLECTIONS = ("components", "connections", "groups")
DOCUMENT_FIELDS = ("name", "description", "region", "tiers", "workload")


def field_changes(old: Any, new: Any, path: tuple[str | int, ...] = ()) -> list[dict[str, Any]]:
    """Leaf-level changes between two JSON values; objects are walked, lists compared whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(old) | set(new)):
            changes += field_changes(old.get(key), new.get(key), (*path, key))
        return changes
    if old == new and type(old) is type(new):
        return []
    return [{"field": json_pointer(path), "old": old, "new": new}]


def _diff_collection(old_items: list[dict[str, Any]], new_items: list[dict[str, Any]]) -> dict[str, Any]:
    old_by_id = {item["id"]: item for item in old_items}
    new_by_id = {item["id"]: item for item in new_items}
    changed = []
    for item_id, new_item in new_by_id.items():
        if item_id in old_by_id:
            changes = field_changes(old_by_id[item_id], new_item)
            if changes:
                changed.append({"id": item_id, "changes": changes})
    return {
        "added": [item for item in new_items if item["id"] not in old_by_id],
        "removed": [item for item in old_items if item["id"] not in new_by_id],
        "changed": changed,
    }


def design_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from ``old`` to ``new`` (both canonical design documents)."""
    result: dict[str, Any] = {name: _diff_collection(old.get(name, []), new.get(name, [])) for name in COLLECTIONS}
    document_changes: list[dict[str, Any]] = []
    for name in DOCUMENT_FIELDS:
        document_changes += field_changes(old.get(name), new.get(name), (name,))
    result["document"] = {"changed": document_changes}
    result["summary"] = {
        name: {kind: len(result[name][kind]) for kind in ("added", "removed", "changed")} for name in COLLECTIONS
    }
    result["identical"] = not document_changes and all(
        not any(result[name][kind] for kind in ("added", "removed", "changed")) for name in COLLECTIONS
    )
    return result
