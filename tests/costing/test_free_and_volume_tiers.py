"""Free tiers apply once per account and volume tiers to a service's total, across components."""

from __future__ import annotations

import pytest

from apps.costing import estimate
from tests.costing.designs import design, lambda_fn, line, usd


def test_the_free_tier_is_off_by_default() -> None:
    result = estimate(design([lambda_fn(requests_per_month=500_000)]))
    assert result["free_tier"] is False
    assert usd(result, "fn", "lambda.requests") == 0.10


def test_the_lambda_free_requests_are_applied_once_across_all_functions() -> None:
    functions = [lambda_fn("a", requests_per_month=700_000), lambda_fn("b", requests_per_month=700_000)]
    result = estimate(design(functions), free_tier=True)
    # 1.4M requests, 1M free once per account: 0.4M billable, $0.08, shared in proportion to usage.
    assert line(result, "a", "lambda.requests")["quantity"] == pytest.approx(0.2)
    assert line(result, "a", "lambda.requests")["free_quantity"] == pytest.approx(0.5)
    assert usd(result, "a", "lambda.requests") + usd(result, "b", "lambda.requests") == pytest.approx(0.08)


def test_the_lambda_compute_allowance_is_shared_by_x86_and_arm_functions() -> None:
    x86 = lambda_fn("x86", props={"memory_mb": 1024}, requests_per_month=300_000, avg_duration_ms=1000)
    arm = lambda_fn(
        "arm", props={"memory_mb": 1024, "architecture": "arm64"}, requests_per_month=300_000, avg_duration_ms=1000
    )
    result = estimate(design([x86, arm]), free_tier=True)
    # 600,000 GB-s in all, 400,000 free: a third of each function's compute is billable.
    assert line(result, "x86", "lambda.duration.x86_64")["quantity"] == pytest.approx(100_000)
    assert line(result, "arm", "lambda.duration.arm64")["quantity"] == pytest.approx(100_000)


def test_twelve_month_offers_are_not_applied_as_always_free() -> None:
    api = {"id": "api", "type": "api_gateway_http", "usage": {"requests_per_month": 1_000_000}}
    result = estimate(design([api]), free_tier=True)
    assert usd(result, "api", "apigw.http.requests") == 1.00
    assert any("12-month offers" in text for text in result["assumptions"])


def test_volume_tiers_apply_to_the_service_total_across_components() -> None:
    apis = [
        {"id": "one", "type": "api_gateway_rest", "usage": {"requests_per_month": 200_000_000}},
        {"id": "two", "type": "api_gateway_rest", "usage": {"requests_per_month": 200_000_000}},
    ]
    result = estimate(design(apis))
    # 400M calls: 333M × $3.50 + 67M × $2.80 = $1,353.10 (not 2 × $700), half each.
    assert usd(result, "one", "apigw.rest.requests") == 676.55
    assert usd(result, "two", "apigw.rest.requests") == 676.55
    assert line(result, "one", "apigw.rest.requests")["unit_price_usd"] == pytest.approx(1353.10 / 400)


def test_a_single_component_crossing_a_tier_pays_each_band_its_price() -> None:
    api = {"id": "api", "type": "api_gateway_rest", "usage": {"requests_per_month": 1_000_000_000}}
    # 333M × $3.50 + 667M × $2.80 (AWS whitepaper price table)
    assert usd(estimate(design([api])), "api", "apigw.rest.requests") == 3033.10


def test_free_tier_never_makes_an_estimate_dearer() -> None:
    functions = [lambda_fn("a", requests_per_month=3_000_000), lambda_fn("b", requests_per_month=10)]
    paid = estimate(design(functions))
    free = estimate(design(functions), free_tier=True)
    assert free["total_monthly_usd"] <= paid["total_monthly_usd"]
