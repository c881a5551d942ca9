"""Cost models, one per component type: from a component's traffic and props to billable quantities.

Pure Python, no Django. A model does not price anything: it records *charges* (a meter of the pricing
snapshot and a raw quantity) and the assumptions it made. The engine then prices each meter once for
the whole design, so free tiers and volume tiers apply to a service's total, not per component.
Adding a component type means adding a model here (and its meters to the snapshot).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apps.core.pointers import Invalid, Problem, json_pointer
from apps.designs.catalog import ComponentType
from apps.designs.document import AURORA_ENGINES, Component, Workload, aurora_capacity_problems

from .pricing import PricingSnapshot
from .traffic import Edge, Graph, inflow

KB_PER_GB = 1024 * 1024  # AWS's worked examples use binary units (1 GB = 1,024 MB)
SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Charge:
    """A component's use of one meter, in the meter's raw units (requests, GB-seconds, hours…)."""

    component: int
    meter: str
    quantity: float
    description: str | None = None


@dataclass
class ComponentCost:
    """What a model sees of one component, and what it records."""

    position: int
    component: Component
    ctype: ComponentType
    flows: dict[str, float]
    graph: Graph
    all_flows: list[dict[str, float]]
    workload: Workload
    hours: float
    snapshot: PricingSnapshot
    charges: list[Charge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quantities: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.component.id

    def pointer(self, section: str, name: str) -> str:
        return json_pointer(("components", self.position, section, name))

    def prop(self, name: str, *, note: bool = True) -> Any:
        """A prop's value, or its catalog default (recorded as an assumption when ``note``)."""
        if name in self.component.props:
            return self.component.props[name]
        spec = self.ctype.props.fields[name]
        if note and spec.default is not None:
            self.note(f"{name} = {_shown(spec.default, spec.unit)} (catalog default)")
        return spec.default

    def usage(self, name: str, *, note: bool = True) -> float:
        """A usage figure, or its catalog default (recorded as an assumption when ``note``)."""
        if name in self.component.usage:
            return float(self.component.usage[name])
        spec = self.ctype.usage.fields[name]
        if note:
            self.note(f"usage.{name} = {_shown(spec.default, spec.unit)} (catalog default)")
        return float(spec.default)

    def has_usage(self, name: str) -> bool:
        return name in self.component.usage

    def flow(self, channel: str) -> float:
        return self.flows.get(channel, 0.0)

    def inflow(self, *kinds: str) -> float:
        return inflow(self.graph, self.all_flows, self.position, frozenset(kinds))

    def outgoing(self, kind: str) -> list[Edge]:
        return [edge for edge in self.graph.outgoing[self.position] if edge.kind == kind]

    def note(self, text: str) -> None:
        self.notes.append(f"{self.name}: {text}")

    def quantity(self, name: str, value: float) -> None:
        self.quantities[name] = value

    def charge(
        self, meter: str, quantity: float, *, pointer: str | None = None, description: str | None = None
    ) -> None:
        """Record ``quantity`` raw units of ``meter``; a meter the snapshot lacks is an input problem."""
        if self.snapshot.meter(meter) is None:
            where = pointer or json_pointer(("components", self.position, "type"))
            raise Invalid([Problem(where, f"no {self.snapshot.region} price for this choice (meter {meter})")])
        if not math.isfinite(quantity) or quantity < 0:
            raise ValueError(f"{self.name}: invalid quantity {quantity!r} for {meter}")
        self.charges.append(Charge(self.position, meter, quantity, description))


def count_text(value: float) -> str:
    """A count for people: 20,000,000 rather than 2e+07."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _shown(value: Any, unit: str | None) -> str:
    return f"{value} {unit}" if unit else str(value)


def _chunks(size_kb: float, chunk_kb: float) -> int:
    """Billing chunks for a payload (at least one, even for an empty payload)."""
    return max(1, math.ceil(size_kb / chunk_kb))


def _response_gb(ctx: ComponentCost, requests: float) -> float:
    return requests * ctx.workload.avg_response_kb / KB_PER_GB


def lambda_function(ctx: ComponentCost) -> None:
    invocations = ctx.flow("requests")
    memory_mb = ctx.prop("memory_mb")
    if isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or not 128 <= memory_mb <= 10240:
        raise Invalid([Problem(ctx.pointer("props", "memory_mb"), "Lambda allows 128 to 10,240 MB in 1 MB steps")])
    architecture = ctx.prop("architecture")
    role = ctx.prop("role", note=False)
    duration_ms = ctx.usage("avg_duration_ms")
    timeout_ms = ctx.prop("timeout_s", note=False) * 1000
    if duration_ms > timeout_ms:
        ctx.note(f"avg_duration_ms {duration_ms:g} exceeds the {timeout_ms / 1000:g} s timeout; billed at the timeout")
        duration_ms = timeout_ms
    billed_seconds = math.ceil(duration_ms) / 1000  # duration is billed in 1 ms steps
    compute_seconds = invocations * billed_seconds
    gb_seconds = compute_seconds * memory_mb / 1024
    ctx.quantity("invocations_per_month", invocations)
    ctx.quantity("gb_seconds", gb_seconds)

    if role == "edge":
        ctx.charge("lambda_edge.requests", invocations)
        ctx.charge("lambda_edge.duration", gb_seconds)
        ctx.note("Lambda@Edge pricing (no free tier; provisioned concurrency and extra storage do not apply)")
        return

    ctx.charge("lambda.requests", invocations)
    provisioned = ctx.prop("provisioned_concurrency", note=False) or 0
    if provisioned:
        capacity = provisioned * memory_mb / 1024 * ctx.hours * SECONDS_PER_HOUR
        on_provisioned = min(gb_seconds, capacity)
        ctx.charge(f"lambda.provisioned.{architecture}", capacity, pointer=ctx.pointer("props", "architecture"))
        ctx.charge(f"lambda.provisioned_duration.{architecture}", on_provisioned)
        if gb_seconds > on_provisioned:
            ctx.charge(f"lambda.duration.{architecture}", gb_seconds - on_provisioned)
        ctx.note(
            f"provisioned concurrency {provisioned} enabled all month; invocations run on it up to its capacity "
            "(billed at the provisioned duration rate), the rest at the on-demand rate"
        )
    else:
        ctx.charge(f"lambda.duration.{architecture}", gb_seconds, pointer=ctx.pointer("props", "architecture"))
    storage_mb = ctx.prop("ephemeral_storage_mb", note=False)
    if storage_mb > 512:  # 512 MB of /tmp are included
        ctx.charge("lambda.ephemeral_storage", compute_seconds * (storage_mb - 512) / 1024)
    if ctx.usage("avg_payload_kb", note=False) > 256:
        ctx.note("events above 256 KB, billed as extra requests when asynchronous, are not modelled")


def api_gateway(ctx: ComponentCost, *, http: bool) -> None:
    requests = ctx.flow("requests")
    ctx.quantity("requests_per_month", requests)
    if http:
        size_kb = ctx.usage("avg_message_kb")
        metered = _chunks(size_kb, 512)  # HTTP APIs meter each 512 KB as one request
        if metered > 1:
            ctx.note(f"{size_kb:g} KB messages are metered as {metered} requests each (512 KB increments)")
        ctx.charge("apigw.http.requests", requests * metered)
        endpoint = "regional"
    else:
        ctx.charge("apigw.rest.requests", requests)
        endpoint = ctx.prop("endpoint_type", note=False)
        cache_gb = ctx.prop("cache_size_gb", note=False)
        if cache_gb:
            key = str(int(cache_gb)) if float(cache_gb).is_integer() else repr(float(cache_gb))
            ctx.charge(f"apigw.rest.cache.{key}", ctx.hours, pointer=ctx.pointer("props", "cache_size_gb"))
            ctx.note(f"{cache_gb:g} GB stage cache provisioned all month")
    if endpoint == "private":
        ctx.note("private endpoint: no data transfer out charges (PrivateLink charges not modelled)")
        return
    via_cloudfront = ctx.inflow("origin")
    total = ctx.inflow(*{edge.kind for edge in ctx.graph.incoming[ctx.position]})
    internet = requests * (1 - via_cloudfront / total) if total > 0 else requests
    if via_cloudfront > 0:
        ctx.note("responses to CloudFront are free; only requests arriving directly pay data transfer out")
    ctx.charge("data_transfer.internet_out", _response_gb(ctx, internet), description="Responses to the internet")
    ctx.note(f"responses average {ctx.workload.avg_response_kb:g} KB (workload avg_response_kb)")


def cloudfront(ctx: ComponentCost) -> None:
    requests = ctx.flow("requests")
    if ctx.has_usage("data_out_gb"):
        data_out = ctx.usage("data_out_gb")
    else:
        data_out = _response_gb(ctx, requests)
        ctx.note(f"data out = requests × {ctx.workload.avg_response_kb:g} KB (workload avg_response_kb)")
    ctx.quantity("requests_per_month", requests)
    ctx.quantity("data_out_gb", data_out)
    ctx.charge("cloudfront.https_requests", requests)
    ctx.charge("cloudfront.data_out", data_out)
    ctx.note("all viewers served at United States, Mexico and Canada rates (other edge regions cost more)")


def s3_bucket(ctx: ComponentCost) -> None:
    storage = ctx.usage("storage_gb")
    gets, puts = ctx.flow("gets"), ctx.flow("puts")
    data_out = ctx.usage("data_out_gb", note=False)
    ctx.quantity("storage_gb", storage)
    ctx.quantity("get_requests_per_month", gets)
    ctx.quantity("put_requests_per_month", puts)
    ctx.charge("s3.storage", storage)
    ctx.charge("s3.get_requests", gets)
    ctx.charge("s3.put_requests", puts)
    if data_out:
        ctx.charge("data_transfer.internet_out", data_out, description="S3 data transfer out to the internet")
    if ctx.inflow("origin"):
        ctx.note("objects served through CloudFront: transfer from S3 to CloudFront is free")


def dynamodb_table(ctx: ComponentCost) -> None:
    reads, writes = ctx.flow("reads"), ctx.flow("writes")
    item_kb = ctx.usage("avg_item_kb")
    storage = ctx.usage("storage_gb")
    write_units = _chunks(item_kb, 1)  # one write unit per started KB
    read_units = _chunks(item_kb, 4) * 0.5  # eventually consistent: half a unit per started 4 KB
    ctx.quantity("reads_per_month", reads)
    ctx.quantity("writes_per_month", writes)
    ctx.note("reads are eventually consistent (half a read unit per 4 KB); no transactions")
    if ctx.prop("capacity_mode") == "provisioned":
        wcu, rcu = ctx.prop("wcu"), ctx.prop("rcu")
        ctx.charge("dynamodb.wcu_hours", wcu * ctx.hours)
        ctx.charge("dynamodb.rcu_hours", rcu * ctx.hours)
        seconds = ctx.hours * SECONDS_PER_HOUR
        need_w, need_r = writes * write_units / seconds, reads * read_units / seconds
        if need_w > wcu or need_r > rcu:
            ctx.note(
                f"average load needs {need_w:.1f} WCU and {need_r:.1f} RCU, more than provisioned "
                f"({wcu} / {rcu}): requests would be throttled"
            )
    else:
        ctx.charge("dynamodb.write_request_units", writes * write_units)
        ctx.charge("dynamodb.read_request_units", reads * read_units)
    ctx.charge("dynamodb.storage", storage)
    if ctx.prop("point_in_time_recovery"):
        ctx.charge("dynamodb.pitr", storage)
    if ctx.prop("stream", note=False):
        ctx.note("stream reads by Lambda triggers are free")


def sqs_queue(ctx: ComponentCost) -> None:
    fifo = bool(ctx.prop("fifo", note=False))
    size_kb = ctx.usage("avg_message_kb")
    chunks = _chunks(size_kb, 64)  # each 64 KB chunk of a payload is billed as one request
    if ctx.has_usage("requests_per_month"):
        api_requests = ctx.flow("requests")
        ctx.note("usage.requests_per_month counted as API requests (send, receive and delete)")
    else:
        messages = ctx.flow("requests")
        consumers = ctx.outgoing("poll")
        if consumers:
            batch = min(edge.batch_size for edge in consumers)
            api_requests = messages * (1 + 2 / batch)
            ctx.note(f"one SendMessage per message, ReceiveMessage and DeleteMessage per batch of {batch}")
        else:
            api_requests = messages
            ctx.note("no consumer in the design: only SendMessage requests counted")
        ctx.quantity("messages_per_month", messages)
    ctx.quantity("api_requests_per_month", api_requests * chunks)
    ctx.charge(f"sqs.{'fifo' if fifo else 'standard'}.requests", api_requests * chunks)


def kinesis_stream(ctx: ComponentCost) -> None:
    records = ctx.flow("records")
    record_kb = ctx.usage("avg_record_kb")
    retention = ctx.prop("retention_hours", note=False)
    data_gb = records * record_kb / KB_PER_GB
    ctx.quantity("records_per_month", records)
    if ctx.prop("mode") == "provisioned":
        shards = ctx.prop("shards")
        ctx.charge("kinesis.shard_hours", shards * ctx.hours)
        ctx.charge("kinesis.put_payload_units", records * _chunks(record_kb, 25))
        if retention > 24:
            ctx.charge("kinesis.extended_retention", shards * ctx.hours)
        per_second = records / (ctx.hours * SECONDS_PER_HOUR)
        needed = max(math.ceil(per_second / 1000), math.ceil(per_second * record_kb / 1024))
        if needed > shards:
            ctx.note(f"average load needs {needed} shards but {shards} are provisioned: writes would be throttled")
    else:
        ingested = records * _chunks(record_kb, 1) / KB_PER_GB  # records rounded up to 1 KB
        consumers = len(ctx.outgoing("poll"))
        ctx.charge("kinesis.on_demand.stream_hours", ctx.hours)
        ctx.charge("kinesis.on_demand.data_in", ingested)
        if consumers:
            ctx.charge("kinesis.on_demand.data_out", ingested * consumers)
        if retention > 24:
            ctx.charge("kinesis.on_demand.extended_retention", ingested * (min(retention, 168) - 24) / ctx.hours)
    if retention > 168:
        ctx.charge("kinesis.long_term_retention", data_gb * (retention - 168) / ctx.hours)


def sns_topic(ctx: ComponentCost) -> None:
    publishes = ctx.flow("requests")
    size_kb = ctx.usage("avg_message_kb")
    ctx.quantity("publishes_per_month", publishes)
    if ctx.prop("fifo", note=False):
        ctx.charge("sns.fifo.requests", publishes * _chunks(size_kb, 64))
        ctx.charge("sns.fifo.payload", publishes * size_kb / KB_PER_GB)
    else:
        ctx.charge("sns.standard.requests", publishes * _chunks(size_kb, 64))
    ctx.note("deliveries to Lambda and SQS subscribers are free; other protocols are not modelled")


def eventbridge_bus(ctx: ComponentCost) -> None:
    events = ctx.flow("requests")
    ctx.quantity("events_per_month", events)
    if ctx.prop("schedule_expression", note=False):
        ctx.note("scheduled rule: its invocations are not charged")
        return
    ctx.charge("eventbridge.custom_events", events)
    ctx.note("custom events of at most 64 KB each")


def eventbridge_pipe(ctx: ComponentCost) -> None:
    """Pipes bill the events that pass the filter, each 64 KB chunk of an event as one request."""
    events = ctx.flow("requests")
    passed = events * ctx.usage("filter_pass_ratio")
    chunks = _chunks(ctx.usage("avg_event_kb"), 64)
    ctx.quantity("events_per_month", events)
    ctx.quantity("requests_per_month", passed * chunks)
    ctx.charge("pipes.requests", passed * chunks)
    ctx.note("events the filter drops are not billed; the enrichment and the target bill on their own")


def eventbridge_api_destination(ctx: ComponentCost) -> None:
    """API destinations bill each invocation of the endpoint."""
    invocations = ctx.flow("requests")
    ctx.quantity("invocations_per_month", invocations)
    ctx.charge("eventbridge.api_destinations", invocations)
    ctx.note("payloads of at most 64 KB (each further 64 KB chunk is billed as another invocation)")


def scheduler_schedule(ctx: ComponentCost) -> None:
    """One schedule per delivery target, each invoked at the schedule's rate."""
    invocations = ctx.flow("requests")
    targets = max(1, len(ctx.outgoing("deliver")))
    ctx.quantity("invocations_per_month", invocations * targets)
    ctx.charge("scheduler.invocations", invocations * targets)
    if targets > 1:
        ctx.note(f"one schedule per target: {targets} schedules invoked {count_text(invocations)} times each")


def firehose_stream(ctx: ComponentCost) -> None:
    """Firehose bills the data ingested, each record rounded up to the next 5 KB."""
    records = ctx.flow("requests")
    billed_kb = _chunks(ctx.usage("avg_record_kb"), 5) * 5
    ctx.quantity("records_per_month", records)
    ctx.charge("firehose.ingestion", records * billed_kb / KB_PER_GB)
    ctx.note(f"each record billed as {billed_kb} KB (5 KB steps); delivery to S3 adds no Firehose charge")


def ses_identity(ctx: ComponentCost) -> None:
    """SES bills each outbound message (each recipient) and the attachment data sent."""
    emails = ctx.flow("requests")
    ctx.quantity("emails_per_month", emails)
    ctx.charge("ses.emails", emails)
    attachments = ctx.usage("attachments_gb")
    if attachments:
        ctx.charge("ses.attachments", attachments)
    ctx.note("each recipient of a message is billed as one e-mail; dedicated IPs and add-ons are not modelled")


def iot_rule(ctx: ComponentCost) -> None:
    """The rules engine bills each rule triggered and each action it executes."""
    messages = ctx.flow("requests")
    actions = len(ctx.outgoing("deliver"))
    ctx.quantity("rules_triggered_per_month", messages)
    ctx.charge("iot.rules_triggered", messages)
    if actions:
        ctx.charge("iot.actions_executed", messages * actions)
    ctx.note("messages of at most 5 KB (each further 5 KB counts as another rule triggered); error actions not counted")


def step_functions(ctx: ComponentCost) -> None:
    executions = ctx.flow("requests")
    ctx.quantity("executions_per_month", executions)
    if ctx.prop("workflow_type") == "express":
        duration_ms = ctx.usage("avg_duration_ms")
        billed_seconds = math.ceil(duration_ms / 100) * 100 / 1000  # 100 ms steps
        gb_hours = executions * billed_seconds * (64 / 1024) / SECONDS_PER_HOUR
        ctx.charge("sfn.express.requests", executions)
        ctx.charge("sfn.express.duration", gb_hours)
        ctx.note("Express executions use one 64 MB memory chunk")
    else:
        transitions = executions * ctx.usage("transitions_per_execution")
        ctx.quantity("state_transitions_per_month", transitions)
        ctx.charge("sfn.standard.transitions", transitions)


def cognito_user_pool(ctx: ComponentCost) -> None:
    if ctx.has_usage("monthly_active_users"):
        users = ctx.usage("monthly_active_users")
    else:
        users = ctx.workload.monthly_active_users
        ctx.note(f"{count_text(users)} monthly active users (workload monthly_active_users)")
    ctx.quantity("monthly_active_users", users)
    ctx.charge("cognito.essentials.mau", users)
    ctx.note("Essentials tier (the default for new user pools); SMS and email messages are not modelled")


PROXY_MIN_ACUS = 8  # RDS Proxy bills an Aurora Serverless v2 cluster for at least 8 ACUs


def aurora_serverless_v2(ctx: ComponentCost) -> None:
    """An Aurora Serverless v2 cluster (Aurora Standard): ACU-hours, storage and I/O requests.

    ``multi_az`` adds a Serverless v2 reader in a second zone. We bill it for the same average capacity
    as the writer: a reader in promotion tier 0 or 1 (the failover target AWS recommends) scales with
    the writer so it can take over at full size. Storage and I/O belong to the cluster volume, which is
    shared by all instances, so they are not doubled.
    """
    problems = aurora_capacity_problems(
        ctx.component.props, ctx.ctype.props.defaults(), ("components", ctx.position, "props")
    )
    if problems:
        raise Invalid(problems)
    low, high = float(ctx.prop("min_capacity_acu")), float(ctx.prop("max_capacity_acu"))
    if ctx.has_usage("average_acu"):
        average = ctx.usage("average_acu")
        if not low <= average <= high:
            clamped = min(max(average, low), high)
            ctx.note(f"usage.average_acu {average:g} is outside {low:g}–{high:g} ACU; billed at {clamped:g}")
            average = clamped
    else:
        average = low
        ctx.note(f"average capacity = min_capacity_acu, {low:g} ACU (set usage.average_acu for a busier cluster)")
    if low == 0:
        ctx.note("min_capacity_acu 0: the cluster may pause when idle, and paused hours cost no ACUs")
    instances = 2 if ctx.prop("multi_az") else 1
    acu_hours = average * instances * ctx.hours
    ctx.quantity("average_acu", average)
    ctx.quantity("acu_hours", acu_hours)
    ctx.charge("aurora.serverless_v2.capacity", acu_hours, pointer=ctx.pointer("props", "engine"))
    if instances == 2:
        ctx.note("multi_az: a Serverless v2 reader in a second zone, scaling with the writer (failover tier 0–1)")
    ctx.charge("aurora.storage", ctx.prop("storage_gb"))
    if ctx.has_usage("io_requests_per_month"):
        ctx.charge("aurora.io_requests", ctx.usage("io_requests_per_month"))
    else:
        ctx.note("no Aurora I/O requests estimated (set usage.io_requests_per_month; Aurora Standard bills them)")
    if ctx.prop("rds_proxy", note=False):
        ctx.charge("rds.proxy.serverless_v2", max(PROXY_MIN_ACUS, average * instances) * ctx.hours)
    ctx.note(
        "Aurora Standard configuration; backups up to the cluster's storage size are free; instance_class is ignored"
    )


def rds_instance(ctx: ComponentCost) -> None:
    engine = ctx.prop("engine")
    if engine in AURORA_ENGINES:
        aurora_serverless_v2(ctx)
        return
    instance_class = ctx.prop("instance_class")
    multi_az = bool(ctx.prop("multi_az"))
    az = "multi_az" if multi_az else "single_az"
    ctx.charge(f"rds.{engine}.{instance_class}.{az}", ctx.hours, pointer=ctx.pointer("props", "instance_class"))
    ctx.charge(f"rds.storage.{az}", ctx.prop("storage_gb"))
    if ctx.prop("rds_proxy", note=False):
        vcpus = max(2, ctx.snapshot.rds_vcpus.get(instance_class, 2))
        ctx.charge("rds.proxy", vcpus * ctx.hours)
    ctx.note("gp3 baseline storage performance; backups up to the allocated size are free")


def elasticache_cluster(ctx: ComponentCost) -> None:
    engine, node_type, nodes = ctx.prop("engine"), ctx.prop("node_type"), ctx.prop("nodes")
    ctx.charge(f"elasticache.{engine}.{node_type}", nodes * ctx.hours, pointer=ctx.pointer("props", "node_type"))


def opensearch_domain(ctx: ComponentCost) -> None:
    instance_type, count = ctx.prop("instance_type"), ctx.prop("instance_count")
    ctx.charge(f"opensearch.{instance_type}", count * ctx.hours, pointer=ctx.pointer("props", "instance_type"))
    ctx.charge("opensearch.storage", count * ctx.prop("storage_gb"))


def client(ctx: ComponentCost) -> None:
    ctx.quantity("requests_per_month", ctx.flow("requests"))


MODELS: dict[str, Callable[[ComponentCost], None]] = {
    "browser": client,
    "mobile_app": client,
    "cloudfront": cloudfront,
    "s3_bucket": s3_bucket,
    "api_gateway_rest": lambda ctx: api_gateway(ctx, http=False),
    "api_gateway_http": lambda ctx: api_gateway(ctx, http=True),
    "lambda_function": lambda_function,
    "cognito_user_pool": cognito_user_pool,
    "dynamodb_table": dynamodb_table,
    "sqs_queue": sqs_queue,
    "kinesis_stream": kinesis_stream,
    "sns_topic": sns_topic,
    "eventbridge_bus": eventbridge_bus,
    "step_functions": step_functions,
    "rds_instance": rds_instance,
    "elasticache_cluster": elasticache_cluster,
    "opensearch_domain": opensearch_domain,
    "eventbridge_pipe": eventbridge_pipe,
    "scheduler_schedule": scheduler_schedule,
    "ses_identity": ses_identity,
    "firehose_stream": firehose_stream,
    "eventbridge_api_destination": eventbridge_api_destination,
    "iot_rule": iot_rule,
}
