"""Asynchronous and storage-first processing: dead-letter queues, event source regions, SQS settings."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.document import Design, DesignInvalid
from tests.review.designs import comp, design, findings, fn, link, only


@pytest.mark.parametrize("source_type", ["s3_bucket", "sns_topic", "eventbridge_bus"])
def test_an_asynchronous_consumer_without_a_dead_letter_queue_is_a_warning(source_type: str) -> None:
    doc = design([comp("source", source_type, "Events"), fn("consumer", "Consumer")],
                 [link("source", "consumer", "trigger")])  # fmt: skip
    finding = only(doc, "consumer-without-dead-letter-queue")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["source", "consumer"]
    assert "dropped" in finding["message"] and "'dead_letter'" in finding["fix"]


@pytest.mark.parametrize("source_type", ["kinesis_stream", "dynamodb_table"])
def test_a_stream_consumer_without_an_on_failure_destination_is_a_warning(source_type: str) -> None:
    doc = design([comp("stream", source_type), fn("consumer")], [link("stream", "consumer", "poll")])
    assert "blocking its shard" in only(doc, "consumer-without-dead-letter-queue")["message"]


def test_an_asynchronous_invocation_needs_a_dead_letter_queue_too() -> None:
    doc = design([fn("caller"), fn("worker")], [link("caller", "worker", "invoke", invocation_type="async")])
    assert only(doc, "consumer-without-dead-letter-queue")["components"] == ["caller", "worker"]


@pytest.mark.parametrize("source_type", ["s3_bucket", "kinesis_stream"])
def test_a_consumer_with_its_own_dead_letter_queue_is_fine(source_type: str) -> None:
    kind = "trigger" if source_type == "s3_bucket" else "poll"
    doc = design([comp("source", source_type), fn("consumer"), comp("dlq", "sqs_queue")],
                 [link("source", "consumer", kind), link("consumer", "dlq", "dead_letter")])  # fmt: skip
    assert findings(doc, "consumer-without-dead-letter-queue") == []


def test_synchronous_invocations_and_cognito_triggers_need_no_dead_letter_queue() -> None:
    doc = design(
        [comp("api", "api_gateway_http", auth="iam"), fn("handler"), comp("users", "cognito_user_pool"), fn("hook")],
        [link("api", "handler", "invoke"), link("users", "hook", "trigger")],
    )
    assert findings(doc, "consumer-without-dead-letter-queue") == []


def queue_consumer(*, queue_dlq: bool = False, function_dlq: bool = False) -> Design:
    connections = [link("queue", "worker", "poll")]
    if queue_dlq:
        connections.append(link("queue", "dlq", "dead_letter"))
    if function_dlq:
        connections.append(link("worker", "dlq", "dead_letter"))
    return design([comp("queue", "sqs_queue", "Orders queue"), fn("worker"), comp("dlq", "sqs_queue")], connections)


def test_a_queue_without_a_redrive_policy_is_a_warning() -> None:
    finding = only(queue_consumer(), "consumer-without-dead-letter-queue")
    assert finding["components"] == ["queue", "worker"]
    assert "max_receive_count = 5" in finding["fix"]


def test_a_functions_dead_letter_queue_does_not_catch_polled_sqs_messages() -> None:
    finding = only(queue_consumer(function_dlq=True), "consumer-without-dead-letter-queue")
    assert "never messages polled from SQS" in finding["message"]


def test_a_queue_with_a_dead_letter_queue_is_fine() -> None:
    assert findings(queue_consumer(queue_dlq=True), "consumer-without-dead-letter-queue") == []


def stream_and_consumer(stream_region: str | None = None, consumer_region: str | None = None) -> Design:
    # Each side in an account group of its own, which may name the region its services run in.
    def account(group_id: str, region: str | None) -> dict[str, Any]:
        return {"id": group_id, "kind": "account", "props": {"region": region} if region else {}}

    return design(
        [comp("stream", "kinesis_stream", "Clicks", group="ingest"), fn("consumer", "Aggregator", group="analytics"),
         comp("dlq", "sqs_queue", group="analytics")],
        [link("stream", "consumer", "poll"), link("consumer", "dlq", "dead_letter")],
        groups=[account("ingest", stream_region), account("analytics", consumer_region)],
        region="eu-west-1",
    )  # fmt: skip


def test_a_stream_and_its_consumer_in_the_same_region_are_fine() -> None:
    assert findings(stream_and_consumer(), "event-source-in-other-region") == []
    assert findings(stream_and_consumer("eu-west-1", None), "event-source-in-other-region") == []
    assert findings(stream_and_consumer("us-west-2", "us-west-2"), "event-source-in-other-region") == []


def test_components_take_their_region_from_their_account_not_from_a_prop_of_their_own() -> None:
    with pytest.raises(DesignInvalid, match="unknown field"):
        design([comp("stream", "kinesis_stream", region="us-west-2")])
    with pytest.raises(DesignInvalid, match="groups/0/props/region: does not match"):
        design(
            [comp("stream", "kinesis_stream", group="a")],
            groups=[{"id": "a", "kind": "account", "props": {"region": "Mars"}}],
        )


def test_a_stream_in_another_region_than_its_consumer_is_an_error() -> None:
    finding = only(stream_and_consumer("us-west-2", None), "event-source-in-other-region")
    assert finding["severity"] == "error"
    assert finding["components"] == ["stream", "consumer"]
    assert "eu-west-1" in finding["message"] and "us-west-2" in finding["message"]


def test_a_queue_in_another_accounts_region_counts_too() -> None:
    doc = design(
        [comp("queue", "sqs_queue", group="eu"), fn("consumer", timeout_s=5), comp("dlq", "sqs_queue", group="eu")],
        [link("queue", "consumer", "poll"), link("queue", "dlq", "dead_letter")],
        groups=[{"id": "eu", "kind": "account", "props": {"region": "eu-central-1"}}],
    )
    assert only(doc, "event-source-in-other-region")["components"] == ["queue", "consumer"]


def sqs_consumer(*, visibility: int, timeout: int, batch: int = 10, window: int = 0, fifo: bool = False) -> Design:
    return design(
        [comp("queue", "sqs_queue", "Jobs", visibility_timeout_s=visibility, fifo=fifo),
         fn("worker", "Worker", timeout_s=timeout), comp("dlq", "sqs_queue", fifo=fifo)],
        [link("queue", "worker", "poll", batch_size=batch, max_batching_window_s=window),
         link("queue", "dlq", "dead_letter")],
    )  # fmt: skip


def test_a_visibility_timeout_shorter_than_the_function_timeout_is_an_error() -> None:
    finding = only(sqs_consumer(visibility=30, timeout=60), "sqs-visibility-timeout-below-function-timeout")
    assert finding["severity"] == "error"
    assert finding["components"] == ["queue", "worker"]
    assert "360 s" in finding["fix"]


def test_a_visibility_timeout_of_six_function_timeouts_is_fine() -> None:
    doc = sqs_consumer(visibility=180, timeout=30)
    assert findings(doc, "sqs-visibility-timeout-below-function-timeout") == []
    assert findings(doc, "sqs-visibility-timeout-margin") == []


def test_a_visibility_timeout_under_six_function_timeouts_is_a_warning() -> None:
    finding = only(sqs_consumer(visibility=60, timeout=30), "sqs-visibility-timeout-margin")
    assert finding["severity"] == "warning"
    assert "180 s" in finding["fix"]


def test_a_visibility_timeout_below_the_function_timeout_is_reported_once_as_an_error() -> None:
    assert findings(sqs_consumer(visibility=30, timeout=60), "sqs-visibility-timeout-margin") == []


def test_a_fifo_queue_with_a_standard_dead_letter_queue_is_an_error() -> None:
    doc = design([comp("orders", "sqs_queue", fifo=True), comp("dlq", "sqs_queue")],
                 [link("orders", "dlq", "dead_letter")])  # fmt: skip
    finding = only(doc, "sqs-dead-letter-queue-type-mismatch")
    assert finding["severity"] == "error"
    assert finding["components"] == ["orders", "dlq"]


def test_a_fifo_queue_with_a_fifo_dead_letter_queue_is_fine() -> None:
    doc = design([comp("orders", "sqs_queue", fifo=True), comp("dlq", "sqs_queue", fifo=True)],
                 [link("orders", "dlq", "dead_letter")])  # fmt: skip
    assert findings(doc, "sqs-dead-letter-queue-type-mismatch") == []


def test_a_batch_above_ten_without_a_batching_window_is_an_error() -> None:
    finding = only(sqs_consumer(visibility=60, timeout=10, batch=50), "sqs-batch-size-limits")
    assert finding["severity"] == "error"
    assert "batching window" in finding["message"]


def test_a_fifo_queue_batches_ten_messages_at_most() -> None:
    doc = sqs_consumer(visibility=60, timeout=10, batch=20, window=5, fifo=True)
    assert "FIFO" in only(doc, "sqs-batch-size-limits")["message"]


def test_a_large_batch_with_a_batching_window_is_fine() -> None:
    assert findings(sqs_consumer(visibility=60, timeout=10, batch=50, window=5), "sqs-batch-size-limits") == []
