"""Private networking: data stores in VPCs, who can reach them, and how VPC functions reach AWS services."""

from __future__ import annotations

import pytest

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, fn, link, only, vpc


@pytest.mark.parametrize("store_type", ["rds_instance", "elasticache_cluster"])
def test_a_database_or_cache_outside_a_vpc_is_an_error(store_type: str) -> None:
    doc = design([fn("app"), comp("store", store_type, "Store")], [link("app", "store", "read_write")])
    finding = only(doc, "data-store-outside-vpc")
    assert finding["severity"] == "error"
    assert finding["components"] == ["store"]
    assert "VPC group" in finding["fix"]


def test_a_database_inside_a_vpc_group_is_fine() -> None:
    doc = design([fn("app", group="vpc"), comp("db", "rds_instance", group="vpc")],
                 [link("app", "db", "read_write")], groups=[vpc()])  # fmt: skip
    assert findings(doc, "data-store-outside-vpc") == []


def test_a_function_outside_the_vpc_cannot_reach_the_database_in_it() -> None:
    doc = design([fn("app", "Business logic"), comp("db", "rds_instance", group="vpc")],
                 [link("app", "db", "read_write")], groups=[vpc()])  # fmt: skip
    finding = only(doc, "data-store-reached-from-outside-vpc")
    assert finding["severity"] == "error"
    assert finding["components"] == ["app", "db"]
    assert "outside any VPC" in finding["message"] and "“Business logic” (app)" in finding["message"]


def test_a_function_in_another_vpc_cannot_reach_it_either() -> None:
    doc = design([fn("app", group="other"), comp("cache", "elasticache_cluster", group="vpc")],
                 [link("app", "cache", "read")], groups=[vpc(), vpc("other")])  # fmt: skip
    assert "in another VPC" in only(doc, "data-store-reached-from-outside-vpc")["message"]


def test_a_search_domain_in_a_vpc_is_only_reachable_from_inside() -> None:
    doc = design([fn("app"), comp("search", "opensearch_domain", group="vpc")],
                 [link("app", "search", "read")], groups=[vpc()])  # fmt: skip
    assert findings(doc, "data-store-reached-from-outside-vpc")


def test_a_function_in_the_same_vpc_reaches_the_store() -> None:
    doc = design([fn("app", group="vpc"), comp("db", "rds_instance", group="vpc", rds_proxy=True)],
                 [link("app", "db", "read_write")], groups=[vpc()])  # fmt: skip
    assert findings(doc, "data-store-reached-from-outside-vpc") == []


def test_a_public_search_domain_is_reachable_without_a_vpc() -> None:
    doc = design([fn("app"), comp("search", "opensearch_domain")], [link("app", "search", "read")])
    assert findings(doc, "data-store-reached-from-outside-vpc") == []


def database(*, rds_proxy: bool) -> Design:
    return design([fn("app", group="vpc"), fn("report", group="vpc"),
                   comp("db", "rds_instance", "Orders DB", group="vpc", rds_proxy=rds_proxy)],
                  [link("app", "db", "read_write"), link("report", "db", "read")], groups=[vpc()])  # fmt: skip


def test_functions_connecting_to_rds_without_a_proxy_is_a_warning() -> None:
    finding = only(database(rds_proxy=False), "rds-without-proxy")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["app", "report", "db"]


def test_functions_connecting_through_rds_proxy_are_fine() -> None:
    assert findings(database(rds_proxy=True), "rds-without-proxy") == []


def vpc_function(*targets: str, nat_gateways: int = 0) -> Design:
    components = [fn("worker", group="vpc")] + [comp(t, t) for t in targets]
    return design(components, [link("worker", t, "write") for t in targets], groups=[vpc(nat_gateways=nat_gateways)])


def test_a_vpc_function_calling_sqs_without_nat_needs_interface_endpoints() -> None:
    finding = only(vpc_function("sqs_queue", "dynamodb_table"), "vpc-function-needs-endpoints")
    assert finding["severity"] == "info"
    assert finding["components"] == ["worker"]
    assert "SQS" in finding["message"] and "DynamoDB" not in finding["message"]


def test_a_vpc_with_a_nat_gateway_needs_no_endpoints() -> None:
    assert findings(vpc_function("sqs_queue", nat_gateways=1), "vpc-function-needs-endpoints") == []


def test_gateway_endpoints_for_dynamodb_and_s3_are_not_reported() -> None:
    assert findings(vpc_function("dynamodb_table", "s3_bucket"), "vpc-function-needs-endpoints") == []


def test_a_vpc_with_one_availability_zone_is_a_warning() -> None:
    doc = design([fn("app", group="vpc")], groups=[vpc(az_count=1)])
    finding = only(doc, "vpc-single-az")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["app"]


def test_a_vpc_with_two_availability_zones_is_fine() -> None:
    assert findings(design([fn("app", group="vpc")], groups=[vpc(az_count=2)]), "vpc-single-az") == []


def test_rds_in_a_single_zone_vpc_is_an_error() -> None:
    doc = design([comp("db", "rds_instance", group="vpc")], groups=[vpc(az_count=1)])
    finding = only(doc, "rds-single-az-vpc")
    assert finding["severity"] == "error"
    assert finding["components"] == ["db"]


def test_rds_in_a_two_zone_vpc_is_fine() -> None:
    assert findings(design([comp("db", "rds_instance", group="vpc")], groups=[vpc()]), "rds-single-az-vpc") == []
