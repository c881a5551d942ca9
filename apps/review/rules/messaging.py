"""Asynchronous and storage-first processing: failures kept, event sources wired the way Lambda allows."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

ASYNC_TRIGGER_SOURCES = ("s3_bucket", "sns_topic", "eventbridge_bus")  # Cognito triggers are synchronous
STREAM_SOURCES = ("kinesis_stream", "dynamodb_table")
VISIBILITY_TIMEOUT_FACTOR = 6  # AWS: at least six times the function timeout
SQS_MAX_BATCH_WITHOUT_WINDOW = 10


def _consumer_without_dead_letter_queue(ctx: ReviewContext) -> Iterator[Hit]:
    # Where failed events end up depends on how the function is invoked: Lambda's own dead-letter queue
    # (or on-failure destination) catches asynchronous invocations and stream batches; messages polled
    # from SQS go back to the queue, so only the queue's redrive policy moves them aside.
    for function in ctx.of_type("lambda_function"):
        if ctx.out(function, "dead_letter"):
            continue
        # An on-failure destination keeps what asynchronous invocations lose (not a stream's batches).
        on_failure = any(ctx.link_prop(link, "on") == "failure" for link in ctx.out(function, "destination"))
        pushed = [
            link
            for link in ctx.into(function, "trigger", "invoke")
            if not on_failure
            and (
                (link.kind == "trigger" and link.source.type in ASYNC_TRIGGER_SOURCES)
                or (link.kind == "invoke" and ctx.link_prop(link, "invocation_type") == "async")
            )
        ]
        streams = [link for link in ctx.into(function, "poll") if link.source.type in STREAM_SOURCES]
        if not pushed and not streams:
            continue
        sources = list({link.source.id: link.source for link in (*pushed, *streams)}.values())
        consequence = []
        if pushed:
            consequence.append("asynchronous events that still fail after Lambda's two retries are dropped")
        if streams:
            consequence.append(
                "a failing stream batch is retried until its records expire, blocking its shard meanwhile"
            )
        yield Hit(
            (*(s.id for s in sources), function.id),
            f"{ctx.name(function)} consumes events from {ctx.names(sources)} without a "
            f"dead-letter queue: {' and '.join(consequence)}, with no record of what was lost.",
            "Connect the function to an SQS queue (or SNS topic) with a 'dead_letter' connection: it becomes the "
            "function's dead-letter queue for asynchronous events and the on-failure destination of its stream "
            "event source mappings. For asynchronous events alone, a 'destination' connection on failure does "
            "too, and keeps the error with the event.",
        )
    for queue in ctx.of_type("sqs_queue"):
        consumers = [link.target for link in ctx.out(queue, "poll")]
        if not consumers or ctx.out(queue, "dead_letter"):
            continue
        own = [c for c in consumers if ctx.out(c, "dead_letter")]
        note = (
            f" The dead-letter queue of {', '.join(c.id for c in own)} does not help: it only receives failed "
            "asynchronous invocations, never messages polled from SQS."
            if own
            else ""
        )
        yield Hit(
            (queue.id, *dict.fromkeys(c.id for c in consumers)),
            f"{ctx.name(queue)} feeds {ctx.names(consumers)} but has no dead-letter queue: a message that keeps "
            f"failing returns to the queue again and again until its retention period deletes it.{note}",
            f"Connect the queue to a second queue with a 'dead_letter' connection (its redrive policy moves a "
            f"message there after max_receive_count = {ctx.prop(queue, 'max_receive_count')} receives).",
        )


def _event_source_in_other_region(ctx: ReviewContext) -> Iterator[Hit]:
    for function in ctx.of_type("lambda_function"):
        for link in ctx.into(function, "poll"):
            source_region, function_region = ctx.region_of(link.source), ctx.region_of(function)
            if source_region == function_region:
                continue
            yield Hit(
                (link.source.id, function.id),
                f"{ctx.name(function)} in {function_region} polls {ctx.name(link.source)} in {source_region}: "
                "a Lambda event source mapping reads only a stream or queue in the function's own region.",
                "Deploy the consumer in the stream's region (and forward results across regions from there), or "
                "replicate the data into the consumer's region first.",
            )


def _sqs_visibility_timeout_below_function_timeout(ctx: ReviewContext) -> Iterator[Hit]:
    for queue in ctx.of_type("sqs_queue"):
        visibility = int(ctx.prop(queue, "visibility_timeout_s"))
        for link in ctx.out(queue, "poll"):
            if link.target.type != "lambda_function":
                continue  # pipes: no function timeout to compare with
            timeout = int(ctx.prop(link.target, "timeout_s"))
            if visibility < timeout:
                yield Hit(
                    (queue.id, link.target.id),
                    f"{ctx.name(queue)} has a visibility timeout of {visibility} s, shorter than the {timeout} s "
                    f"timeout of its consumer {ctx.name(link.target)}: Lambda refuses to create the event source "
                    "mapping.",
                    f"Set visibility_timeout_s to at least {VISIBILITY_TIMEOUT_FACTOR * timeout} s (six times the "
                    "function timeout), or shorten the function's timeout.",
                )


def _sqs_visibility_timeout_margin(ctx: ReviewContext) -> Iterator[Hit]:
    for queue in ctx.of_type("sqs_queue"):
        visibility = int(ctx.prop(queue, "visibility_timeout_s"))
        for link in ctx.out(queue, "poll"):
            if link.target.type != "lambda_function":
                continue  # pipes: no function timeout to compare with
            timeout = int(ctx.prop(link.target, "timeout_s"))
            wanted = VISIBILITY_TIMEOUT_FACTOR * timeout
            if timeout <= visibility < wanted:
                yield Hit(
                    (queue.id, link.target.id),
                    f"{ctx.name(queue)} has a visibility timeout of {visibility} s, less than six times the {timeout} s "
                    f"timeout of {ctx.name(link.target)}: when the function is throttled, messages can become "
                    "visible again while their batch is still being retried, and get processed twice.",
                    f"Set visibility_timeout_s to at least {wanted} s.",
                )


def _sqs_dead_letter_queue_type_mismatch(ctx: ReviewContext) -> Iterator[Hit]:
    for queue in ctx.of_type("sqs_queue"):
        for link in ctx.out(queue, "dead_letter"):
            if link.target.type != "sqs_queue":
                continue
            fifo, dlq_fifo = bool(ctx.prop(queue, "fifo")), bool(ctx.prop(link.target, "fifo"))
            if fifo == dlq_fifo:
                continue
            kinds = {True: "a FIFO queue", False: "a standard queue"}
            yield Hit(
                (queue.id, link.target.id),
                f"{ctx.name(queue)} is {kinds[fifo]} but its dead-letter queue {ctx.name(link.target)} is "
                f"{kinds[dlq_fifo]}; SQS requires a dead-letter queue of the same type.",
                f"Make {link.target.id} {kinds[fifo]} (fifo: {'true' if fifo else 'false'}).",
            )


def _sqs_batch_size_limits(ctx: ReviewContext) -> Iterator[Hit]:
    for queue in ctx.of_type("sqs_queue"):
        for link in ctx.out(queue, "poll"):
            batch = int(ctx.link_prop(link, "batch_size"))
            if batch <= SQS_MAX_BATCH_WITHOUT_WINDOW:
                continue
            if ctx.prop(queue, "fifo"):
                why = "a FIFO queue delivers at most 10 messages per batch"
            elif int(ctx.link_prop(link, "max_batching_window_s")) < 1:
                why = "batches above 10 messages need a batching window of at least 1 s"
            else:
                continue
            yield Hit(
                (queue.id, link.target.id),
                f"{ctx.name(link.target)} polls {ctx.name(queue)} in batches of {batch}, but {why}; Lambda "
                "refuses the event source mapping.",
                "Use a batch size of 10 or less, or (standard queues only) set max_batching_window_s to 1 or more.",
            )


RULES = (
    Rule(
        id="consumer-without-dead-letter-queue",
        severity="warning",
        title="An asynchronous or storage-first consumer without a dead-letter queue",
        reference=ref.both(
            ref.patterns("Pattern 6"),
            ref.crash_course("Push Event Model and Pull Event Model"),
            ref.LAMBDA_ASYNC_FAILURES,
            ref.LAMBDA_STREAM_FAILURES,
            ref.SQS_DEAD_LETTER,
        ),
        check=_consumer_without_dead_letter_queue,
    ),
    Rule(
        id="event-source-in-other-region",
        severity="error",
        title="A stream or queue and its consumer in different regions",
        reference=ref.both(ref.LAMBDA_ESM, ref.LAMBDA_SQS),
        check=_event_source_in_other_region,
    ),
    Rule(
        id="sqs-visibility-timeout-below-function-timeout",
        severity="error",
        title="A queue's visibility timeout is shorter than its consumer's timeout",
        reference=ref.LAMBDA_SQS,
        check=_sqs_visibility_timeout_below_function_timeout,
    ),
    Rule(
        id="sqs-visibility-timeout-margin",
        severity="warning",
        title="A queue's visibility timeout is less than six times its consumer's timeout",
        reference=ref.LAMBDA_SQS,
        check=_sqs_visibility_timeout_margin,
    ),
    Rule(
        id="sqs-dead-letter-queue-type-mismatch",
        severity="error",
        title="A FIFO queue with a standard dead-letter queue, or the reverse",
        reference=ref.SQS_DEAD_LETTER,
        check=_sqs_dead_letter_queue_type_mismatch,
    ),
    Rule(
        id="sqs-batch-size-limits",
        severity="error",
        title="An SQS batch size Lambda does not accept",
        reference=ref.LAMBDA_SQS,
        check=_sqs_batch_size_limits,
    ),
)
