"""Lambda concurrency: estimated peak against the account's regional limit, and reserved concurrency."""

from __future__ import annotations

from typing import Any

from apps.review.rules.concurrency import PEAK_FACTOR, SECONDS_PER_MONTH
from tests.review.designs import comp, design, findings, fn, link, only

ONE_SECOND = {"avg_duration_ms": 1000}


def busy(function_id: str, requests: float, **kwargs: Any) -> dict[str, Any]:
    return fn(function_id, usage={"requests_per_month": requests, **ONE_SECOND}, **kwargs)


def test_a_peak_beyond_a_thousand_concurrent_executions_is_a_warning() -> None:
    finding = only(design([busy("hot", 3e9), busy("cold", 1e6)]), "concurrency-above-account-limit")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["hot", "cold"]
    expected = 3e9 / SECONDS_PER_MONTH * 1 * PEAK_FACTOR
    assert f"{expected:,.0f}" in finding["message"]
    assert "1,000" in finding["message"] and f"{PEAK_FACTOR:g}×" in finding["message"]
    assert "Service Quotas" in finding["fix"]


def test_a_modest_peak_is_fine() -> None:
    assert findings(design([busy("fn", 1e8)]), "concurrency-above-account-limit") == []


def test_propagated_traffic_counts_where_a_function_has_no_usage() -> None:
    doc = design(
        [comp("web", "browser"), comp("api", "api_gateway_http", auth="iam"), fn("handler", usage=ONE_SECOND)],
        [link("web", "api", "request"), link("api", "handler", "invoke")],
        requests_per_month=1e9,
    )
    assert only(doc, "concurrency-above-account-limit")["components"] == ["handler"]


def test_functions_in_one_account_share_the_limit() -> None:
    assert findings(design([busy("a", 6e8), busy("b", 6e8)]), "concurrency-above-account-limit")


def test_functions_in_separate_accounts_each_have_their_own_limit() -> None:
    doc = design(
        [busy("a", 6e8, group="team_a"), busy("b", 6e8, group="team_b")],
        groups=[{"id": "team_a", "kind": "account"}, {"id": "team_b", "kind": "account"}],
    )
    assert findings(doc, "concurrency-above-account-limit") == []


def test_a_kinesis_consumer_runs_at_most_one_batch_per_shard() -> None:
    doc = design(
        [comp("stream", "kinesis_stream", shards=2, usage={"records_per_month": 1e11}), fn("consumer", usage=ONE_SECOND),
         comp("dlq", "sqs_queue")],
        [link("stream", "consumer", "poll", batch_size=1), link("consumer", "dlq", "dead_letter")],
    )  # fmt: skip
    assert findings(doc, "concurrency-above-account-limit") == []


def test_reserving_more_than_the_account_can_is_an_error() -> None:
    doc = design([fn("a", reserved_concurrency=500), fn("b", reserved_concurrency=500), fn("c")])
    finding = only(doc, "reserved-concurrency-above-account-limit")
    assert finding["severity"] == "error"
    assert finding["components"] == ["a", "b"]
    assert "1,000" in finding["message"] and "900" in finding["message"]


def test_reserving_up_to_nine_hundred_is_fine() -> None:
    doc = design([fn("a", reserved_concurrency=450), fn("b", reserved_concurrency=450)])
    assert findings(doc, "reserved-concurrency-above-account-limit") == []


def test_a_reservation_below_the_estimated_peak_is_a_warning() -> None:
    finding = only(design([busy("fn", 1e8, reserved_concurrency=10)]), "reserved-concurrency-below-peak")
    assert finding["severity"] == "warning"
    assert "throttled" in finding["message"]


def test_a_reservation_of_zero_throttles_everything() -> None:
    finding = only(design([fn("fn", reserved_concurrency=0)]), "reserved-concurrency-below-peak")
    assert "every invocation" in finding["message"]


def test_a_reservation_above_the_peak_is_fine() -> None:
    assert findings(design([busy("fn", 1e8, reserved_concurrency=200)]), "reserved-concurrency-below-peak") == []
