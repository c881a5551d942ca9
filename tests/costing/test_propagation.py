"""Traffic flows along connections (ARCHITECTURE §3): ratios, usage overrides, batching, caches, cycles."""

from __future__ import annotations

import pytest

from apps.core.pointers import Invalid
from apps.costing import estimate
from tests.costing.designs import component, design, lambda_fn, link


def quantities(result: dict, component_id: str) -> dict:
    return component(result, component_id)["quantities"]


def test_entry_points_take_the_workload_and_ratios_scale_what_flows_on() -> None:
    doc = design(
        [{"id": "web", "type": "browser"}, {"id": "api", "type": "api_gateway_http"}, lambda_fn()],
        [link("web", "api", "request", ratio=0.3), link("api", "fn", "invoke", ratio=2)],
        requests_per_month=1_000_000,
    )
    result = estimate(doc)
    assert quantities(result, "web")["requests_per_month"] == 1_000_000
    assert quantities(result, "api")["requests_per_month"] == 300_000
    assert quantities(result, "fn")["invocations_per_month"] == 600_000


def test_every_entry_point_takes_the_whole_workload() -> None:
    doc = design(
        [
            {"id": "web", "type": "browser"},
            {"id": "app", "type": "mobile_app"},
            {"id": "api", "type": "api_gateway_http"},
        ],
        [link("web", "api", "request"), link("app", "api", "request")],
        requests_per_month=1000,
    )
    assert quantities(estimate(doc), "api")["requests_per_month"] == 2000


def test_a_components_own_usage_overrides_what_flows_in_and_flows_on() -> None:
    doc = design(
        [{"id": "web", "type": "browser"}, {"id": "api", "type": "api_gateway_http"}, lambda_fn(requests_per_month=5),
         {"id": "table", "type": "dynamodb_table"}],
        [link("web", "api", "request"), link("api", "fn", "invoke"), link("fn", "table", "write")],
        requests_per_month=1_000_000,
    )  # fmt: skip
    result = estimate(doc)
    assert quantities(result, "api")["requests_per_month"] == 1_000_000
    assert quantities(result, "fn")["invocations_per_month"] == 5
    assert quantities(result, "table")["writes_per_month"] == 5


def test_read_write_counts_one_read_and_one_write_per_request() -> None:
    doc = design(
        [lambda_fn(requests_per_month=100), {"id": "table", "type": "dynamodb_table"}],
        [link("fn", "table", "read_write")],
    )
    result = estimate(doc)
    assert quantities(result, "table")["reads_per_month"] == 100
    assert quantities(result, "table")["writes_per_month"] == 100


def test_a_poll_without_a_ratio_invokes_once_per_batch() -> None:
    doc = design(
        [{"id": "api", "type": "api_gateway_rest", "usage": {"requests_per_month": 1_000_000}},
         {"id": "queue", "type": "sqs_queue"}, lambda_fn()],
        [link("api", "queue", "integrate"), link("queue", "fn", "poll", batch_size=25)],
    )  # fmt: skip
    result = estimate(doc)
    assert quantities(result, "fn")["invocations_per_month"] == 40_000
    # one send per message, a receive and a delete per batch of 25
    assert quantities(result, "queue")["api_requests_per_month"] == pytest.approx(1_000_000 * (1 + 2 / 25))


def test_a_poll_with_an_explicit_ratio_takes_it_as_invocations_per_record() -> None:
    doc = design(
        [{"id": "stream", "type": "kinesis_stream", "usage": {"records_per_month": 1_000_000}}, lambda_fn()],
        [link("stream", "fn", "poll", batch_size=100, ratio=0.01)],
    )
    assert quantities(estimate(doc), "fn")["invocations_per_month"] == 10_000


def test_dead_letter_connections_carry_nothing_unless_given_a_failure_ratio() -> None:
    doc = design(
        [
            lambda_fn(requests_per_month=1_000_000),
            {"id": "dlq", "type": "sqs_queue"},
            {"id": "dlq2", "type": "sqs_queue"},
        ],
        [link("fn", "dlq", "dead_letter"), link("fn", "dlq2", "dead_letter", ratio=0.01)],
    )
    result = estimate(doc)
    assert quantities(result, "dlq")["messages_per_month"] == 0
    assert quantities(result, "dlq2")["messages_per_month"] == 10_000


def test_cloudfront_forwards_only_cache_misses_to_a_caching_origin() -> None:
    doc = design(
        [{"id": "web", "type": "browser"}, {"id": "cdn", "type": "cloudfront"}, {"id": "site", "type": "s3_bucket"},
         {"id": "api", "type": "api_gateway_rest"}],
        [link("web", "cdn", "request"), link("cdn", "site", "origin"),
         link("cdn", "api", "origin", cache_policy="caching_disabled", ratio=0.5)],
        requests_per_month=1_000_000,
    )  # fmt: skip
    result = estimate(doc)
    assert quantities(result, "site")["get_requests_per_month"] == pytest.approx(100_000)
    assert quantities(result, "api")["requests_per_month"] == 500_000
    assert component(result, "api")["lines"][-1]["quantity"] == 0  # responses go to CloudFront, not the internet


def test_a_cached_lambda_authorizer_runs_only_on_cache_misses() -> None:
    def authorizer_calls(ttl: int) -> float:
        doc = design(
            [{"id": "api", "type": "api_gateway_rest", "usage": {"requests_per_month": 1_000_000}},
             lambda_fn("auth", props={"role": "authorizer"})],
            [link("api", "auth", "authorize", cache_ttl_s=ttl)],
        )  # fmt: skip
        return quantities(estimate(doc), "auth")["invocations_per_month"]

    assert authorizer_calls(0) == 1_000_000
    assert authorizer_calls(300) == pytest.approx(200_000)
    assert authorizer_calls(150) == pytest.approx(600_000)


def test_s3_notifications_fire_per_object_written() -> None:
    doc = design(
        [{"id": "bucket", "type": "s3_bucket", "usage": {"put_requests_per_month": 2000, "get_requests_per_month": 9}},
         lambda_fn()],
        [link("bucket", "fn", "trigger")],
    )  # fmt: skip
    assert quantities(estimate(doc), "fn")["invocations_per_month"] == 2000


def test_a_cycle_with_ratios_below_one_settles() -> None:
    doc = design(
        [
            {"id": "api", "type": "api_gateway_http", "usage": {"requests_per_month": 3000}},
            lambda_fn("a"),
            lambda_fn("b"),
        ],
        [link("api", "a", "invoke"), link("a", "b", "invoke", ratio=0.5), link("b", "a", "invoke", ratio=0.5)],
    )
    result = estimate(doc)
    assert quantities(result, "a")["invocations_per_month"] == pytest.approx(4000)
    assert quantities(result, "b")["invocations_per_month"] == pytest.approx(2000)


def test_a_cycle_that_amplifies_traffic_is_reported_on_a_component() -> None:
    doc = design(
        [
            {"id": "api", "type": "api_gateway_http", "usage": {"requests_per_month": 3000}},
            lambda_fn("a"),
            lambda_fn("b"),
        ],
        [link("api", "a", "invoke"), link("a", "b", "invoke", ratio=2), link("b", "a", "invoke", ratio=2)],
    )
    with pytest.raises(Invalid) as caught:
        estimate(doc)
    assert caught.value.problems[0].pointer in (
        "/components/1/usage/requests_per_month",
        "/components/2/usage/requests_per_month",
    )


def test_assumptions_name_the_defaults_and_refinements_used() -> None:
    doc = design(
        [{"id": "queue", "type": "sqs_queue", "usage": {"requests_per_month": 10}}, lambda_fn()],
        [link("queue", "fn", "poll")],
    )
    text = "\n".join(estimate(doc)["assumptions"])
    assert "fn: memory_mb = 128 MB (catalog default)" in text
    assert "fn: usage.avg_duration_ms = 100 ms (catalog default)" in text
    assert "invoked once per batch of 10 records" in text
    assert "A month is 730 hours" in text
