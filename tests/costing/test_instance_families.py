"""Current RDS and ElastiCache instance families are priced, and Aurora Serverless v2 bills ACU-hours.

Prices come from ``apps/costing/data/pricing-us-east-1.yaml``; the worked examples below recompute each
charge by hand from that file, so they keep holding when the snapshot is refreshed.
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.pointers import Invalid
from apps.costing import estimate
from apps.costing.pricing import default_snapshot
from apps.designs.catalog import get_catalog
from apps.designs.document import AURORA_ENGINES, DesignInvalid
from tests.costing.designs import design, usd

RDS_ENGINES = ("postgres", "mysql", "mariadb")
BURSTABLE_SIZES = ("micro", "small", "medium", "large", "xlarge", "2xlarge")
LARGE_SIZES = ("large", "xlarge", "2xlarge", "4xlarge")
AURORA_METERS = ("aurora.serverless_v2.capacity", "aurora.storage", "aurora.io_requests")


def enum(type_name: str, prop: str) -> tuple[Any, ...]:
    values = get_catalog().types[type_name].props.fields[prop].enum
    assert values is not None
    return values


def price(meter_id: str) -> float:
    meter = default_snapshot().meters[meter_id]
    assert len(meter.tiers) == 1, f"{meter_id} has volume tiers; these examples assume a flat rate"
    return meter.tiers[0].price


def cents(value: float) -> float:
    return round(value + 1e-9, 2)


def aurora(**props: Any) -> dict[str, Any]:
    usage = props.pop("usage", {})
    return {"id": "db", "type": "rds_instance", "props": {"engine": "aurora-postgresql", **props}, "usage": usage}


def problems_of(caught: pytest.ExceptionInfo[Invalid]) -> list[tuple[str, str]]:
    return [(problem.pointer, problem.message) for problem in caught.value.problems]


def test_the_catalog_offers_the_current_rds_families_at_the_common_sizes() -> None:
    classes = set(enum("rds_instance", "instance_class"))
    for family in ("t3", "t4g"):
        assert {f"db.{family}.{size}" for size in BURSTABLE_SIZES} <= classes
    for family in ("m5", "m6g", "m6i", "m7g", "r5", "r6g", "r6i", "r7g"):
        assert {f"db.{family}.{size}" for size in LARGE_SIZES} <= classes


def test_the_catalog_offers_the_current_elasticache_families_at_the_common_sizes() -> None:
    node_types = set(enum("elasticache_cluster", "node_type"))
    for family in ("t3", "t4g"):
        assert {f"cache.{family}.{size}" for size in ("micro", "small", "medium")} <= node_types
    for family in ("m5", "m6g", "m7g", "r5", "r6g", "r7g"):
        assert {f"cache.{family}.{size}" for size in LARGE_SIZES} <= node_types


def test_every_rds_class_has_a_single_and_multi_az_price_for_every_instance_engine() -> None:
    meters = default_snapshot().meters
    engines = [engine for engine in enum("rds_instance", "engine") if engine not in AURORA_ENGINES]
    assert sorted(engines) == sorted(RDS_ENGINES)
    missing = [
        f"rds.{engine}.{instance_class}.{az}"
        for engine in engines
        for instance_class in enum("rds_instance", "instance_class")
        for az in ("single_az", "multi_az")
        if f"rds.{engine}.{instance_class}.{az}" not in meters
    ]
    assert missing == []


def test_every_rds_class_has_a_vcpu_count_for_rds_proxy() -> None:
    vcpus = default_snapshot().rds_vcpus
    assert [name for name in enum("rds_instance", "instance_class") if name not in vcpus] == []


def test_multi_az_costs_twice_single_az_for_the_new_classes() -> None:
    for engine in RDS_ENGINES:
        for instance_class in ("db.t3.micro", "db.m6i.4xlarge", "db.r6g.2xlarge", "db.r7g.4xlarge"):
            single = price(f"rds.{engine}.{instance_class}.single_az")
            assert price(f"rds.{engine}.{instance_class}.multi_az") == pytest.approx(2 * single)


def test_every_node_type_has_a_price_for_every_cache_engine_and_valkey_is_cheaper() -> None:
    meters = default_snapshot().meters
    missing = [
        f"elasticache.{engine}.{node_type}"
        for engine in enum("elasticache_cluster", "engine")
        for node_type in enum("elasticache_cluster", "node_type")
        if f"elasticache.{engine}.{node_type}" not in meters
    ]
    assert missing == []
    for node_type in enum("elasticache_cluster", "node_type"):
        redis = price(f"elasticache.redis.{node_type}")
        assert price(f"elasticache.valkey.{node_type}") == pytest.approx(0.8 * redis), node_type


def test_every_aurora_engine_has_its_serverless_v2_meters() -> None:
    meters = default_snapshot().meters
    assert set(AURORA_ENGINES) <= set(enum("rds_instance", "engine"))
    assert [meter for meter in AURORA_METERS if meter not in meters] == []


def test_unverified_instance_prices_say_what_backs_them() -> None:
    meters = default_snapshot().meters
    for meter_id in ("rds.postgres.db.r6i.large.single_az", "elasticache.valkey.cache.r6g.xlarge", *AURORA_METERS):
        assert meters[meter_id].verified is False
        assert meters[meter_id].evidence, meter_id


def test_a_new_rds_class_is_estimated_at_its_multi_az_price() -> None:
    doc = design([{"id": "db", "type": "rds_instance",
                   "props": {"engine": "mysql", "instance_class": "db.r6i.xlarge", "multi_az": True}}])  # fmt: skip
    result = estimate(doc)
    assert usd(result, "db", "rds.mysql.db.r6i.xlarge.multi_az") == cents(
        730 * price("rds.mysql.db.r6i.xlarge.multi_az")
    )


def test_a_valkey_cluster_of_new_nodes_is_billed_per_node_hour() -> None:
    doc = design([{"id": "cache", "type": "elasticache_cluster",
                   "props": {"engine": "valkey", "node_type": "cache.r7g.2xlarge", "nodes": 3}}])  # fmt: skip
    result = estimate(doc)
    expected = cents(3 * 730 * price("elasticache.valkey.cache.r7g.2xlarge"))
    assert usd(result, "cache", "elasticache.valkey.cache.r7g.2xlarge") == expected


def test_aurora_serverless_v2_worked_example_matches_a_hand_computation() -> None:
    """2 ACU on average for 730 hours, 100 GB stored, 50 million I/O requests, Aurora Standard.

    By hand from the price file: 1,460 ACU-hours × $0.12 = $175.20, 100 GB-month × $0.10 = $10.00,
    50 × 1M I/O × $0.20 = $10.00; total $195.20. (No stored AWS pricing page gave a Serverless v2 example.)
    """
    doc = design([aurora(min_capacity_acu=0.5, max_capacity_acu=16, storage_gb=100,
                         usage={"average_acu": 2, "io_requests_per_month": 50_000_000})])  # fmt: skip
    result = estimate(doc)
    acu = cents(2 * 730 * price("aurora.serverless_v2.capacity"))
    storage = cents(100 * price("aurora.storage"))
    io = cents(50 * price("aurora.io_requests"))
    assert usd(result, "db", "aurora.serverless_v2.capacity") == acu
    assert usd(result, "db", "aurora.storage") == storage
    assert usd(result, "db", "aurora.io_requests") == io
    assert result["total_monthly_usd"] == cents(acu + storage + io)
    assert (acu, storage, io, result["total_monthly_usd"]) == (175.20, 10.00, 10.00, 195.20)


def test_aurora_bills_the_minimum_capacity_when_no_average_is_given() -> None:
    result = estimate(design([aurora(min_capacity_acu=1.5, max_capacity_acu=8)]))
    assert usd(result, "db", "aurora.serverless_v2.capacity") == cents(
        1.5 * 730 * price("aurora.serverless_v2.capacity")
    )
    assert any("average capacity = min_capacity_acu" in note for note in result["assumptions"])
    assert not any(line["meter"].startswith("rds.") for line in result["components"][0]["lines"])


def test_aurora_multi_az_doubles_the_acu_hours_but_not_the_storage() -> None:
    single = estimate(design([aurora(storage_gb=50, usage={"average_acu": 4})]))
    multi = estimate(design([aurora(storage_gb=50, multi_az=True, usage={"average_acu": 4})]))
    meter = "aurora.serverless_v2.capacity"
    assert usd(multi, "db", meter) == cents(2 * usd(single, "db", meter))
    assert usd(multi, "db", "aurora.storage") == usd(single, "db", "aurora.storage")


def test_aurora_with_rds_proxy_pays_for_at_least_8_acus() -> None:
    result = estimate(design([aurora(rds_proxy=True, usage={"average_acu": 2})]))
    assert usd(result, "db", "rds.proxy.serverless_v2") == cents(8 * 730 * price("rds.proxy.serverless_v2"))


def test_aurora_may_scale_to_zero_and_an_average_outside_the_range_is_clamped() -> None:
    result = estimate(design([aurora(min_capacity_acu=0, max_capacity_acu=2, usage={"average_acu": 3})]))
    assert usd(result, "db", "aurora.serverless_v2.capacity") == cents(2 * 730 * price("aurora.serverless_v2.capacity"))
    assert any("may pause" in note for note in result["assumptions"])


def test_an_aurora_minimum_above_the_maximum_is_refused_naming_the_minimum() -> None:
    with pytest.raises(DesignInvalid) as caught:
        design([aurora(min_capacity_acu=8, max_capacity_acu=4)])
    assert problems_of(caught) == [
        ("/components/0/props/min_capacity_acu", "the minimum capacity (8 ACU) is above the maximum capacity (4 ACU)")
    ]


def test_an_aurora_minimum_above_the_default_maximum_is_refused() -> None:
    with pytest.raises(DesignInvalid) as caught:
        design([aurora(min_capacity_acu=16)])
    assert [pointer for pointer, _ in problems_of(caught)] == ["/components/0/props/min_capacity_acu"]


def test_aurora_capacities_off_the_half_acu_grid_are_refused() -> None:
    with pytest.raises(DesignInvalid) as caught:
        design([aurora(min_capacity_acu=0.25, max_capacity_acu=3.3)])
    assert [pointer for pointer, _ in problems_of(caught)] == [
        "/components/0/props/min_capacity_acu",
        "/components/0/props/max_capacity_acu",
    ]


@pytest.mark.parametrize(("field", "value"), [("min_capacity_acu", 256.5), ("max_capacity_acu", 0.5)])
def test_aurora_capacities_outside_the_aws_range_are_refused(field: str, value: float) -> None:
    with pytest.raises(DesignInvalid) as caught:
        design([aurora(**{field: value})])
    assert f"/components/0/props/{field}" in [pointer for pointer, _ in problems_of(caught)]


def test_an_rds_instance_ignores_the_aurora_capacity_range() -> None:
    doc = design([{"id": "db", "type": "rds_instance", "props": {"min_capacity_acu": 8, "max_capacity_acu": 4}}])
    result = estimate(doc)
    assert usd(result, "db", "rds.postgres.db.t4g.micro.single_az") == cents(
        730 * price("rds.postgres.db.t4g.micro.single_az")
    )


def test_the_cost_model_refuses_a_bad_range_that_slipped_past_validation() -> None:
    doc = design([aurora()])
    doc.components[0].props.update(min_capacity_acu=6, max_capacity_acu=2)
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert [pointer for pointer, _ in problems_of(caught)] == ["/components/0/props/min_capacity_acu"]
