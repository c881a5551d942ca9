"""Small designs for the review tests, and helpers to pick one rule's findings out of a review."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design, validate_design
from apps.review import review


def design(
    components: list[dict[str, Any]],
    connections: list[dict[str, Any]] | None = None,
    *,
    groups: list[dict[str, Any]] | None = None,
    region: str | None = None,
    **workload: Any,
) -> Design:
    """A validated design of ``components`` joined by ``connections`` (ids c0, c1, … when missing)."""
    doc: dict[str, Any] = {
        "schema": "tierplan.design/v1",
        "name": "Review test",
        "components": components,
        "connections": [{"id": f"c{index}", **c} for index, c in enumerate(connections or [])],
        "groups": groups or [],
    }
    if region:
        doc["region"] = region
    if workload:
        doc["workload"] = workload
    return validate_design(doc)


def link(source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "kind": kind, "props": props}


def comp(component_id: str, component_type: str, label: str = "", *, group: str | None = None,
         usage: dict[str, Any] | None = None, **props: Any) -> dict[str, Any]:  # fmt: skip
    component: dict[str, Any] = {"id": component_id, "type": component_type, "props": props, "usage": usage or {}}
    if label:
        component["label"] = label
    if group:
        component["group"] = group
    return component


def fn(component_id: str = "fn", label: str = "", *, group: str | None = None,
       usage: dict[str, Any] | None = None, **props: Any) -> dict[str, Any]:  # fmt: skip
    return comp(component_id, "lambda_function", label, group=group, usage=usage, **props)


def vpc(group_id: str = "vpc", **props: Any) -> dict[str, Any]:
    return {"id": group_id, "kind": "vpc", "label": "Private network", "props": props}


def findings(doc: Design, rule: str) -> list[dict[str, Any]]:
    """The findings of ``rule`` in the full review of ``doc``."""
    return [finding for finding in review(doc) if finding["rule"] == rule]


def only(doc: Design, rule: str) -> dict[str, Any]:
    """The single finding of ``rule`` (fails when there is none or more than one)."""
    found = findings(doc, rule)
    assert len(found) == 1, f"expected one {rule} finding, got {found}"
    return found[0]


def api_with_function(*, api_type: str = "api_gateway_rest", api: dict[str, Any] | None = None,
                      function: dict[str, Any] | None = None, **invoke: Any) -> Design:  # fmt: skip
    """browser → API → function (sync invoke unless ``invocation_type`` says otherwise)."""
    return design(
        [comp("web", "browser"), comp("api", api_type, "Orders API", **{"auth": "iam", **(api or {})}),
         fn("orders_fn", "Orders", **(function or {}))],
        [link("web", "api", "request"), link("api", "orders_fn", "invoke", **invoke)],
    )  # fmt: skip
