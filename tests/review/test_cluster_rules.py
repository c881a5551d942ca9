"""Clusters in a VPC: Aurora's failover targets, and the VPC rules that now cover clusters."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, fn, link, only, vpc


def in_vpc(*components: dict[str, Any], connections: list[dict[str, Any]] | None = None, az_count: int = 2) -> Design:
    return design(list(components), connections or [], groups=[vpc("net", az_count=az_count)])


def test_an_aurora_cluster_without_a_reader_is_a_warning() -> None:
    doc = in_vpc(comp("db", "aurora_cluster", "Orders DB", group="net"))
    finding = only(doc, "aurora-without-reader")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["db"]
    assert "Orders DB" in finding["message"] and "readers" in finding["fix"]


def test_an_aurora_cluster_with_a_reader_can_fail_over() -> None:
    doc = in_vpc(comp("db", "aurora_cluster", group="net", readers=1))
    assert findings(doc, "aurora-without-reader") == []


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
