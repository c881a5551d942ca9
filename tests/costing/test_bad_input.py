"""Bad input is refused with a pointer to the field at fault; an estimate never holds NaN or negatives."""

from __future__ import annotations

import dataclasses
import math

import pytest

from apps.core.pointers import Invalid
from apps.costing import estimate, parse_estimate_params
from apps.costing.pricing import default_snapshot
from apps.designs.document import DesignInvalid
from tests.costing.designs import design, lambda_fn, link


def pointers(caught: pytest.ExceptionInfo[Invalid]) -> list[str]:
    return [problem.pointer for problem in caught.value.problems]


def test_usage_beyond_1e15_is_refused_naming_the_field() -> None:
    doc = design([{"id": "web", "type": "browser"}, lambda_fn(requests_per_month=2e15)])
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert pointers(caught) == ["/components/1/usage/requests_per_month"]


def test_negative_or_non_finite_usage_is_refused_even_if_it_slipped_past_validation() -> None:
    doc = design([lambda_fn(requests_per_month=10), {"id": "table", "type": "dynamodb_table"}])
    doc.components[0].usage["requests_per_month"] = -1
    doc.components[1].usage["storage_gb"] = math.nan
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert pointers(caught) == ["/components/0/usage/requests_per_month", "/components/1/usage/storage_gb"]


def test_traffic_multiplied_past_1e15_by_ratios_is_refused_on_the_component_it_reaches() -> None:
    doc = design(
        [{"id": "web", "type": "browser"}, {"id": "api", "type": "api_gateway_http"}, lambda_fn("a"), lambda_fn("b")],
        [link("web", "api", "request", ratio=10000), link("api", "a", "invoke", ratio=10000),
         link("a", "b", "invoke", ratio=10000)],
        requests_per_month=1e12,
    )  # fmt: skip
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert pointers(caught) == ["/components/1/usage/requests_per_month"]


def test_a_memory_size_lambda_does_not_allow_is_refused_by_validation_and_by_the_engine() -> None:
    with pytest.raises(DesignInvalid) as refused:
        design([lambda_fn(props={"memory_mb": 64})])
    assert [problem.pointer for problem in refused.value.problems] == ["/components/0/props/memory_mb"]
    doc = design([lambda_fn()])
    doc.components[0].props["memory_mb"] = 64
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert pointers(caught) == ["/components/0/props/memory_mb"]


def test_an_unknown_instance_class_is_refused_naming_the_field() -> None:
    doc = design([{"id": "db", "type": "rds_instance"}])
    doc.components[0].props["instance_class"] = "db.x99.huge"
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert pointers(caught) == ["/components/0/props/instance_class"]


def test_a_snapshot_without_a_price_for_a_choice_names_the_field() -> None:
    snapshot = default_snapshot()
    meters = {key: meter for key, meter in snapshot.meters.items() if not key.startswith("elasticache.valkey")}
    partial = dataclasses.replace(snapshot, meters=meters)
    doc = design([{"id": "cache", "type": "elasticache_cluster", "props": {"engine": "valkey"}}])
    with pytest.raises(Invalid) as caught:
        estimate(doc, pricing=partial)
    assert pointers(caught) == ["/components/0/props/node_type"]


def test_params_are_normalized_with_defaults() -> None:
    assert parse_estimate_params({}) == {"free_tier": False, "workload": {}, "hours_per_month": 730.0}
    params = parse_estimate_params({"free_tier": True, "workload": {"requests_per_month": 5000}})
    assert params == {"free_tier": True, "workload": {"requests_per_month": 5000}, "hours_per_month": 730.0}
    result = estimate(design([{"id": "web", "type": "browser"}]), **params)
    assert result["free_tier"] is True
    assert result["workload"]["requests_per_month"] == 5000


@pytest.mark.parametrize(
    ("params", "pointer"),
    [
        ({"free_tier": "yes"}, "/params/free_tier"),
        ({"free_tier": 1}, "/params/free_tier"),
        ({"format": "pdf"}, "/params/format"),
        ({"workload": []}, "/params/workload"),
        ({"workload": {"users": 5}}, "/params/workload/users"),
        ({"workload": {"requests_per_month": -1}}, "/params/workload/requests_per_month"),
        ({"workload": {"requests_per_month": 1e16}}, "/params/workload/requests_per_month"),
        ({"workload": {"avg_response_kb": True}}, "/params/workload/avg_response_kb"),
        ({"hours_per_month": 0}, "/params/hours_per_month"),
        ({"hours_per_month": "730"}, "/params/hours_per_month"),
    ],
)
def test_bad_params_are_refused_naming_the_field(params: dict, pointer: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_estimate_params(params)
    assert pointers(caught) == [pointer]


def test_params_must_be_an_object() -> None:
    with pytest.raises(Invalid) as caught:
        parse_estimate_params(["free_tier"])  # type: ignore[arg-type]
    assert pointers(caught) == ["/params"]


def test_workload_overrides_given_to_estimate_directly_are_validated_too() -> None:
    with pytest.raises(Invalid) as caught:
        estimate(design([lambda_fn()]), workload={"requests_per_month": -5})
    assert pointers(caught) == ["/params/workload/requests_per_month"]
    with pytest.raises(Invalid) as caught:
        estimate(design([lambda_fn()]), free_tier="no")  # type: ignore[arg-type]
    assert pointers(caught) == ["/params/free_tier"]
