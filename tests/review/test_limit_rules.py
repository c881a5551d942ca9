"""AWS service quotas: integration and function timeouts, payload and item sizes, Lambda@Edge restrictions."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.document import Design
from tests.review.designs import api_with_function, comp, design, findings, fn, link, only


def test_a_function_that_may_outlive_the_rest_apis_29_seconds_is_a_warning() -> None:
    finding = only(api_with_function(function={"timeout_s": 60}), "function-timeout-above-api-timeout")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["api", "orders_fn"]
    assert "29 s" in finding["message"] and "60 s" in finding["message"]
    assert "up to 300 s" in finding["fix"]


def test_an_http_api_waits_30_seconds_at_most() -> None:
    doc = api_with_function(api_type="api_gateway_http", function={"timeout_s": 31})
    finding = only(doc, "function-timeout-above-api-timeout")
    assert "30 s" in finding["message"] and "300 s" not in finding["fix"]


def test_a_function_that_usually_outlives_the_api_says_most_calls_fail() -> None:
    doc = design(
        [comp("api", "api_gateway_rest", auth="iam"),
         fn("slow", timeout_s=60, usage={"avg_duration_ms": 40000})],
        [link("api", "slow", "invoke")],
    )  # fmt: skip
    assert "most calls fail" in only(doc, "function-timeout-above-api-timeout")["message"]


def test_a_function_timeout_within_the_integration_timeout_is_fine() -> None:
    assert findings(api_with_function(function={"timeout_s": 29}), "function-timeout-above-api-timeout") == []


def test_a_raised_integration_timeout_covers_a_longer_function() -> None:
    doc = api_with_function(api={"integration_timeout_ms": 120000}, function={"timeout_s": 120})
    assert findings(doc, "function-timeout-above-api-timeout") == []


def test_an_asynchronous_invocation_does_not_wait_for_the_function() -> None:
    doc = api_with_function(function={"timeout_s": 300}, invocation_type="async")
    assert findings(doc, "function-timeout-above-api-timeout") == []


def test_an_edge_optimized_api_cannot_raise_its_integration_timeout() -> None:
    doc = api_with_function(api={"endpoint_type": "edge", "integration_timeout_ms": 60000})
    finding = only(doc, "edge-api-integration-timeout")
    assert finding["severity"] == "error"
    assert finding["components"] == ["api"]


def test_a_regional_api_may_raise_its_integration_timeout() -> None:
    doc = api_with_function(api={"endpoint_type": "regional", "integration_timeout_ms": 60000})
    assert findings(doc, "edge-api-integration-timeout") == []


def test_a_function_timeout_beyond_fifteen_minutes_is_an_error() -> None:
    finding = only(design([fn("batch", "Nightly batch", timeout_s=901)]), "lambda-timeout-above-maximum")
    assert finding["severity"] == "error"
    assert finding["components"] == ["batch"]
    assert "901 s" in finding["message"] and "Step Functions" in finding["fix"]


def test_a_fifteen_minute_timeout_is_allowed() -> None:
    assert findings(design([fn("batch", timeout_s=900)]), "lambda-timeout-above-maximum") == []


def sized_api(*, message_kb: float | None = None, **workload: Any) -> Design:
    api: dict[str, Any] = comp("api", "api_gateway_http", "Upload API", auth="iam")
    if message_kb is not None:
        api["usage"] = {"avg_message_kb": message_kb}
    return design([comp("web", "browser"), api, fn("handler")],
                  [link("web", "api", "request"), link("api", "handler", "invoke")], **workload)  # fmt: skip


def test_api_messages_beyond_ten_megabytes_are_an_error() -> None:
    finding = only(sized_api(message_kb=20480), "api-payload-above-limit")
    assert finding["severity"] == "error"
    assert finding["components"] == ["api"]
    assert "20.0 MB" in finding["message"] and "presigned" in finding["fix"]


def test_workload_responses_beyond_ten_megabytes_are_an_error() -> None:
    finding = only(sized_api(avg_response_kb=12000), "api-payload-above-limit")
    assert "responses (workload avg_response_kb) average 11.7 MB" in finding["message"]


def test_payloads_within_the_api_limit_are_fine() -> None:
    assert findings(sized_api(message_kb=10240, avg_request_kb=9000), "api-payload-above-limit") == []


def test_a_synchronous_function_payload_beyond_six_megabytes_is_an_error() -> None:
    doc = design(
        [comp("api", "api_gateway_rest", auth="iam"), fn("handler", usage={"avg_payload_kb": 7000})],
        [link("api", "handler", "invoke")],
    )
    finding = only(doc, "lambda-sync-payload-above-limit")
    assert finding["severity"] == "error"
    assert finding["components"] == ["api", "handler"]
    assert "6.8 MB" in finding["message"]


def test_client_requests_beyond_six_megabytes_break_a_proxied_function() -> None:
    finding = only(sized_api(avg_request_kb=7000), "lambda-sync-payload-above-limit")
    assert "requests (workload avg_request_kb) of api average 6.8 MB" in finding["message"]


def test_large_payloads_to_an_asynchronous_function_are_not_a_sync_limit_matter() -> None:
    doc = design(
        [comp("api", "api_gateway_rest", auth="iam"), fn("handler", usage={"avg_payload_kb": 7000})],
        [link("api", "handler", "invoke", invocation_type="async")],
    )
    assert findings(doc, "lambda-sync-payload-above-limit") == []


def test_default_payloads_are_within_the_sync_limit() -> None:
    assert findings(sized_api(), "lambda-sync-payload-above-limit") == []


def test_dynamodb_items_beyond_400_kb_are_an_error() -> None:
    doc = design([comp("docs", "dynamodb_table", "Documents", usage={"avg_item_kb": 401})])
    finding = only(doc, "dynamodb-item-above-limit")
    assert finding["severity"] == "error"
    assert finding["components"] == ["docs"]
    assert "S3" in finding["fix"]


def test_dynamodb_items_of_400_kb_are_allowed() -> None:
    assert (
        findings(design([comp("docs", "dynamodb_table", usage={"avg_item_kb": 400})]), "dynamodb-item-above-limit")
        == []
    )


def edge(event_type: str, *, region: str | None = None, **props: Any) -> Design:
    return design(
        [comp("cdn", "cloudfront"), comp("site", "s3_bucket"), fn("edge_fn", "Headers", role="edge", **props),
         comp("table", "dynamodb_table")],
        [link("cdn", "site", "origin"), link("cdn", "edge_fn", "edge", event_type=event_type)],
        region=region,
    )  # fmt: skip


@pytest.mark.parametrize(("event_type", "props"), [
    ("viewer-request", {"timeout_s": 10}),
    ("viewer-response", {"memory_mb": 256}),
    ("origin-request", {"timeout_s": 31}),
])  # fmt: skip
def test_an_edge_function_beyond_its_events_quota_is_an_error(event_type: str, props: dict[str, Any]) -> None:
    finding = only(edge(event_type, **props), "edge-function-quotas")
    assert finding["severity"] == "error"
    assert finding["components"] == ["cdn", "edge_fn"]
    assert event_type in finding["message"]


def test_an_origin_event_function_may_use_thirty_seconds_and_more_memory() -> None:
    assert findings(edge("origin-request", timeout_s=30, memory_mb=1024), "edge-function-quotas") == []
    assert findings(edge("viewer-request", timeout_s=5, memory_mb=128), "edge-function-quotas") == []


def test_an_edge_function_with_data_connections_is_an_error() -> None:
    doc = design(
        [comp("cdn", "cloudfront"), fn("edge_fn", role="edge"), comp("table", "dynamodb_table")],
        [link("cdn", "edge_fn", "edge"), link("edge_fn", "table", "read")],
    )
    finding = only(doc, "edge-function-unsupported-features")
    assert finding["severity"] == "error"
    assert "environment variables" in finding["message"]


def test_an_edge_function_in_a_vpc_with_provisioned_concurrency_is_an_error() -> None:
    doc = design(
        [comp("cdn", "cloudfront"), fn("edge_fn", role="edge", group="vpc", provisioned_concurrency=2)],
        [link("cdn", "edge_fn", "edge")],
        groups=[{"id": "vpc", "kind": "vpc"}],
    )
    message = only(doc, "edge-function-unsupported-features")["message"]
    assert "in a VPC" in message and "provisioned concurrency" in message


def test_a_self_contained_edge_function_is_fine() -> None:
    assert findings(edge("viewer-response"), "edge-function-unsupported-features") == []


def test_an_edge_function_outside_us_east_1_is_an_error() -> None:
    finding = only(edge("viewer-response", region="eu-west-1"), "edge-function-region")
    assert finding["severity"] == "error"
    assert "eu-west-1" in finding["message"]


def test_an_edge_function_in_us_east_1_is_fine() -> None:
    assert findings(edge("viewer-response", region="us-east-1"), "edge-function-region") == []
