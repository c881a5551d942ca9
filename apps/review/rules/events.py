"""EventBridge pipes, Scheduler schedules and IoT rules (what happens to what they fail to deliver), API
destination rates, Firehose buffering and SES identities."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

PIPES_ERRORS = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-error-troubleshooting.html"
SCHEDULER_DLQ = "https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html"
SES_CONFIGURATION_SETS = "https://docs.aws.amazon.com/ses/latest/dg/using-configuration-sets.html"
SES_SANDBOX = "https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html"
IOT_ERROR_ACTION = "https://docs.aws.amazon.com/iot/latest/developerguide/rule-error-handling.html"
API_DESTINATIONS = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html"
EVENTBRIDGE_RETRIES = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html"
FIREHOSE_BUFFERING = "https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html"
FIREHOSE_BUFFERING_API = "https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html"
STREAM_SOURCES = ("kinesis_stream", "dynamodb_table")
MULTIPART_BELOW_S = 60  # AWS: below 60 s Firehose writes to S3 with multipart uploads (more PUT requests)
BUFFER_SECONDS_OF_DATA = 10  # AWS: a buffer size above what the stream ingests in 10 seconds
SECONDS_PER_MONTH = 730 * 3600
SANDBOX_MESSAGES_PER_DAY = 200  # AWS: an account in the SES sandbox sends at most 200 messages in 24 hours
DAYS_PER_MONTH = 30


def _pipe_stream_without_dead_letter_queue(ctx: ReviewContext) -> Iterator[Hit]:
    # AWS: for stream sources a pipe retries up to its retry policy or until the record expires; without a
    # dead-letter queue what still fails is lost, and the batch holds its shard meanwhile.
    for pipe in ctx.of_type("eventbridge_pipe"):
        streams = [link.source for link in ctx.into(pipe, "poll") if link.source.type in STREAM_SOURCES]
        if not streams or ctx.out(pipe, "dead_letter"):
            continue
        yield Hit(
            (*(s.id for s in streams), pipe.id),
            f"{ctx.name(pipe)} reads {ctx.names(streams)} without a dead-letter queue: a batch its target keeps "
            "failing is retried until its records expire, blocking the shard meanwhile, and is then lost.",
            "Connect the pipe to an SQS queue with a 'dead_letter' connection (its DeadLetterConfig).",
        )


def _pipe_starts_standard_workflow(ctx: ReviewContext) -> Iterator[Hit]:
    for pipe in ctx.of_type("eventbridge_pipe"):
        for link in ctx.out(pipe, "deliver"):
            if link.target.type == "step_functions" and ctx.prop(link.target, "workflow_type") == "standard":
                yield Hit(
                    (pipe.id, link.target.id),
                    f"{ctx.name(pipe)} starts the standard workflow {ctx.name(link.target)}, which a pipe can only "
                    "invoke asynchronously: errors raised in the workflow are not retried by the pipe and never "
                    "reach its source's redrive policy or dead-letter queue.",
                    "Handle failures inside the workflow (Retry and Catch), or make it an Express workflow that "
                    "the pipe invokes synchronously.",
                )


def _schedule_without_dead_letter_queue(ctx: ReviewContext) -> Iterator[Hit]:
    for schedule in ctx.of_type("scheduler_schedule"):
        targets = [link.target for link in ctx.out(schedule, "deliver")]
        if not targets or ctx.out(schedule, "dead_letter"):
            continue
        yield Hit(
            (schedule.id, *(t.id for t in targets)),
            f"{ctx.name(schedule)} invokes {ctx.names(targets)} without a dead-letter queue: an invocation that "
            f"still fails after {ctx.prop(schedule, 'max_retry_attempts')} retries is dropped, with no record of "
            "the missed run.",
            "Connect the schedule to a standard SQS queue with a 'dead_letter' connection.",
        )


def _schedule_fifo_dead_letter_queue(ctx: ReviewContext) -> Iterator[Hit]:
    for schedule in ctx.of_type("scheduler_schedule"):
        for link in ctx.out(schedule, "dead_letter"):
            if link.target.type == "sqs_queue" and ctx.prop(link.target, "fifo"):
                yield Hit(
                    (schedule.id, link.target.id),
                    f"{ctx.name(schedule)} names the FIFO queue {ctx.name(link.target)} as its dead-letter queue; "
                    "EventBridge Scheduler supports standard queues only.",
                    f"Make {link.target.id} a standard queue (fifo: false) or use another one.",
                )


def _iot_rule_without_error_action(ctx: ReviewContext) -> Iterator[Hit]:
    for rule in ctx.of_type("iot_rule"):
        targets = [link.target for link in ctx.out(rule, "deliver")]
        if not targets or ctx.out(rule, "dead_letter"):
            continue
        yield Hit(
            (rule.id, *(t.id for t in targets)),
            f"{ctx.name(rule)} has no error action: a message its action to {ctx.names(targets)} fails to deliver "
            "(missing permission, throttling) is lost, with no record of it.",
            "Connect the rule to an SQS queue or SNS topic with a 'dead_letter' connection (its error action).",
        )


def _api_destination_rate_below_traffic(ctx: ReviewContext) -> Iterator[Hit]:
    # AWS: below the rate needed to deliver every event, some events may not be delivered within the 24-hour
    # retry window; after that EventBridge drops them unless the rule has a dead-letter queue.
    for destination in ctx.of_type("eventbridge_api_destination"):
        calls = ctx.usage(destination, "requests_per_month")
        if calls is None:
            continue
        per_second = float(calls) / SECONDS_PER_MONTH
        limit = int(ctx.prop(destination, "rate_limit_per_second"))
        if per_second > limit:
            yield Hit(
                (destination.id,),
                f"{ctx.name(destination)} is expected to be called {per_second:,.0f} times a second on average, "
                f"above its rate limit of {limit}: events queue up, and those not delivered within EventBridge's "
                "24-hour retry window are dropped.",
                "Raise rate_limit_per_second (300 at most), spread the calls over more destinations, or give the "
                "rule a dead-letter queue and replay what lands there.",
            )


def _firehose_short_buffer_interval(ctx: ReviewContext) -> Iterator[Hit]:
    for stream in ctx.of_type("firehose_stream"):
        interval = int(ctx.prop(stream, "buffering_interval_s"))
        if interval < MULTIPART_BELOW_S and ctx.out(stream, "deliver"):
            objects = "one object every few seconds" if interval == 0 else f"an object every {interval} s"
            yield Hit(
                (stream.id,),
                f"{ctx.name(stream)} buffers for {interval} s: it writes {objects} (many small files for whatever "
                "reads the bucket), and below 60 s Firehose uses multipart uploads, which add S3 PUT requests.",
                "Keep the interval at 60 s or more unless the latency is needed (300 s is the default).",
            )


def _firehose_buffer_below_ten_seconds_of_data(ctx: ReviewContext) -> Iterator[Hit]:
    for stream in ctx.of_type("firehose_stream"):
        records = ctx.usage(stream, "requests_per_month")
        if records is None:
            continue
        mb_per_second = float(records) * float(ctx.usage(stream, "avg_record_kb")) / 1024 / SECONDS_PER_MONTH
        wanted = mb_per_second * BUFFER_SECONDS_OF_DATA
        size = int(ctx.prop(stream, "buffering_size_mb"))
        if size < wanted:
            yield Hit(
                (stream.id,),
                f"{ctx.name(stream)} ingests about {mb_per_second:.1f} MB/s on average but buffers only {size} MB, "
                "less than 10 seconds of data: it writes many small objects.",
                f"Set buffering_size_mb to at least {min(128, int(wanted) + 1)} (AWS recommends more than 10 "
                "seconds of data; 128 MB at most).",
            )


def _ses_without_configuration_set(ctx: ReviewContext) -> Iterator[Hit]:
    for identity in ctx.of_type("ses_identity"):
        if not ctx.prop(identity, "configuration_set"):
            yield Hit(
                (identity.id,),
                f"{ctx.name(identity)} sends without a configuration set: bounces, complaints and deliveries are "
                "not published anywhere, so a falling sender reputation goes unnoticed until SES pauses sending.",
                "Set configuration_set to true and publish its sending events (to CloudWatch, SNS or Firehose).",
            )


def _ses_sandbox_quota(ctx: ReviewContext) -> Iterator[Hit]:
    limit = SANDBOX_MESSAGES_PER_DAY * DAYS_PER_MONTH
    for identity in ctx.of_type("ses_identity"):
        emails = ctx.usage(identity, "requests_per_month")
        if emails is not None and float(emails) > limit:
            yield Hit(
                (identity.id,),
                f"{ctx.name(identity)} is expected to send {float(emails):,.0f} e-mails a month, more than the "
                f"{SANDBOX_MESSAGES_PER_DAY} messages in 24 hours a new account's SES sandbox allows (and only to "
                "verified addresses).",
                "Request production access for SES in this account and Region before going live.",
            )


RULES = (
    Rule(
        id="pipe-stream-without-dead-letter-queue",
        severity="warning",
        title="A pipe reading a stream without a dead-letter queue",
        reference=PIPES_ERRORS,
        check=_pipe_stream_without_dead_letter_queue,
    ),
    Rule(
        id="pipe-starts-standard-workflow",
        severity="info",
        title="A pipe starts a standard workflow, whose errors it cannot retry",
        reference=PIPES_ERRORS,
        check=_pipe_starts_standard_workflow,
    ),
    Rule(
        id="schedule-without-dead-letter-queue",
        severity="warning",
        title="A schedule without a dead-letter queue",
        reference=SCHEDULER_DLQ,
        check=_schedule_without_dead_letter_queue,
    ),
    Rule(
        id="schedule-fifo-dead-letter-queue",
        severity="error",
        title="A schedule with a FIFO dead-letter queue",
        reference=SCHEDULER_DLQ,
        check=_schedule_fifo_dead_letter_queue,
    ),
    Rule(
        id="ses-without-configuration-set",
        severity="info",
        title="An SES identity that sends without a configuration set",
        reference=SES_CONFIGURATION_SETS,
        check=_ses_without_configuration_set,
    ),
    Rule(
        id="ses-sandbox-quota",
        severity="info",
        title="More e-mail than the SES sandbox allows",
        reference=SES_SANDBOX,
        check=_ses_sandbox_quota,
    ),
    Rule(
        id="firehose-short-buffer-interval",
        severity="info",
        title="A Firehose stream buffering for less than 60 seconds",
        reference=FIREHOSE_BUFFERING,
        check=_firehose_short_buffer_interval,
    ),
    Rule(
        id="firehose-buffer-below-ten-seconds-of-data",
        severity="warning",
        title="A Firehose buffer smaller than 10 seconds of data",
        reference=FIREHOSE_BUFFERING_API,
        check=_firehose_buffer_below_ten_seconds_of_data,
    ),
    Rule(
        id="api-destination-rate-below-traffic",
        severity="warning",
        title="An API destination whose rate limit is below its traffic",
        reference=f"{API_DESTINATIONS}; {EVENTBRIDGE_RETRIES}",
        check=_api_destination_rate_below_traffic,
    ),
    Rule(
        id="iot-rule-without-error-action",
        severity="warning",
        title="An IoT rule without an error action",
        reference=IOT_ERROR_ACTION,
        check=_iot_rule_without_error_action,
    ),
)
