"""The pricing snapshot covers the catalog, cites its sources, and refreshes from AWS offer files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.costing import engine_version
from apps.costing.management.commands.refresh_pricing import Command
from apps.costing.offers import OfferError, dump_snapshot, leading_comments, refresh_snapshot
from apps.costing.pricing import (
    DEFAULT_SNAPSHOT,
    SnapshotError,
    default_snapshot,
    parse_snapshot,
    read_snapshot_data,
)
from apps.designs.catalog import get_catalog

OFFER = Path(__file__).parent / "data" / "offer-AWSLambda-sample.json"


def enum(type_name: str, prop: str) -> tuple:
    values = get_catalog().types[type_name].props.fields[prop].enum
    assert values is not None
    return values


def test_every_instance_class_node_type_and_cache_size_in_the_catalog_has_a_price() -> None:
    meters = default_snapshot().meters
    for engine in (e for e in enum("rds_instance", "engine") if not e.startswith("aurora-")):  # Aurora bills ACUs
        for instance_class in enum("rds_instance", "instance_class"):
            for az in ("single_az", "multi_az"):
                assert f"rds.{engine}.{instance_class}.{az}" in meters
    for engine in enum("elasticache_cluster", "engine"):
        for node_type in enum("elasticache_cluster", "node_type"):
            assert f"elasticache.{engine}.{node_type}" in meters
    for instance_type in enum("opensearch_domain", "instance_type"):
        assert f"opensearch.{instance_type}" in meters
    for size in enum("api_gateway_rest", "cache_size_gb"):
        if size:
            key = str(int(size)) if float(size).is_integer() else repr(float(size))
            assert f"apigw.rest.cache.{key}" in meters


def test_every_price_names_its_public_aws_source_and_whether_it_was_verified() -> None:
    snapshot = default_snapshot()
    assert (snapshot.region, snapshot.currency, snapshot.hours_per_month) == ("us-east-1", "USD", 730)
    for meter in snapshot.meters.values():
        assert meter.source.startswith("https://aws.amazon.com/"), meter.id
        assert isinstance(meter.verified, bool)
        assert meter.tiers[-1].up_to is None
        assert all(tier.price >= 0 for tier in meter.tiers)


def test_dynamodb_on_demand_prices_are_the_post_november_2024_ones() -> None:
    meters = default_snapshot().meters
    assert meters["dynamodb.write_request_units"].tiers[0].price == 0.625
    assert meters["dynamodb.read_request_units"].tiers[0].price == 0.125


def test_the_engine_version_changes_with_the_snapshot_date() -> None:
    assert engine_version().endswith(f"pricing-us-east-1-{default_snapshot().date}")


def test_an_inconsistent_snapshot_is_refused() -> None:
    data = read_snapshot_data(DEFAULT_SNAPSHOT)
    broken = copy.deepcopy(data)
    broken["meters"]["lambda.requests"]["tiers"] = [[100, 0.2]]
    with pytest.raises(SnapshotError, match="open-ended"):
        parse_snapshot(broken)
    broken = copy.deepcopy(data)
    broken["meters"]["lambda.duration.arm64"]["free_tier"]["amount"] = 1
    with pytest.raises(SnapshotError, match="pool"):
        parse_snapshot(broken)


def test_an_offer_file_refreshes_the_meters_that_map_to_it() -> None:
    data = read_snapshot_data(DEFAULT_SNAPSHOT)
    refreshed, report = refresh_snapshot(data, json.loads(OFFER.read_text()))
    meters = refreshed["meters"]
    assert meters["lambda.requests"]["tiers"] == [[None, 0.21]]
    assert meters["lambda.duration.x86_64"]["tiers"] == [
        [6000000000.0, 0.000017],
        [15000000000.0, 0.000015],
        [None, 0.000013],
    ]
    assert meters["lambda.requests"]["verified"] is True
    assert "SKUREQ1" in meters["lambda.requests"]["evidence"]
    assert refreshed["date"] == "2026-11-01"
    assert meters["apigw.rest.requests"] == data["meters"]["apigw.rest.requests"]  # other services untouched
    assert data["meters"]["lambda.requests"]["tiers"] == [[None, 0.2]]  # the input is not modified
    assert any(line.startswith("lambda.requests: SKU SKUREQ1") for line in report)
    snapshot = parse_snapshot(refreshed)
    assert snapshot.meters["lambda.requests"].tiers[0].price == 0.21


def test_a_zero_priced_first_band_is_left_to_the_free_tier() -> None:
    refreshed, report = refresh_snapshot(read_snapshot_data(DEFAULT_SNAPSHOT), json.loads(OFFER.read_text()))
    assert refreshed["meters"]["lambda.duration.arm64"]["tiers"] == [[7500000000.0, 0.000013], [None, 0.000011]]
    assert any("dropped a free first band" in line for line in report)


def test_a_meter_without_exactly_one_matching_product_keeps_its_prices() -> None:
    offer = json.loads(OFFER.read_text())
    offer["products"]["SKUREQ2"] = copy.deepcopy(offer["products"]["SKUREQ1"])
    data = read_snapshot_data(DEFAULT_SNAPSHOT)
    refreshed, report = refresh_snapshot(data, offer)
    assert refreshed["meters"]["lambda.requests"] == data["meters"]["lambda.requests"]
    assert any("lambda.requests: kept, 2 products" in line for line in report)


def test_an_offer_for_a_service_the_snapshot_does_not_map_changes_nothing() -> None:
    offer = json.loads(OFFER.read_text())
    offer["offerCode"] = "AmazonNeptune"
    data = read_snapshot_data(DEFAULT_SNAPSHOT)
    refreshed, report = refresh_snapshot(data, offer)
    assert refreshed == data
    assert report == ["no meter of the snapshot maps to offer 'AmazonNeptune'"]


@pytest.mark.parametrize("offer", [{}, {"products": {}, "terms": {}}, {"products": [], "terms": {"OnDemand": {}}}])
def test_something_that_is_not_an_offer_file_is_refused(offer: dict) -> None:
    with pytest.raises(OfferError):
        refresh_snapshot(read_snapshot_data(DEFAULT_SNAPSHOT), offer)


def test_a_refreshed_snapshot_is_written_with_its_header_and_reads_back() -> None:
    text = DEFAULT_SNAPSHOT.read_text(encoding="utf-8")
    refreshed, _ = refresh_snapshot(read_snapshot_data(DEFAULT_SNAPSHOT), json.loads(OFFER.read_text()))
    written = dump_snapshot(refreshed, header=leading_comments(text))
    assert written.startswith("# Pricing snapshot")
    assert parse_snapshot(yaml.safe_load(written)).meters["lambda.requests"].tiers[0].price == 0.21


def test_the_refresh_pricing_command_rewrites_a_snapshot_file(tmp_path: Path) -> None:
    snapshot = tmp_path / "pricing.yaml"
    snapshot.write_text(DEFAULT_SNAPSHOT.read_text(encoding="utf-8"), encoding="utf-8")
    # A command object runs without the app in INSTALLED_APPS, which the lead wires separately.
    call_command(Command(), str(OFFER), "--snapshot", str(snapshot), "--dry-run")
    assert snapshot.read_text(encoding="utf-8") == DEFAULT_SNAPSHOT.read_text(encoding="utf-8")
    call_command(Command(), str(OFFER), "--snapshot", str(snapshot))
    assert parse_snapshot(read_snapshot_data(snapshot)).meters["lambda.requests"].tiers[0].price == 0.21


def test_the_refresh_pricing_command_reports_a_bad_offer_file(tmp_path: Path) -> None:
    bad = tmp_path / "offer.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command(Command(), str(bad), "--snapshot", str(DEFAULT_SNAPSHOT), "--dry-run")
