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


def broker(**props: Any) -> dict[str, Any]:
    usage = props.pop("usage", {})
    return {"id": "mq", "type": "mq_broker", "props": props, "usage": usage}


def test_an_active_standby_activemq_broker_bills_two_instances_and_efs_storage() -> None:
    """mq.m5.large, active/standby, 10 GB stored: 2 × 730 × $0.288 = $420.48 and 10 × $0.30 = $3.00."""
    result = estimate(design([broker(usage={"storage_gb": 10})]))
    compute = cents(2 * HOURS * price("mq.activemq.mq.m5.large"))
    storage = cents(10 * price("mq.activemq.storage.efs"))
    assert usd(result, "mq", "mq.activemq.mq.m5.large") == compute
    assert usd(result, "mq", "mq.activemq.storage.efs") == storage
    assert (compute, storage, result["total_monthly_usd"]) == (420.48, 3.00, 423.48)


def test_a_rabbitmq_cluster_bills_three_instances_and_a_single_instance_one() -> None:
    cluster = estimate(design([broker(engine="rabbitmq", usage={"storage_gb": 0})]))
    single = estimate(design([broker(engine="rabbitmq", deployment_mode="single_instance", usage={"storage_gb": 0})]))
    meter = "mq.rabbitmq.mq.m5.large"
    assert usd(cluster, "mq", meter) == cents(3 * HOURS * price(meter))
    assert usd(single, "mq", meter) == cents(HOURS * price(meter))


@pytest.mark.parametrize("engine", ["activemq", "rabbitmq"])
def test_every_broker_instance_type_has_a_price(engine: str) -> None:
    types = get_catalog().types["mq_broker"].props.fields["instance_type"].enum
    assert types
    assert [t for t in types if default_snapshot().meter(f"mq.{engine}.{t}") is None] == []


def test_a_documentdb_cluster_bills_each_instance_storage_and_io() -> None:
    """db.r6g.large primary and one replica, 50 GB, 20 million I/O requests:
    2 × 730 × $0.26 = $379.60; 50 × $0.10 = $5.00; 20 × $0.20 = $4.00; total $388.60."""
    doc = design([{"id": "docs", "type": "documentdb_cluster", "props": {"instance_class": "db.r6g.large", "readers": 1},
                   "usage": {"storage_gb": 50, "io_requests_per_month": 20_000_000}}])  # fmt: skip
    result = estimate(doc)
    compute = cents(2 * HOURS * price("docdb.db.r6g.large"))
    assert usd(result, "docs", "docdb.db.r6g.large") == compute
    assert usd(result, "docs", "docdb.storage") == cents(50 * price("docdb.storage"))
    assert usd(result, "docs", "docdb.io_requests") == cents(20 * price("docdb.io_requests"))
    assert (compute, result["total_monthly_usd"]) == (379.60, 388.60)


def test_every_documentdb_instance_class_has_a_price() -> None:
    classes = get_catalog().types["documentdb_cluster"].props.fields["instance_class"].enum
    assert classes
    assert [c for c in classes if default_snapshot().meter(f"docdb.{c}") is None] == []


def test_a_provisioned_msk_cluster_bills_broker_hours_and_each_brokers_storage() -> None:
    """Three kafka.m7g.large brokers with 100 GB each: 3 × 730 × $0.204 = $446.76; 300 × $0.10 = $30.00."""
    doc = design([{"id": "kafka", "type": "msk_cluster", "props": {"brokers": 3}}])
    result = estimate(doc)
    assert usd(result, "kafka", "msk.kafka.m7g.large") == cents(3 * HOURS * price("msk.kafka.m7g.large")) == 446.76
    assert usd(result, "kafka", "msk.storage") == cents(300 * price("msk.storage")) == 30.00


def test_msk_serverless_bills_the_cluster_partitions_and_the_records_flowing_through() -> None:
    """10 million 1 KB records a month read by one function: 730 cluster-hours × $0.75 = $547.50,
    10 partitions × 730 × $0.0015 = $10.95, 10 GB × $0.10 = $1.00 stored, and 9.54 GB in and out."""
    doc = design(
        [{"id": "kafka", "type": "msk_cluster", "props": {"mode": "serverless"},
          "usage": {"requests_per_month": 10_000_000}},
         {"id": "consumer", "type": "lambda_function"}],
        [{"source": "kafka", "target": "consumer", "kind": "poll", "props": {"topic": "orders"}}],
    )  # fmt: skip
    result = estimate(doc)
    gb = 10_000_000 / (1024 * 1024)
    assert usd(result, "kafka", "msk.serverless.cluster_hours") == 547.50
    assert usd(result, "kafka", "msk.serverless.partition_hours") == 10.95
    assert usd(result, "kafka", "msk.serverless.data_in") == cents(gb * price("msk.serverless.data_in"))
    assert usd(result, "kafka", "msk.serverless.data_out") == cents(gb * price("msk.serverless.data_out"))


def test_every_msk_broker_type_has_a_price() -> None:
    types = get_catalog().types["msk_cluster"].props.fields["broker_type"].enum
    assert types
    assert [t for t in types if default_snapshot().meter(f"msk.{t}") is None] == []


def test_efs_bills_standard_and_infrequent_access_storage() -> None:
    """100 GB Standard and 400 GB Infrequent Access: 100 × $0.30 = $30.00 and 400 × $0.016 = $6.40."""
    doc = design(
        [{"id": "files", "type": "efs_file_system", "usage": {"storage_gb": 100, "infrequent_access_gb": 400}}]
    )
    result = estimate(doc)
    assert usd(result, "files", "efs.standard.storage") == cents(100 * price("efs.standard.storage")) == 30.00
    assert usd(result, "files", "efs.ia.storage") == cents(400 * price("efs.ia.storage")) == 6.40


def test_a_collection_bills_at_least_its_minimum_ocus_and_its_storage() -> None:
    """With redundancy, 1 OCU indexing and 1 OCU search: 2 × 730 × $0.24 = $350.40; 10 GB × $0.024 = $0.24.
    Without it, half: 0.5 OCU each, $87.60 apiece."""
    result = estimate(design([{"id": "search", "type": "opensearch_serverless_collection"}]))
    assert usd(result, "search", "aoss.indexing_ocu") == cents(HOURS * price("aoss.indexing_ocu")) == 175.20
    assert usd(result, "search", "aoss.search_ocu") == 175.20
    assert usd(result, "search", "aoss.storage") == 0.24
    dev = estimate(
        design([{"id": "search", "type": "opensearch_serverless_collection", "props": {"redundancy": False}}])
    )
    assert usd(dev, "search", "aoss.indexing_ocu") == 87.60


def test_a_collection_busier_than_its_minimum_bills_what_it_uses() -> None:
    doc = design(
        [{"id": "search", "type": "opensearch_serverless_collection", "usage": {"indexing_ocu": 4, "search_ocu": 0.2}}]
    )
    result = estimate(doc)
    assert usd(result, "search", "aoss.indexing_ocu") == cents(4 * HOURS * price("aoss.indexing_ocu"))
    assert usd(result, "search", "aoss.search_ocu") == cents(HOURS * price("aoss.search_ocu"))  # raised to 1
