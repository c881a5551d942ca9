"""Every pattern in the library gets a sensible estimate that adds up and lists its assumptions."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from apps.costing import estimate
from apps.designs.patterns import pattern_library

PATTERNS = sorted(pattern_library())
CONTRACT_KEYS = {"currency", "region", "pricing_date", "free_tier", "total_monthly_usd", "by_tier", "components",
                 "assumptions"}  # fmt: skip
LINE_KEYS = {"description", "quantity", "unit", "unit_price_usd", "usd"}


def numbers(value: object) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers(item)]
    if isinstance(value, list):
        return [number for item in value for number in numbers(item)]
    return []


@pytest.mark.parametrize("slug", PATTERNS)
def test_every_pattern_gets_an_estimate_that_follows_the_contract_and_adds_up(slug: str) -> None:
    pattern = pattern_library()[slug]
    result = estimate(pattern.design)
    assert set(result) >= CONTRACT_KEYS
    assert result["currency"] == "USD" and result["region"] == "us-east-1" and result["free_tier"] is False
    assert [entry["id"] for entry in result["components"]] == [c.id for c in pattern.design.components]
    assert result["total_monthly_usd"] > 0
    assert all(math.isfinite(number) and number >= 0 for number in numbers(result))
    for entry in result["components"]:
        assert {"id", "type", "monthly_usd", "lines"} <= set(entry)
        for line in entry["lines"]:
            assert set(line) >= LINE_KEYS
        assert Decimal(str(entry["monthly_usd"])) == sum(
            (Decimal(str(line["usd"])) for line in entry["lines"]), Decimal(0)
        )
    tiers = sum((Decimal(str(value)) for value in result["by_tier"].values()), Decimal(0))
    assert tiers == Decimal(str(result["total_monthly_usd"]))
    assert len(result["assumptions"]) >= 5
    json.dumps(result, allow_nan=False)  # plain JSON data


@pytest.mark.parametrize("slug", PATTERNS)
def test_the_free_tier_lowers_or_keeps_every_patterns_estimate(slug: str) -> None:
    design = pattern_library()[slug].design
    assert estimate(design, free_tier=True)["total_monthly_usd"] <= estimate(design)["total_monthly_usd"]


def test_a_pattern_estimate_is_in_a_plausible_range() -> None:
    # The simplest serverless back end at 1M requests a month costs a few dollars, not cents or hundreds.
    result = estimate(pattern_library()["api-lambda-dynamodb"].design)
    assert 1 < result["total_monthly_usd"] < 20
    # The VPC three-tier pattern is dominated by its always-on database and cache.
    vpc = estimate(pattern_library()["three-tier-vpc"].design)
    assert vpc["by_tier"]["data"] > vpc["by_tier"]["logic"]


def test_estimates_are_deterministic() -> None:
    design = pattern_library()["microservices"].design
    assert json.dumps(estimate(design), sort_keys=True) == json.dumps(estimate(design), sort_keys=True)


def test_an_account_in_another_region_is_named_among_the_assumptions() -> None:
    from apps.designs.document import validate_design

    doc = pattern_library()["team-microservices"].design.canonical()
    next(g for g in doc["groups"] if g["id"] == "payments_account")["props"]["region"] = "eu-central-1"
    result = estimate(validate_design(doc))
    assert "Account payments_account runs in eu-central-1, priced with us-east-1 prices." in result["assumptions"]
    assert not any("orders_account runs in" in a for a in result["assumptions"])
