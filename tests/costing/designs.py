"""Small designs for the costing tests: a document from a few components and connections."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design, validate_design


def design(
    components: list[dict[str, Any]],
    connections: list[dict[str, Any]] | None = None,
    **workload: Any,
) -> Design:
    """A validated design holding ``components`` joined by ``connections`` (ids c0, c1, … when missing)."""
    conns = []
    for index, connection in enumerate(connections or []):
        conns.append({"id": f"c{index}", **connection})
    doc: dict[str, Any] = {"schema": "tierplan.design/v1", "name": "Costing test", "components": components,
                           "connections": conns}  # fmt: skip
    if workload:
        doc["workload"] = workload
    return validate_design(doc)


def link(source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "kind": kind, "props": props}


def lambda_fn(component_id: str = "fn", *, props: dict[str, Any] | None = None, **usage: Any) -> dict[str, Any]:
    return {"id": component_id, "type": "lambda_function", "props": props or {}, "usage": usage}


def component(estimate: dict[str, Any], component_id: str) -> dict[str, Any]:
    return next(entry for entry in estimate["components"] if entry["id"] == component_id)


def line(estimate: dict[str, Any], component_id: str, meter: str) -> dict[str, Any]:
    return next(entry for entry in component(estimate, component_id)["lines"] if entry["meter"] == meter)


def usd(estimate: dict[str, Any], component_id: str, meter: str) -> float:
    return line(estimate, component_id, meter)["usd"]
