"""EventBridge Pipes and Scheduler costs, checked by hand against the listed prices.

Prices (apps/costing/data/pricing-us-east-1.yaml, both from https://aws.amazon.com/eventbridge/pricing/,
not verified against a stored copy): Pipes $0.40 per million requests, counted after filtering, each
64 KB chunk of an event one request; Scheduler $1.00 per million invocations after 14 million free a month.
"""

from __future__ import annotations

from typing import Any

from apps.costing import estimate
from tests.costing.designs import component, design, lambda_fn, line, link, usd


def pipe(**usage: Any) -> dict[str, Any]:
    return {"id": "pipe", "type": "eventbridge_pipe", "props": {}, "usage": usage}


def test_a_pipe_bills_the_events_its_filter_passes_in_64_kb_chunks() -> None:
    # 10M events, a quarter pass the filter, 100 KB each = 2 chunks: 5M requests × $0.40/M = $2.00.
    doc = design(
        [pipe(requests_per_month=10_000_000, filter_pass_ratio=0.25, avg_event_kb=100), lambda_fn("worker")],
        [link("pipe", "worker", "deliver")],
    )
    result = estimate(doc)
    assert line(result, "pipe", "pipes.requests")["quantity"] == 5  # million requests
    assert usd(result, "pipe", "pipes.requests") == 2.00


def test_a_pipe_handles_every_message_of_the_queue_it_polls_not_one_per_batch() -> None:
    # 3M messages into the queue reach the pipe as 3M events (1 KB: one chunk each): 3M × $0.40/M = $1.20.
    doc = design(
        [{"id": "queue", "type": "sqs_queue"}, pipe(), lambda_fn("worker")],
        [link("queue", "pipe", "poll", batch_size=10), link("pipe", "worker", "deliver")],
        requests_per_month=3_000_000,
    )
    result = estimate(doc)
    assert usd(result, "pipe", "pipes.requests") == 1.20
    assert component(result, "pipe")["quantities"]["events_per_month"] == 3_000_000


def schedule(invocations: float, targets: int) -> Any:
    components: list[dict[str, Any]] = [
        {"id": "nightly", "type": "scheduler_schedule", "props": {}, "usage": {"requests_per_month": invocations}}
    ]
    connections = []
    for index in range(targets):
        components.append(lambda_fn(f"job{index}"))
        connections.append(link("nightly", f"job{index}", "deliver"))
    return design(components, connections)


def test_scheduler_invocations_cost_one_dollar_a_million() -> None:
    assert usd(estimate(schedule(20_000_000, 1)), "nightly", "scheduler.invocations") == 20.00


def test_scheduler_s_14_million_free_invocations_apply_with_the_free_tier() -> None:
    # (20M - 14M) × $1.00/M = $6.00
    assert usd(estimate(schedule(20_000_000, 1), free_tier=True), "nightly", "scheduler.invocations") == 6.00


def test_a_schedule_with_two_targets_is_two_schedules_each_invoked_at_its_rate() -> None:
    result = estimate(schedule(10_000_000, 2))
    assert line(result, "nightly", "scheduler.invocations")["quantity"] == 20  # million invocations
    assert usd(result, "nightly", "scheduler.invocations") == 20.00


def test_ses_bills_ten_cents_a_thousand_emails_and_the_attachments() -> None:
    # A function sending 2 e-mails per request, 500k requests: 1M e-mails × $0.10/1k = $100.00;
    # 3 GB of attachments × $0.12 = $0.36 (prices listed as unverified, from https://aws.amazon.com/ses/pricing/).
    doc = design(
        [lambda_fn("sender"), {"id": "mail", "type": "ses_identity", "usage": {"attachments_gb": 3}}],
        [link("sender", "mail", "write", ratio=2)],
        requests_per_month=500_000,
    )
    result = estimate(doc)
    assert usd(result, "mail", "ses.emails") == 100.00
    assert usd(result, "mail", "ses.attachments") == 0.36
    assert component(result, "mail")["quantities"]["emails_per_month"] == 1_000_000


def test_firehose_bills_each_record_rounded_up_to_5_kb() -> None:
    # 1,048,576 records of 3 KB are billed as 5 KB each: 5 GB (1 GB = 1,048,576 KB) × $0.029 = $0.145 → $0.15.
    doc = design(
        [
            {"id": "clicks", "type": "firehose_stream", "usage": {"requests_per_month": 1_048_576, "avg_record_kb": 3}},
            {"id": "lake", "type": "s3_bucket", "usage": {"storage_gb": 0}},
        ],
        [link("clicks", "lake", "deliver")],
    )
    result = estimate(doc)
    assert line(result, "clicks", "firehose.ingestion")["quantity"] == 5
    assert usd(result, "clicks", "firehose.ingestion") == 0.15


def test_firehose_writes_objects_per_buffer_so_no_put_is_counted_per_record() -> None:
    doc = design(
        [{"id": "clicks", "type": "firehose_stream"}, {"id": "lake", "type": "s3_bucket"}],
        [link("clicks", "lake", "deliver")],
        requests_per_month=10_000_000,
    )
    result = estimate(doc)
    assert component(result, "lake")["quantities"].get("put_requests_per_month", 0) == 0
    assert any("one S3 object per buffer flush" in note for note in result["assumptions"])


def test_api_destination_invocations_cost_twenty_cents_a_million() -> None:
    # A bus rule calls the endpoint for each of 5M events: 5M × $0.20/M = $1.00.
    doc = design(
        [{"id": "bus", "type": "eventbridge_bus"}, {"id": "partner", "type": "eventbridge_api_destination"}],
        [link("bus", "partner", "trigger")],
        requests_per_month=5_000_000,
    )
    assert usd(estimate(doc), "partner", "eventbridge.api_destinations") == 1.00


def test_an_iot_rule_bills_rules_triggered_and_each_action_executed() -> None:
    # 10M messages, two actions: 10M × $0.15/M + 20M × $0.15/M = $1.50 + $3.00 (unverified prices,
    # https://aws.amazon.com/iot-core/pricing/).
    doc = design(
        [
            {"id": "telemetry", "type": "iot_rule", "usage": {"requests_per_month": 10_000_000}},
            {"id": "readings", "type": "dynamodb_table"},
            {"id": "alerts", "type": "sqs_queue"},
        ],
        [link("telemetry", "readings", "deliver"), link("telemetry", "alerts", "deliver")],
    )
    result = estimate(doc)
    assert usd(result, "telemetry", "iot.rules_triggered") == 1.50
    assert usd(result, "telemetry", "iot.actions_executed") == 3.00
