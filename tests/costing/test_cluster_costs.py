"""Aurora clusters (and the other clusters in a VPC) bill what AWS's pricing pages list, by hand.

Prices come from ``apps/costing/data/pricing-us-east-1.yaml``; each example recomputes the charges from
that file, so it keeps holding when the snapshot is refreshed, and pins today's figures once.
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.costing import estimate
from apps.costing.pricing import default_snapshot
from apps.designs.catalog import get_catalog
from apps.designs.document import DesignInvalid
from tests.costing.designs import design, usd

HOURS = 730


def price(meter_id: str) -> float:
    meter = default_snapshot().meters[meter_id]
    assert len(meter.tiers) == 1, f"{meter_id} has volume tiers; these examples assume a flat rate"
    return meter.tiers[0].price


def cents(value: float) -> float:
    return round(value + 1e-9, 2)


def aurora(**props: Any) -> dict[str, Any]:
    usage = props.pop("usage", {})
    return {"id": "db", "type": "aurora_cluster", "props": props, "usage": usage}


def test_a_serverless_v2_cluster_with_a_reader_matches_a_hand_computation() -> None:
    """2 ACU on average on a writer and one reader for 730 hours, 100 GB, 50 million I/O requests.

    By hand: 2 × 2 × 730 = 2,920 ACU-hours × $0.12 = $350.40; 100 GB-month × $0.10 = $10.00;
    50 × 1M I/O × $0.20 = $10.00; total $370.40.
    """
    doc = design([aurora(readers=1, max_capacity_acu=16,
                         usage={"average_acu": 2, "storage_gb": 100, "io_requests_per_month": 50_000_000})])  # fmt: skip
    result = estimate(doc)
    acu = cents(2 * 2 * HOURS * price("aurora.serverless_v2.capacity"))
    storage = cents(100 * price("aurora.storage"))
    io = cents(50 * price("aurora.io_requests"))
    assert usd(result, "db", "aurora.serverless_v2.capacity") == acu
    assert usd(result, "db", "aurora.storage") == storage
    assert usd(result, "db", "aurora.io_requests") == io
    assert (acu, storage, io, result["total_monthly_usd"]) == (350.40, 10.00, 10.00, 370.40)


def test_an_io_optimized_cluster_has_no_io_charge_and_its_own_rates() -> None:
    doc = design([aurora(storage_configuration="io_optimized",
                         usage={"average_acu": 1, "storage_gb": 10, "io_requests_per_month": 1e9})])  # fmt: skip
    result = estimate(doc)
    meters = {line["meter"] for line in result["components"][0]["lines"]}
    assert meters == {"aurora.iopt.serverless_v2.capacity", "aurora.iopt.storage"}
    assert usd(result, "db", "aurora.iopt.serverless_v2.capacity") == cents(
        HOURS * price("aurora.iopt.serverless_v2.capacity")
    )
    assert usd(result, "db", "aurora.iopt.storage") == cents(10 * price("aurora.iopt.storage"))


def test_a_provisioned_cluster_bills_instance_hours_per_instance() -> None:
    """db.r6g.large, a writer and two readers: 3 × 730 × $0.26 = $569.40."""
    doc = design([aurora(capacity_mode="provisioned", instance_class="db.r6g.large", readers=2)])
    result = estimate(doc)
    assert usd(result, "db", "aurora.standard.db.r6g.large") == cents(3 * HOURS * price("aurora.standard.db.r6g.large"))
    assert usd(result, "db", "aurora.standard.db.r6g.large") == 569.40


@pytest.mark.parametrize("configuration", ["standard", "iopt"])
def test_every_aurora_instance_class_has_a_price_in_both_configurations(configuration: str) -> None:
    classes = get_catalog().types["aurora_cluster"].props.fields["instance_class"].enum
    assert classes
    missing = [c for c in classes if default_snapshot().meter(f"aurora.{configuration}.{c}") is None]
    assert missing == []


def test_a_capacity_range_aws_refuses_is_refused_with_a_pointer() -> None:
    with pytest.raises(DesignInvalid) as caught:
        design([aurora(min_capacity_acu=8, max_capacity_acu=4)])
    assert [p.pointer for p in caught.value.problems] == ["/components/0/props/min_capacity_acu"]
