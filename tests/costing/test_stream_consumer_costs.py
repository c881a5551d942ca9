"""Kinesis enhanced fan-out, checked by hand against the listed prices.

Prices (apps/costing/data/pricing-us-east-1.yaml, from https://aws.amazon.com/kinesis/data-streams/pricing/,
not verified against a stored copy): provisioned mode $0.015 per consumer-shard hour and $0.013 per GB
retrieved; on-demand mode $0.05 per GB retrieved through enhanced fan-out ($0.04 per GB for shared reads).
"""

from __future__ import annotations

from typing import Any

from apps.costing import estimate
from tests.costing.designs import component, design, lambda_fn, line, link, usd

GB = 1024 * 1024  # KB


def stream(**props: Any) -> dict[str, Any]:
    return {"id": "clicks", "type": "kinesis_stream", "props": props, "usage": {"records_per_month": 10 * GB}}


def test_a_provisioned_consumer_pays_per_shard_hour_and_per_gb_it_reads() -> None:
    # 4 shards × 730 h × $0.015 = $43.80; 10 GB of 1 KB records × $0.013 = $0.13.
    doc = design([stream(shards=4), lambda_fn("reader")], [link("clicks", "reader", "poll", enhanced_fan_out=True)])
    result = estimate(doc)
    assert line(result, "clicks", "kinesis.efo.consumer_shard_hours")["quantity"] == 4 * 730
    assert usd(result, "clicks", "kinesis.efo.consumer_shard_hours") == 43.80
    assert usd(result, "clicks", "kinesis.efo.data_retrievals") == 0.13
    assert component(result, "clicks")["quantities"]["enhanced_fan_out_consumers"] == 1


def test_a_shared_throughput_poll_adds_no_fan_out_charge() -> None:
    doc = design([stream(shards=4), lambda_fn("reader")], [link("clicks", "reader", "poll")])
    charged = {entry["meter"] for entry in component(estimate(doc), "clicks")["lines"]}
    assert not any(meter.startswith("kinesis.efo") for meter in charged)


def test_on_demand_fan_out_reads_are_billed_as_such_not_also_as_shared_reads() -> None:
    # 10 GB ingested; the fan-out consumer reads it at $0.05/GB = $0.50, the plain one at $0.04/GB = $0.40.
    doc = design(
        [stream(mode="on_demand"), lambda_fn("fast"), lambda_fn("slow")],
        [link("clicks", "fast", "poll", enhanced_fan_out=True), link("clicks", "slow", "poll")],
    )
    result = estimate(doc)
    assert usd(result, "clicks", "kinesis.on_demand.efo.data_retrievals") == 0.50
    assert usd(result, "clicks", "kinesis.on_demand.data_out") == 0.40
