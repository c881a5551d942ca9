"""EventBridge pipes and Scheduler schedules: dead-letter queues and what a pipe can retry."""

from __future__ import annotations

import pytest

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, fn, link, only


def pipe_from(source_type: str, *, dead_letter: bool = False, workflow: str | None = None) -> Design:
    target = comp("flow", "step_functions", workflow_type=workflow) if workflow else fn("worker")
    components = [comp("source", source_type, "Orders"), comp("pipe", "eventbridge_pipe", "Order pipe"), target]
    connections = [link("source", "pipe", "poll"), link("pipe", target["id"], "deliver")]
    if dead_letter:
        components.append(comp("dlq", "sqs_queue"))
        connections.append(link("pipe", "dlq", "dead_letter"))
    return design(components, connections)


@pytest.mark.parametrize("source_type", ["kinesis_stream", "dynamodb_table"])
def test_a_pipe_reading_a_stream_without_a_dead_letter_queue_is_a_warning(source_type: str) -> None:
    finding = only(pipe_from(source_type), "pipe-stream-without-dead-letter-queue")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["source", "pipe"]
    assert "until its records expire" in finding["message"] and "'dead_letter'" in finding["fix"]


def test_a_pipe_reading_a_stream_with_a_dead_letter_queue_is_fine() -> None:
    assert findings(pipe_from("kinesis_stream", dead_letter=True), "pipe-stream-without-dead-letter-queue") == []


def test_a_pipe_reading_a_queue_leaves_failures_to_the_queue_s_own_redrive_policy() -> None:
    doc = pipe_from("sqs_queue")
    assert findings(doc, "pipe-stream-without-dead-letter-queue") == []
    # The queue's own rule asks for its redrive policy, whoever polls it.
    assert only(doc, "consumer-without-dead-letter-queue")["components"] == ["source", "pipe"]


def test_a_pipe_starting_a_standard_workflow_is_told_it_cannot_retry_its_errors() -> None:
    finding = only(pipe_from("sqs_queue", workflow="standard"), "pipe-starts-standard-workflow")
    assert finding["severity"] == "info"
    assert finding["components"] == ["pipe", "flow"]
    assert "not retried" in finding["message"]


def test_a_pipe_starting_an_express_workflow_is_fine() -> None:
    assert findings(pipe_from("sqs_queue", workflow="express"), "pipe-starts-standard-workflow") == []


def schedule(*, dead_letter: dict[str, object] | None = None) -> Design:
    components = [comp("nightly", "scheduler_schedule", "Nightly", max_retry_attempts=3), fn("job")]
    connections = [link("nightly", "job", "deliver")]
    if dead_letter is not None:
        components.append(comp("dlq", "sqs_queue", **dead_letter))
        connections.append(link("nightly", "dlq", "dead_letter"))
    return design(components, connections)


def test_a_schedule_without_a_dead_letter_queue_is_a_warning() -> None:
    finding = only(schedule(), "schedule-without-dead-letter-queue")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["nightly", "job"]
    assert "after 3 retries is dropped" in finding["message"]


def test_a_schedule_with_a_standard_dead_letter_queue_is_fine() -> None:
    doc = schedule(dead_letter={})
    assert findings(doc, "schedule-without-dead-letter-queue") == []
    assert findings(doc, "schedule-fifo-dead-letter-queue") == []


def test_a_schedule_with_a_fifo_dead_letter_queue_is_an_error() -> None:
    finding = only(schedule(dead_letter={"fifo": True}), "schedule-fifo-dead-letter-queue")
    assert finding["severity"] == "error"
    assert finding["components"] == ["nightly", "dlq"]


def test_a_schedule_with_no_target_yet_is_not_reviewed_for_failures() -> None:
    doc = design([comp("nightly", "scheduler_schedule")])
    assert findings(doc, "schedule-without-dead-letter-queue") == []


def test_an_ses_identity_without_a_configuration_set_is_told_to_publish_its_sending_events() -> None:
    finding = only(design([comp("mail", "ses_identity", configuration_set=False)]), "ses-without-configuration-set")
    assert finding["severity"] == "info"
    assert finding["components"] == ["mail"]


def test_an_ses_identity_with_a_configuration_set_is_fine() -> None:
    assert findings(design([comp("mail", "ses_identity")]), "ses-without-configuration-set") == []


def test_more_mail_than_the_ses_sandbox_allows_asks_for_production_access() -> None:
    doc = design([comp("mail", "ses_identity", usage={"requests_per_month": 50_000})])
    finding = only(doc, "ses-sandbox-quota")
    assert "200 messages in 24 hours" in finding["message"] and "production access" in finding["fix"]


def test_mail_within_the_sandbox_quota_or_not_estimated_is_not_flagged() -> None:
    assert (
        findings(design([comp("mail", "ses_identity", usage={"requests_per_month": 6_000})]), "ses-sandbox-quota") == []
    )
    assert findings(design([comp("mail", "ses_identity")]), "ses-sandbox-quota") == []


def firehose(usage: dict[str, object] | None = None, **props: object) -> Design:
    return design(
        [comp("clicks", "firehose_stream", "Clicks", usage=usage, **props), comp("lake", "s3_bucket")],
        [link("clicks", "lake", "deliver")],
    )


@pytest.mark.parametrize("interval", [0, 30])
def test_a_firehose_buffer_interval_under_a_minute_is_told_it_makes_small_objects(interval: int) -> None:
    finding = only(firehose(buffering_interval_s=interval), "firehose-short-buffer-interval")
    assert finding["severity"] == "info" and "multipart" in finding["message"]


def test_the_default_firehose_buffer_interval_is_fine() -> None:
    assert findings(firehose(), "firehose-short-buffer-interval") == []


def test_a_firehose_buffer_smaller_than_ten_seconds_of_data_is_a_warning() -> None:
    # 2,628M records of 1 KB in 730 h: about 1 MB/s, so 10 s of data is about 10 MB, above the 5 MB default.
    finding = only(firehose({"requests_per_month": 2_628_000_000}), "firehose-buffer-below-ten-seconds-of-data")
    assert finding["severity"] == "warning"
    assert "at least 10" in finding["fix"]


def test_a_firehose_buffer_that_holds_ten_seconds_of_data_is_fine() -> None:
    doc = firehose({"requests_per_month": 2_628_000_000}, buffering_size_mb=16)
    assert findings(doc, "firehose-buffer-below-ten-seconds-of-data") == []
    assert findings(firehose(), "firehose-buffer-below-ten-seconds-of-data") == []


def test_an_api_destination_called_faster_than_its_rate_limit_is_a_warning() -> None:
    # 2,628M calls in 730 h is 1,000 a second, above the limit of 300.
    doc = design([comp("partner", "eventbridge_api_destination", usage={"requests_per_month": 2_628_000_000})])
    finding = only(doc, "api-destination-rate-below-traffic")
    assert finding["severity"] == "warning"
    assert "1,000 times a second" in finding["message"] and "24-hour" in finding["message"]


def test_an_api_destination_within_its_rate_limit_is_fine() -> None:
    doc = design(
        [
            comp(
                "partner",
                "eventbridge_api_destination",
                rate_limit_per_second=10,
                usage={"requests_per_month": 1_000_000},
            )
        ]
    )
    assert findings(doc, "api-destination-rate-below-traffic") == []


def iot(*, error_action: bool) -> Design:
    components = [comp("telemetry", "iot_rule", "Telemetry"), comp("readings", "dynamodb_table")]
    connections = [link("telemetry", "readings", "deliver")]
    if error_action:
        components.append(comp("failed", "sqs_queue"))
        connections.append(link("telemetry", "failed", "dead_letter"))
    return design(components, connections)


def test_an_iot_rule_without_an_error_action_is_a_warning() -> None:
    finding = only(iot(error_action=False), "iot-rule-without-error-action")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["telemetry", "readings"]


def test_an_iot_rule_with_an_error_action_is_fine() -> None:
    assert findings(iot(error_action=True), "iot-rule-without-error-action") == []
