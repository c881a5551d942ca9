"""A design with every type at once, and one with every connection the catalog allows, estimate and review:
a cost line (or a stated reason for none) for each component, traffic flowing into each priced type."""

from __future__ import annotations

import functools
import math
from typing import Any

import pytest

from apps.costing import estimate
from apps.costing.engine import NOT_ESTIMATED
from apps.designs.catalog import get_catalog
from apps.designs.document import validate_design
from apps.review.engine import review
from tests.exporting.designs import EVERY_CONNECTION_PARTS, every_connection_design, every_type_design

DESIGNS = {
    "every-type": every_type_design,
    **{
        f"every-connection-{part}": functools.partial(every_connection_design, part, EVERY_CONNECTION_PARTS)
        for part in range(1, EVERY_CONNECTION_PARTS + 1)
    },
}
# Drawn and reviewed, and free as these designs configure them (an SSM parameter in the standard tier, a
# custom resource: CloudFormation charges nothing for the Custom:: namespace).
FREE = {"browser", "mobile_app", "lambda_layer", "ssm_parameter", "custom_resource"}


def damped(document: dict[str, Any]) -> dict[str, Any]:
    """The design with a hundredth of a source's traffic on each connection that has no ratio of its own: these
    designs connect for coverage, not realism, and their cycles (a function writing to a bus that
    triggers it again) settle only when each turn carries less."""
    kinds = get_catalog().connection_kinds
    for connection in document["connections"]:
        spec = kinds[connection["kind"]].props.fields["ratio"]
        props = connection.setdefault("props", {})
        if "ratio" not in props and (spec.maximum is None or spec.maximum >= 0.5) and spec.default:
            props["ratio"] = 0.01
    return document


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_every_component_is_estimated_or_says_why_not(name: str) -> None:
    design = validate_design(damped(DESIGNS[name]()))
    result = estimate(design)
    assert [entry["id"] for entry in result["components"]] == [c.id for c in design.components]
    assert math.isfinite(result["total_monthly_usd"]) and result["total_monthly_usd"] > 0
    types = {c.id: c.type for c in design.components}
    priced: set[str] = set()
    for entry in result["components"]:
        ctype = types[entry["id"]]
        if ctype in NOT_ESTIMATED:
            assert not entry["lines"], entry["id"]
        elif entry["lines"]:
            priced.add(ctype)
    # Each billed type costs something somewhere in the design (one component may be free: a scheduled rule).
    assert set(types.values()) - NOT_ESTIMATED.keys() - FREE <= priced


@pytest.mark.parametrize("name", sorted(set(DESIGNS) - {"every-type"}))
def test_each_part_of_the_every_connection_design_holds_every_type(name: str) -> None:
    design = DESIGNS[name]()
    assert {c["type"] for c in design["components"]} == set(get_catalog().types)


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_every_type_is_reviewed_without_error(name: str) -> None:
    findings: list[dict[str, Any]] = review(validate_design(DESIGNS[name]()))
    components = {c["id"] for c in DESIGNS[name]()["components"]}
    assert all(set(f["components"]) <= components for f in findings)
