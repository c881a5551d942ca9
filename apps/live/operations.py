"""Live editing operations: the small, field-level edits a design session is made of, and how one applies.

Pure Python, no Django. The server orders operations; each one is applied to the current document and
the result is validated by the one design validator, so the live document is always a valid design.

Why field-level: two people editing different components, or different fields of one component, send
operations that touch different places, so both survive whatever order the server puts them in. Two
edits of the same field: the one the server orders last wins. An edit whose target someone else removed
meanwhile is *dropped* (with a reason the sender can show), not an error: that is a normal outcome of
concurrent editing, not a broken client.

Operation shapes (JSON objects; ``field`` is ``name`` or ``name.key`` for the keyed fields):

    {"type": "add_component", "component": {...}}        {"type": "remove_component", "id": "api"}
    {"type": "set_component", "id": "api", "field": "props.memory_mb", "value": 1024}
    {"type": "add_connection", "connection": {...}}      {"type": "remove_connection", "id": "c1"}
    {"type": "set_connection", "id": "c1", "field": "label", "value": "GET /orders"}
    {"type": "add_group", "group": {...}}                {"type": "remove_group", "id": "vpc"}
    {"type": "set_group", "id": "vpc", "field": "label", "value": "Private"}
    {"type": "set_design", "field": "workload.requests_per_month", "value": 5000000}
    {"type": "replace", "document": {...}}               (the whole document: a pattern, a restore, a PUT)

A ``set_*`` without ``value`` removes the field (or the key), so its default applies again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apps.core.pointers import Problem
from apps.designs.document import DesignInvalid, validate_design

MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class Collection:
    """One kind of item in the document that operations add, remove and edit by id."""

    name: str  # the document's list: components, connections, groups
    item: str  # the key of the item in an add operation
    fields: frozenset[str]  # fields set as a whole
    keyed: frozenset[str]  # fields whose keys are set one by one (props.memory_mb)


COLLECTIONS: dict[str, Collection] = {
    "component": Collection(
        "components",
        "component",
        frozenset({"label", "type", "tier", "group", "position", "cloudformation"}),
        frozenset({"props", "usage"}),
    ),
    "connection": Collection(
        "connections", "connection", frozenset({"label", "kind", "source", "target"}), frozenset({"props"})
    ),
    "group": Collection(
        "groups", "group", frozenset({"label", "kind", "parent", "position", "size"}), frozenset({"props"})
    ),
}
DESIGN_FIELDS = frozenset({"name", "description", "region", "tiers", "cloudformation"})
DESIGN_KEYED = frozenset({"workload"})

OPERATION_TYPES = frozenset(
    {f"{verb}_{kind}" for verb in ("add", "remove", "set") for kind in COLLECTIONS} | {"set_design", "replace"}
)


class OperationRefused(Exception):
    """The operation is malformed or would make the document invalid; nothing was applied."""

    def __init__(self, code: str, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = problems or []


class OperationDropped(Exception):
    """The operation's target is gone (someone removed it first); dropping it is the expected outcome."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FieldPath:
    name: str
    key: str | None = None

    def __str__(self) -> str:
        return self.name if self.key is None else f"{self.name}.{self.key}"


@dataclass(frozen=True)
class Applied:
    """The document after an operation, and the operation as the server records and broadcasts it."""

    document: dict[str, Any]
    op: dict[str, Any]


def apply(document: Mapping[str, Any], op: Any) -> Applied:
    """Apply ``op`` to the (valid, canonical) ``document``: the new canonical document and the recorded op.

    The recorded op carries what validation filled in (an added component's default tier, a replaced
    document's defaults), so every client that applies it ends with exactly the server's document.
    Raises ``OperationRefused`` (with JSON pointers into the op or the resulting document) when the op is
    malformed or its result is not a valid design, and ``OperationDropped`` when its target was removed.
    ``document`` is never modified.
    """
    op_type = operation_type(op)
    if op_type == "replace":
        candidate = _replace(op)
    elif op_type == "set_design":
        candidate = _set_design(document, op)
    else:
        verb, kind = op_type.split("_", 1)
        collection = COLLECTIONS[kind]
        if verb == "add":
            candidate = _add(document, op, collection)
        elif verb == "remove":
            candidate = _remove(document, op, collection)
        else:
            candidate = _set(document, op, collection)
    try:
        result = validate_design(candidate).canonical()
    except DesignInvalid as exc:
        raise OperationRefused(
            "invalid_design", f"The edit would make the design invalid: {exc.args[0]}", exc.problems
        ) from None
    return Applied(result, _as_recorded(op_type, op, result))


def _as_recorded(op_type: str, op: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    """The op with the values validation settled (defaults filled in), and nothing but its own keys."""
    if op_type == "replace":
        return {"type": op_type, "document": dict(result)}
    if op_type == "set_design":
        return _recorded_set({"type": op_type, "field": op["field"]}, result, op)
    verb, kind = op_type.split("_", 1)
    collection = COLLECTIONS[kind]
    if verb == "remove":
        return {"type": op_type, "id": op["id"]}
    if verb == "add":
        item_id = op[collection.item].get("id")
        item = next(i for i in result[collection.name] if i.get("id") == item_id)
        return {"type": op_type, collection.item: item}
    item = next(i for i in result[collection.name] if i.get("id") == op["id"])
    return _recorded_set({"type": op_type, "id": op["id"], "field": op["field"]}, item, op)


def _recorded_set(recorded: dict[str, Any], holder: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, Any]:
    name, _, key = str(op["field"]).partition(".")
    value: Any = holder.get(name)
    present = name in holder
    if key:
        present = isinstance(value, dict) and key in value
        value = value.get(key) if present else None
    # Whatever the field holds after validation (a removed field may come back with its default).
    if present:
        recorded["value"] = value
    return recorded


def operation_type(op: Any) -> str:
    """The op's type, once it is known to be an object with a known type (else ``OperationRefused``)."""
    if not isinstance(op, dict):
        raise _malformed("", "an operation must be a JSON object")
    op_type = op.get("type")
    if op_type not in OPERATION_TYPES:
        known = ", ".join(sorted(OPERATION_TYPES))
        raise _malformed("/type", f"unknown operation type {str(op_type)[:40]!r}; known: {known}")
    return str(op_type)


def _malformed(pointer: str, message: str) -> OperationRefused:
    return OperationRefused("bad_operation", f"Malformed operation: {message}.", [Problem(pointer, message)])


def _object(op: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = op.get(key)
    if not isinstance(value, dict):
        raise _malformed(f"/{key}", "must be a JSON object")
    return value


def _item_id(op: Mapping[str, Any]) -> str:
    value = op.get("id")
    if not isinstance(value, str) or not value or len(value) > 64:
        raise _malformed("/id", "must be the id of an item (a string of at most 64 characters)")
    return value


def _field_path(op: Mapping[str, Any], fields: frozenset[str], keyed: frozenset[str]) -> FieldPath:
    value = op.get("field")
    if not isinstance(value, str):
        raise _malformed("/field", "must be a field name such as 'label' or 'props.memory_mb'")
    name, _, key = value.partition(".")
    if name in fields and not key:
        return FieldPath(name)
    if name in keyed:
        if "." in key or len(key) > MAX_KEY_LENGTH:
            raise _malformed("/field", f"{name} keys are single names of at most {MAX_KEY_LENGTH} characters")
        return FieldPath(name, key or None)
    allowed = ", ".join(sorted(fields | {f"{k}[.key]" for k in keyed}))
    raise _malformed("/field", f"cannot set {value[:80]!r}; settable fields: {allowed}")


def _with_field(item: Mapping[str, Any], path: FieldPath, op: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``item`` with the op's value at ``path``, or without that field/key when no value is given."""
    updated = dict(item)
    if path.key is None:
        if "value" in op:
            updated[path.name] = op["value"]
        else:
            updated.pop(path.name, None)
        return updated
    inner = updated.get(path.name)
    inner = dict(inner) if isinstance(inner, dict) else {}
    if "value" in op:
        inner[path.key] = op["value"]
    else:
        inner.pop(path.key, None)
    updated[path.name] = inner
    return updated


def _items(document: Mapping[str, Any], collection: Collection) -> list[dict[str, Any]]:
    return list(document.get(collection.name) or [])


def _index(items: list[dict[str, Any]], item_id: str) -> int | None:
    return next((i for i, item in enumerate(items) if item.get("id") == item_id), None)


def _add(document: Mapping[str, Any], op: Mapping[str, Any], collection: Collection) -> dict[str, Any]:
    item = _object(op, collection.item)
    items = _items(document, collection)
    item_id = item.get("id")
    if isinstance(item_id, str) and _index(items, item_id) is not None:
        # Two people adding the same id at once: the second learns it is taken and picks another.
        raise OperationRefused(
            "id_taken",
            f"A {collection.item} with the id {item_id!r} already exists.",
            [Problem(f"/{collection.item}/id", "already used")],
        )
    if collection.name == "connections":
        components = {c.get("id") for c in _items(document, COLLECTIONS["component"])}
        for end in ("source", "target"):
            if isinstance(item.get(end), str) and item[end] not in components:
                raise OperationDropped(f"the {end} component {item[end]!r} was removed")
    return {**document, collection.name: [*items, item]}


def _remove(document: Mapping[str, Any], op: Mapping[str, Any], collection: Collection) -> dict[str, Any]:
    item_id = _item_id(op)
    items = _items(document, collection)
    index = _index(items, item_id)
    if index is None:
        raise OperationDropped(f"the {collection.item} {item_id!r} was already removed")
    removed = items.pop(index)
    result = {**document, collection.name: items}
    if collection.name == "components":
        # A connection cannot outlive either end.
        result["connections"] = [
            c for c in _items(document, COLLECTIONS["connection"]) if item_id not in (c.get("source"), c.get("target"))
        ]
    elif collection.name == "groups":
        # What was inside the group moves to the group's own parent (or to the top level).
        parent = removed.get("parent")
        result["components"] = [
            {**c, "group": parent} if c.get("group") == item_id else c
            for c in _items(document, COLLECTIONS["component"])
        ]
        result["groups"] = [{**g, "parent": parent} if g.get("parent") == item_id else g for g in items]
    return result


def _set(document: Mapping[str, Any], op: Mapping[str, Any], collection: Collection) -> dict[str, Any]:
    item_id = _item_id(op)
    path = _field_path(op, collection.fields, collection.keyed)
    items = _items(document, collection)
    index = _index(items, item_id)
    if index is None:
        raise OperationDropped(f"the {collection.item} {item_id!r} was removed")
    items[index] = _with_field(items[index], path, op)
    return {**document, collection.name: items}


def _set_design(document: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, Any]:
    path = _field_path(op, DESIGN_FIELDS, DESIGN_KEYED)
    return _with_field(document, path, op)


def _replace(op: Mapping[str, Any]) -> dict[str, Any]:
    return _object(op, "document")
