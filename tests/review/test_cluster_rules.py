"""Clusters in a VPC: Aurora's failover targets, and the VPC rules that now cover clusters."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, fn, link, only, vpc


def in_vpc(*components: dict[str, Any], connections: list[dict[str, Any]] | None = None, az_count: int = 2) -> Design:
    return design(list(components), connections or [], groups=[vpc("net", az_count=az_count)])


@pytest.mark.parametrize("cluster_type", ["aurora_cluster", "documentdb_cluster"])
def test_a_cluster_without_a_reader_is_a_warning(cluster_type: str) -> None:
    doc = in_vpc(comp("db", cluster_type, "Orders DB", group="net"))
    finding = only(doc, "cluster-without-reader")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["db"]
    assert "Orders DB" in finding["message"] and "readers" in finding["fix"]


def test_an_aurora_cluster_with_a_reader_can_fail_over() -> None:
    doc = in_vpc(comp("db", "aurora_cluster", group="net", readers=1))
    assert findings(doc, "cluster-without-reader") == []


def test_a_function_outside_the_vpc_cannot_reach_an_aurora_cluster() -> None:
    doc = in_vpc(fn("outside"), comp("db", "aurora_cluster", group="net", readers=1),
                 connections=[link("outside", "db", "read")])  # fmt: skip
    assert only(doc, "data-store-reached-from-outside-vpc")["components"] == ["outside", "db"]


def test_a_function_in_the_clusters_vpc_reaches_it() -> None:
    doc = in_vpc(fn("inside", group="net"), comp("db", "aurora_cluster", group="net", readers=1),
                 connections=[link("inside", "db", "read_write")])  # fmt: skip
    assert findings(doc, "data-store-reached-from-outside-vpc") == []


def test_an_aurora_cluster_in_a_single_zone_vpc_is_an_error() -> None:
    doc = in_vpc(comp("db", "aurora_cluster", group="net", readers=1), az_count=1)
    assert only(doc, "rds-single-az-vpc")["components"] == ["db"]
    assert findings(doc, "vpc-single-az") == []


@pytest.mark.parametrize("engine", ["activemq", "rabbitmq"])
def test_a_single_instance_broker_is_a_warning(engine: str) -> None:
    doc = in_vpc(comp("mq", "mq_broker", "Orders broker", group="net", engine=engine,
                      deployment_mode="single_instance"))  # fmt: skip
    finding = only(doc, "mq-single-instance")
    assert finding["severity"] == "warning" and finding["components"] == ["mq"]
    assert ("active/standby" if engine == "activemq" else "three-node cluster") in finding["fix"]


def test_a_multi_az_broker_has_failover() -> None:
    assert findings(in_vpc(comp("mq", "mq_broker", group="net")), "mq-single-instance") == []


def polled_broker(nat_gateways: int) -> Design:
    return design(
        [comp("mq", "mq_broker", group="net"), fn("consumer")],
        [link("mq", "consumer", "poll", queue_name="orders")],
        groups=[vpc("net", az_count=2, nat_gateways=nat_gateways)],
    )


def test_a_broker_polled_from_a_vpc_without_nat_is_a_warning() -> None:
    finding = only(polled_broker(0), "poll-without-network")
    assert finding["components"] == ["mq", "consumer"]
    assert "Lambda, STS and Secrets Manager" in finding["message"]


def test_a_broker_polled_from_a_vpc_with_nat_is_reachable() -> None:
    assert findings(polled_broker(1), "poll-without-network") == []


def test_reading_a_documentdb_change_stream_says_change_streams_must_be_enabled() -> None:
    doc = in_vpc(comp("docs", "documentdb_cluster", group="net", readers=1), fn("consumer"),
                 connections=[link("docs", "consumer", "poll", database_name="shop")])  # fmt: skip
    finding = only(doc, "documentdb-change-streams")
    assert finding["severity"] == "info" and finding["components"] == ["docs", "consumer"]
    assert "modifyChangeStreams" in finding["fix"]


def test_a_documentdb_cluster_nobody_polls_needs_no_change_streams() -> None:
    doc = in_vpc(comp("docs", "documentdb_cluster", group="net", readers=1), fn("reader", group="net"),
                 connections=[link("reader", "docs", "read")])  # fmt: skip
    assert findings(doc, "documentdb-change-streams") == []
    assert findings(doc, "poll-without-network") == []


def test_a_provisioned_msk_cluster_in_two_zones_is_noted() -> None:
    doc = in_vpc(comp("kafka", "msk_cluster", "Events", group="net"))
    finding = only(doc, "msk-fewer-than-three-zones")
    assert finding["severity"] == "info" and "three zones" in finding["message"]


def test_an_msk_cluster_over_three_zones_or_serverless_is_fine() -> None:
    three = design([comp("kafka", "msk_cluster", group="net", brokers=3)], groups=[vpc("net", az_count=3)])
    assert findings(three, "msk-fewer-than-three-zones") == []
    serverless = in_vpc(comp("kafka", "msk_cluster", group="net", mode="serverless"))
    assert findings(serverless, "msk-fewer-than-three-zones") == []


def test_a_function_outside_the_vpc_cannot_produce_to_msk() -> None:
    doc = in_vpc(fn("producer"), comp("kafka", "msk_cluster", group="net"),
                 connections=[link("producer", "kafka", "write")])  # fmt: skip
    assert only(doc, "data-store-reached-from-outside-vpc")["components"] == ["producer", "kafka"]


def test_an_msk_topic_polled_from_a_vpc_without_nat_is_a_warning() -> None:
    doc = design(
        [comp("kafka", "msk_cluster", group="net"), fn("consumer")],
        [link("kafka", "consumer", "poll", topic="orders")],
        groups=[vpc("net", az_count=2)],
    )
    assert "Lambda and STS" in only(doc, "poll-without-network")["message"]


def test_a_function_outside_the_vpc_of_an_efs_file_system_cannot_mount_it() -> None:
    doc = in_vpc(fn("outside"), comp("files", "efs_file_system", "Shared files", group="net"),
                 connections=[link("outside", "files", "read_write")])  # fmt: skip
    finding = only(doc, "data-store-reached-from-outside-vpc")
    assert finding["severity"] == "error" and finding["components"] == ["outside", "files"]


def test_a_function_in_the_vpc_of_an_efs_file_system_mounts_it() -> None:
    doc = in_vpc(fn("inside", group="net"), comp("files", "efs_file_system", group="net"),
                 connections=[link("inside", "files", "read")])  # fmt: skip
    assert findings(doc, "data-store-reached-from-outside-vpc") == []


def test_a_collection_without_redundancy_is_a_warning() -> None:
    doc = design([comp("search", "opensearch_serverless_collection", "Catalog search", redundancy=False)])
    finding = only(doc, "opensearch-serverless-without-redundancy")
    assert finding["severity"] == "warning" and finding["components"] == ["search"]


def test_a_collection_with_standby_replicas_is_fine() -> None:
    doc = design([comp("search", "opensearch_serverless_collection")])
    assert findings(doc, "opensearch-serverless-without-redundancy") == []
