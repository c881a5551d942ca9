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
from apps.designs.firewall import web_acl_rules
from apps.designs.instances import EC2_CAPACITIES, instance_size

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


WEBSOCKET_FRAME_KB = 32  # messages are metered in 32 KB increments (the frame size)
WEBSOCKET_MAX_CONNECTION_MINUTES = 120  # API Gateway closes a connection after two hours


def api_gateway_websocket(ctx: ComponentCost) -> None:
    """Messages both ways (in 32 KB increments) and connection minutes; clients stay connected between messages."""
    received, posted = ctx.flow("messages"), ctx.flow("posts")
    messages = received + posted
    size_kb = ctx.usage("avg_message_kb")
    metered = _chunks(size_kb, WEBSOCKET_FRAME_KB)
    if metered > 1:
        ctx.note(f"{size_kb:g} KB messages are metered as {metered} messages each (32 KB increments)")
    if ctx.has_usage("connection_minutes_per_month"):
        minutes = ctx.usage("connection_minutes_per_month")
    else:
        session = ctx.usage("avg_session_minutes")
        if session > WEBSOCKET_MAX_CONNECTION_MINUTES:
            ctx.note(f"sessions of {session:g} minutes reconnect every 2 hours; billed as connected throughout")
        sessions = ctx.usage("sessions_per_user")
        minutes = ctx.workload.monthly_active_users * sessions * session
        ctx.note(
            f"connection minutes = {count_text(ctx.workload.monthly_active_users)} monthly active users × "
            f"{sessions:g} sessions × {session:g} minutes"
        )
    ctx.quantity("messages_per_month", received)
    ctx.quantity("posts_per_month", posted)
    ctx.quantity("connection_minutes_per_month", minutes)
    ctx.charge("apigw.websocket.messages", messages * metered)
    ctx.charge("apigw.websocket.connection_minutes", minutes)
    ctx.note("data transfer out of WebSocket messages is not modelled")


APPSYNC_UPDATE_KB = 5  # real-time updates are metered in 5 KB increments


def appsync_api(ctx: ComponentCost) -> None:
    """Query and mutation operations, real-time updates (5 KB increments) and connection minutes."""
    operations = ctx.flow("requests")
    updates = ctx.usage("realtime_updates_per_month", note=False)
    size_kb = ctx.usage("avg_update_kb", note=False)
    minutes = ctx.usage("connection_minutes_per_month", note=False)
    metered = _chunks(size_kb, APPSYNC_UPDATE_KB)
    if updates and metered > 1:
        ctx.note(f"{size_kb:g} KB updates are metered as {metered} updates each (5 KB increments)")
    ctx.quantity("requests_per_month", operations)
    ctx.quantity("realtime_updates_per_month", updates)
    ctx.quantity("connection_minutes_per_month", minutes)
    ctx.charge("appsync.operations", operations)
    ctx.charge("appsync.realtime_updates", updates * metered)
    ctx.charge("appsync.connection_minutes", minutes)
    ctx.note("caching, data transfer out and resolver data sources' own charges are not part of this line")


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


def waf_web_acl(ctx: ComponentCost) -> None:
    """A web ACL's monthly fee (prorated by the hour), its rules, and every request of what it protects."""
    months = ctx.hours / ctx.snapshot.hours_per_month
    ctx.charge("waf.web_acl", months)
    rules = len(web_acl_rules(lambda name: ctx.prop(name, note=False)))  # the rules the export writes
    if rules:
        ctx.charge("waf.rule", rules * months)
    if ctx.has_usage("requests_per_month"):
        requests = ctx.usage("requests_per_month")
    else:
        requests = sum(ctx.all_flows[edge.target].get("requests", 0.0) for edge in ctx.outgoing("protect"))
        ctx.note("inspects every request of the components it protects")
    ctx.quantity("requests_per_month", requests)
    ctx.charge("waf.requests", requests)


def lambda_layer(ctx: ComponentCost) -> None:
    ctx.note("Lambda layers are free: their size counts towards the account's 75 GB code storage quota")


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
        consumers = len([edge for edge in ctx.outgoing("poll") if not edge.enhanced_fan_out])
        ctx.charge("kinesis.on_demand.stream_hours", ctx.hours)
        ctx.charge("kinesis.on_demand.data_in", ingested)
        if consumers:
            ctx.charge("kinesis.on_demand.data_out", ingested * consumers)
        if retention > 24:
            ctx.charge("kinesis.on_demand.extended_retention", ingested * (min(retention, 168) - 24) / ctx.hours)
    if retention > 168:
        ctx.charge("kinesis.long_term_retention", data_gb * (retention - 168) / ctx.hours)
    _kinesis_enhanced_fan_out(ctx, data_gb)


def _kinesis_enhanced_fan_out(ctx: ComponentCost, data_gb: float) -> None:
    """Each enhanced fan-out consumer reads every record once more, through a pipe of its own per shard:
    per GB retrieved, and in provisioned mode per consumer-shard hour as well."""
    consumers = len([edge for edge in ctx.outgoing("poll") if edge.enhanced_fan_out])
    if not consumers:
        return
    ctx.quantity("enhanced_fan_out_consumers", consumers)
    if ctx.prop("mode", note=False) == "provisioned":
        shards = ctx.prop("shards", note=False)
        ctx.charge("kinesis.efo.consumer_shard_hours", consumers * shards * ctx.hours)
        ctx.charge("kinesis.efo.data_retrievals", data_gb * consumers)
    else:
        ctx.charge("kinesis.on_demand.efo.data_retrievals", data_gb * consumers)
    ctx.note(
        f"{consumers} enhanced fan-out consumer{'s' if consumers != 1 else ''}: each retrieves every record "
        "(its reads are not also billed as shared-throughput retrievals)"
    )


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
    received = ctx.flow("received")
    if received:
        chunks = _chunks(ctx.usage("avg_received_kb"), 256)
        ctx.quantity("emails_received_per_month", received)
        ctx.charge("ses.received", received)
        ctx.charge("ses.received_chunks", received * chunks)
        ctx.note(f"each received e-mail billed as {chunks} incoming chunk(s) of 256 KB")


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


MIB_PER_GB = 1024  # Fargate bills memory per GB of the task's MiB (1 GB = 1,024 MiB)


def fargate_task_hours(
    ctx: ComponentCost, task_hours: float, *, cpu_units: float, memory_mib: int, spot: bool = False
) -> None:
    """Fargate compute for ``task_hours`` hours of tasks of one size: vCPU-hours and GB-hours."""
    architecture = ctx.prop("architecture") if "architecture" in ctx.ctype.props.fields else "x86_64"
    pool = "fargate.spot" if spot else "fargate"
    vcpu_hours = task_hours * cpu_units / 1024
    gb_hours = task_hours * memory_mib / MIB_PER_GB
    ctx.quantity("task_hours", task_hours)
    ctx.quantity("vcpu_hours", vcpu_hours)
    ctx.quantity("gb_hours", gb_hours)
    ctx.charge(f"{pool}.vcpu.{architecture}", vcpu_hours, pointer=ctx.pointer("props", "architecture"))
    ctx.charge(f"{pool}.memory.{architecture}", gb_hours, pointer=ctx.pointer("props", "architecture"))


def ecs_service(ctx: ComponentCost) -> None:
    """An ECS service on Fargate: its tasks run all month whatever traffic they serve.

    Fargate bills the task size (not what the container uses) per second while a task runs; the 20 GB of
    ephemeral storage every task gets is included. Requests pass through to what the service calls.
    """
    ctx.quantity("requests_per_month", ctx.flow("requests"))
    if ctx.has_usage("average_tasks"):
        tasks = ctx.usage("average_tasks")
    else:
        tasks = float(ctx.prop("desired_count"))
        ctx.note(f"{tasks:g} tasks all month (desired_count; set usage.average_tasks when the service scales)")
    fargate_task_hours(ctx, tasks * ctx.hours, cpu_units=ctx.prop("cpu"), memory_mib=ctx.prop("memory_mb"))
    ctx.note("Fargate On-Demand, Linux; 20 GB ephemeral storage per task included; no Savings Plans applied")


# What one Load Balancer Capacity Unit covers for an hour, per dimension (ALB, us-east-1).
LCU_NEW_CONNECTIONS_PER_S = 25
LCU_ACTIVE_CONNECTIONS = 3000
LCU_PROCESSED_GB_PER_HOUR = 1.0  # EC2, container and IP targets (Lambda targets: 0.4 GB)
LCU_RULE_EVALUATIONS_PER_S = 1000
FREE_RULES = 10  # the first ten rules a request is evaluated against are not counted


def load_balancer(ctx: ComponentCost) -> None:
    """An Application Load Balancer: every hour it exists, plus LCU-hours for the dimension that dominates.

    Traffic is taken as spread evenly over the month, so the hourly LCU is the same every hour: the largest
    of new connections, active connections, processed bytes and rule evaluations, each over what one LCU
    covers.
    """
    requests = ctx.flow("requests")
    seconds = ctx.hours * SECONDS_PER_HOUR
    rate = requests / seconds if seconds else 0.0
    new_connections = rate / ctx.usage("requests_per_connection")
    active = new_connections * ctx.usage("avg_connection_s")
    gb_per_hour = requests * ctx.usage("avg_request_kb") / KB_PER_GB / ctx.hours if ctx.hours else 0.0
    if ctx.prop("balancer_type", note=False) == "network":
        network_load_balancer(ctx, requests, new_connections, active, gb_per_hour)
        return
    # One rule per 'forward' connection but the default action; the traffic graph does not carry path
    # patterns, so one of them is taken as the default (it only matters past the ten free rules).
    rules = max(0, len(ctx.outgoing("forward")) - 1)
    evaluations = rate * max(0, rules - FREE_RULES)
    dimensions = {
        "new connections": new_connections / LCU_NEW_CONNECTIONS_PER_S,
        "active connections": active / LCU_ACTIVE_CONNECTIONS,
        "processed bytes": gb_per_hour / LCU_PROCESSED_GB_PER_HOUR,
        "rule evaluations": evaluations / LCU_RULE_EVALUATIONS_PER_S,
    }
    ctx.quantity("requests_per_month", requests)
    bill_capacity_units(ctx, dimensions, "lcu", "elb.alb", "LCU")
    ctx.note("traffic spread evenly over the month; processed bytes counted at 1 GB per LCU (IP targets)")
    if ctx.inflow("integrate") > 0:
        # API Gateway's pricing page (https://aws.amazon.com/api-gateway/pricing/, read 2026-12-07) bills
        # HTTP and REST APIs for calls and data transfer out only; a VPC link has no charge of its own.
        ctx.note("requests from an API through a VPC link: the link has no charge of its own; the API bills its calls")


FARGATE_MINIMUM_S = 60  # Fargate bills per second with a one-minute minimum


# What one Network Load Balancer Capacity Unit covers for an hour: (new connections/s, active connections)
# for TCP and for TLS listeners; processed bytes are 1 GB an hour for both.
NLCU_CONNECTIONS = {"TCP": (800, 100_000), "TLS": (50, 3000)}
NLCU_PROCESSED_GB_PER_HOUR = 1.0


def bill_capacity_units(ctx: ComponentCost, dimensions: dict[str, float], unit: str, offer: str, label: str) -> None:
    """A load balancer's hours and capacity units: each hour bills the units of the dimension that needs the
    most (new connections, active connections, processed bytes, rule evaluations), as ELB does."""
    dominant = max(dimensions, key=lambda name: dimensions[name])
    units = dimensions[dominant]
    ctx.quantity(unit, units)
    ctx.charge(f"{offer}.hours", ctx.hours)
    ctx.charge(f"{offer}.{unit}", units * ctx.hours)
    if units > 0:
        ctx.note(f"{units:.4g} {label} an hour, from {dominant} (the dimension that dominates is billed)")


def network_load_balancer(
    ctx: ComponentCost, requests: float, new_connections: float, active: float, gb_per_hour: float
) -> None:
    """A Network Load Balancer: every hour it exists, plus NLCU-hours for the dimension that dominates."""
    listener = "TLS" if ctx.prop("certificate_arn", note=False) else "TCP"
    per_new, per_active = NLCU_CONNECTIONS[listener]
    dimensions = {
        "new connections": new_connections / per_new,
        "active connections": active / per_active,
        "processed bytes": gb_per_hour / NLCU_PROCESSED_GB_PER_HOUR,
    }
    ctx.quantity("requests_per_month", requests)
    bill_capacity_units(ctx, dimensions, "nlcu", "elb.nlb", f"NLCU ({listener})")
    ctx.note("traffic spread evenly over the month")
    if ctx.inflow("integrate") > 0:
        ctx.note("requests from an API through a VPC link: the link has no charge of its own; the API bills its calls")


def batch_job_queue(ctx: ComponentCost) -> None:
    """AWS Batch on Fargate: Batch itself is free; each job bills its size for its run time on Fargate.

    Retries are not counted (a job that fails and runs again bills again); Spot prices are the snapshot's.
    """
    jobs = ctx.flow("requests")
    seconds = max(ctx.usage("avg_duration_s"), FARGATE_MINIMUM_S)
    if ctx.prop("capacity") in EC2_CAPACITIES:
        batch_on_instances(ctx, jobs, seconds)
        return
    spot = ctx.prop("capacity") == "fargate_spot"
    ctx.quantity("jobs_per_month", jobs)
    fargate_task_hours(
        ctx,
        jobs * seconds / SECONDS_PER_HOUR,
        cpu_units=float(ctx.prop("vcpus")) * 1024,
        memory_mib=ctx.prop("memory_mb"),
        spot=spot,
    )
    ctx.note("AWS Batch adds no charge; jobs billed per second on Fargate (one minute at least), retries not counted")
    if spot:
        ctx.note("Fargate Spot prices vary with spare capacity; interrupted jobs that run again bill again")


def batch_on_instances(ctx: ComponentCost, jobs: float, seconds: float) -> None:
    """AWS Batch on EC2 or Spot: the instances bill per second (one minute at least) while they run jobs.

    The compute environment keeps no instance when no job waits (MinvCpus 0), so the instance hours are
    the jobs' hours times the share of an instance each job takes (its vCPUs or its memory, whichever is
    the larger share): jobs are taken as packed onto instances with no idle time. Spot is charged at the
    On-Demand rate, an upper bound: Spot prices move with spare capacity.
    """
    instance_type = ctx.prop("instance_type")
    cpus, mib = instance_size(instance_type)
    share = max(float(ctx.prop("vcpus")) / cpus, ctx.prop("memory_mb") / mib)
    instance_hours = jobs * seconds / SECONDS_PER_HOUR * share
    ctx.quantity("jobs_per_month", jobs)
    ctx.quantity("instance_hours", instance_hours)
    ctx.charge(f"ec2.linux.{instance_type}", instance_hours, pointer=ctx.pointer("props", "instance_type"))
    ctx.note(
        f"each job takes {share:.0%} of a {instance_type} ({cpus} vCPU, {mib // 1024} GiB); jobs packed onto "
        "instances with no idle time, which Batch launches for waiting jobs and stops when none wait"
    )
    ctx.note("AWS Batch adds no charge; the instances' EBS root volumes and retries are not counted")
    if ctx.prop("capacity") == "spot":
        ctx.note("Spot instances charged at the On-Demand rate, an upper bound: Spot prices vary with spare capacity")


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


HOURS_PER_MONTH = 730  # AWS prorates monthly charges (secrets, parameters, alarms) by the hour


def _calls(ctx: ComponentCost, kind: str) -> float:
    """API calls of a secret or parameter: its usage field, or one per request of the connected readers."""
    if ctx.has_usage("api_calls_per_month"):
        return ctx.usage("api_calls_per_month")
    calls = ctx.inflow(kind)
    ctx.note(f"{count_text(calls)} API calls a month: one per request of the functions that read it (no caching)")
    return calls


def secrets_manager_secret(ctx: ComponentCost) -> None:
    months = ctx.hours / HOURS_PER_MONTH
    calls = _calls(ctx, "read")
    ctx.quantity("api_calls_per_month", calls)
    ctx.charge("secretsmanager.secrets", months)
    ctx.charge("secretsmanager.api_calls", calls)
    if ctx.outgoing("rotate"):
        ctx.note("rotation runs a few times a month: its function's invocations and calls are not modelled")


def ssm_parameter(ctx: ComponentCost) -> None:
    calls = _calls(ctx, "read")
    ctx.quantity("api_calls_per_month", calls)
    advanced = ctx.prop("tier") == "Advanced"
    if advanced:
        ctx.charge("ssm.advanced_parameters", ctx.hours / HOURS_PER_MONTH)
    if advanced or ctx.prop("higher_throughput", note=False):
        ctx.charge("ssm.api_interactions", calls)
    else:
        ctx.note("standard parameter at standard throughput: storage and API calls are free")


def cloudwatch_alarm(ctx: ComponentCost) -> None:
    # An alarm on several metrics (metric math) is billed for each metric it watches.
    metrics = max(1, sum(1 for edge in ctx.graph.incoming[ctx.position] if edge.kind == "metric"))
    ctx.quantity("alarm_metrics", metrics)
    ctx.charge("cloudwatch.alarms.standard", metrics * ctx.hours / HOURS_PER_MONTH)
    ctx.note(f"{metrics} standard-resolution alarm metric{'s' if metrics > 1 else ''}, billed per metric-month")


def bedrock_model(ctx: ComponentCost) -> None:
    model = ctx.prop("model_id")
    requests = ctx.flow("requests")
    input_tokens = requests * ctx.usage("input_tokens_per_request")
    output_tokens = requests * ctx.usage("output_tokens_per_request")
    ctx.quantity("requests_per_month", requests)
    ctx.quantity("input_tokens", input_tokens)
    ctx.quantity("output_tokens", output_tokens)
    where = ctx.pointer("props", "model_id")
    ctx.charge(f"bedrock.{model}.input", input_tokens, pointer=where)
    ctx.charge(f"bedrock.{model}.output", output_tokens, pointer=where)
    ctx.note("on-demand throughput in the Region (no batch, provisioned throughput or cross-Region inference)")


COMPREHEND_MIN_UNITS = 3  # Comprehend bills each request for at least 3 units of 100 characters


def rekognition(ctx: ComponentCost) -> None:
    images = ctx.flow("requests")
    ctx.quantity("images_per_month", images)
    ctx.charge("rekognition.images", images)
    ctx.note(f"{ctx.prop('operation')} on stored or uploaded images (image APIs group 2 prices)")


def comprehend(ctx: ComponentCost) -> None:
    requests = ctx.flow("requests")
    characters = ctx.usage("avg_characters_per_request")
    units = max(COMPREHEND_MIN_UNITS, math.ceil(characters / 100))
    ctx.quantity("units", requests * units)
    ctx.charge("comprehend.units", requests * units)
    ctx.note(f"{units} units of 100 characters per request (at least {COMPREHEND_MIN_UNITS})")


def translate(ctx: ComponentCost) -> None:
    characters = ctx.flow("requests") * ctx.usage("avg_characters_per_request")
    ctx.quantity("characters", characters)
    ctx.charge("translate.characters", characters)
    ctx.note("real-time standard translation; custom terminology and active custom translation not modelled")


def textract(ctx: ComponentCost) -> None:
    pages = ctx.flow("requests") * ctx.usage("pages_per_request")
    ctx.quantity("pages", pages)
    ctx.charge(f"textract.{ctx.prop('features')}", pages, pointer=ctx.pointer("props", "features"))


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


def aurora_cluster(ctx: ComponentCost) -> None:
    """An Aurora cluster: a writer and ``readers`` readers, Serverless v2 (ACU-hours) or provisioned
    (instance-hours), plus the cluster volume's storage and, on Aurora Standard, its I/O requests.

    Serverless v2 readers are created in promotion tier 1, so they scale with the writer and are billed
    here for the same average capacity. Aurora I/O-Optimized has higher compute and storage rates and
    no I/O charge. Storage belongs to the cluster volume, shared by every instance, so it is counted once.
    """
    problems = aurora_capacity_problems(
        ctx.component.props, ctx.ctype.props.defaults(), ("components", ctx.position, "props")
    )
    if problems:
        raise Invalid(problems)
    optimized = ctx.prop("storage_configuration") == "io_optimized"
    config = "iopt" if optimized else "standard"
    prefix = "aurora.iopt." if optimized else "aurora."  # Aurora Standard's are the rds_instance meters
    instances = 1 + int(ctx.prop("readers"))
    ctx.quantity("instances", instances)
    if ctx.prop("capacity_mode") == "serverless_v2":
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
        acu_hours = average * instances * ctx.hours
        ctx.quantity("acu_hours", acu_hours)
        ctx.charge(f"{prefix}serverless_v2.capacity", acu_hours)
    else:
        instance_class = ctx.prop("instance_class")
        ctx.charge(
            f"aurora.{config}.{instance_class}",
            instances * ctx.hours,
            pointer=ctx.pointer("props", "instance_class"),
        )
    if instances > 1:
        ctx.note(f"{instances - 1} reader(s) billed like the writer (promotion tier 1)")
    ctx.charge(f"{prefix}storage", ctx.usage("storage_gb"))
    if optimized:
        ctx.note("Aurora I/O-Optimized: no charge for storage I/O requests")
    elif ctx.has_usage("io_requests_per_month"):
        ctx.charge("aurora.io_requests", ctx.usage("io_requests_per_month"))
    else:
        ctx.note("no Aurora I/O requests estimated (set usage.io_requests_per_month; Aurora Standard bills them)")
    ctx.note("backups up to the cluster's storage size are free; the Data API is not estimated")


def mq_broker(ctx: ComponentCost) -> None:
    """An Amazon MQ broker: instance-hours for each broker instance, and the storage its messages take.

    Multi-AZ runs two instances for ActiveMQ (active/standby) and three for RabbitMQ (a cluster), each
    billed at the instance type's rate. ActiveMQ stores messages in Amazon EFS, RabbitMQ in Amazon EBS.
    Messages themselves are not billed.
    """
    engine, instance_type = ctx.prop("engine"), ctx.prop("instance_type")
    multi_az = ctx.prop("deployment_mode") == "multi_az"
    instances = (2 if engine == "activemq" else 3) if multi_az else 1
    ctx.quantity("instances", instances)
    ctx.charge(f"mq.{engine}.{instance_type}", instances * ctx.hours, pointer=ctx.pointer("props", "instance_type"))
    storage = "efs" if engine == "activemq" else "ebs"
    ctx.charge(f"mq.{engine}.storage.{storage}", ctx.usage("storage_gb"))
    if multi_az:
        ctx.note(f"multi_az: {instances} broker instances ({'active/standby' if instances == 2 else 'cluster'})")


def documentdb_cluster(ctx: ComponentCost) -> None:
    """An Amazon DocumentDB cluster (standard storage): instance-hours for the primary and each replica,
    the cluster volume's storage and its I/O requests. Storage is shared by all instances."""
    instance_class, instances = ctx.prop("instance_class"), 1 + int(ctx.prop("readers"))
    ctx.quantity("instances", instances)
    ctx.charge(f"docdb.{instance_class}", instances * ctx.hours, pointer=ctx.pointer("props", "instance_class"))
    ctx.charge("docdb.storage", ctx.usage("storage_gb"))
    if ctx.has_usage("io_requests_per_month"):
        ctx.charge("docdb.io_requests", ctx.usage("io_requests_per_month"))
    else:
        ctx.note("no DocumentDB I/O requests estimated (set usage.io_requests_per_month)")
    ctx.note("backups up to the cluster's storage size are free")


def msk_cluster(ctx: ComponentCost) -> None:
    """Amazon MSK. Provisioned: broker-hours per broker type and the EBS storage of every broker.
    Serverless: cluster-hours, partition-hours, data retained, and data in (produced) and out (consumed)."""
    if ctx.prop("mode") == "serverless":
        records, record_kb = ctx.flow("requests"), ctx.usage("avg_record_kb")
        data_in = records * record_kb / KB_PER_GB
        consumers = len(ctx.outgoing("poll"))
        ctx.quantity("records_per_month", records)
        ctx.charge("msk.serverless.cluster_hours", ctx.hours)
        ctx.charge("msk.serverless.partition_hours", ctx.usage("partitions") * ctx.hours)
        ctx.charge("msk.serverless.storage", ctx.usage("storage_gb"))
        ctx.charge("msk.serverless.data_in", data_in)
        ctx.charge("msk.serverless.data_out", data_in * consumers)
        ctx.note(f"every record is read once by each of the {consumers} polling function(s)")
        return
    brokers = ctx.prop("brokers")
    ctx.charge(f"msk.{ctx.prop('broker_type')}", brokers * ctx.hours, pointer=ctx.pointer("props", "broker_type"))
    ctx.charge("msk.storage", brokers * ctx.prop("storage_gb"))
    ctx.note("provisioned brokers: data in and out within the region is not billed by MSK")


def efs_file_system(ctx: ComponentCost) -> None:
    """Amazon EFS (Regional): data stored in the Standard and Infrequent Access classes."""
    ctx.charge("efs.standard.storage", ctx.usage("storage_gb"))
    if ctx.usage("infrequent_access_gb", note=False) or ctx.prop("transition_to_ia_days", note=False):
        ctx.charge("efs.ia.storage", ctx.usage("infrequent_access_gb"))
    if ctx.prop("throughput_mode") == "elastic":
        ctx.note("Elastic throughput reads and writes (billed per GB transferred) are not estimated")


def opensearch_serverless_collection(ctx: ComponentCost) -> None:
    """OpenSearch Serverless: indexing and search OCU-hours (each at least its minimum) and storage.

    With redundancy (standby replicas), indexing and search each run at least 1 OCU (0.5 OCU in two
    zones); without it, at least 0.5 OCU each. AWS shares OCUs between the collections of an account
    that use the same encryption key, so the minimum is billed once per key, not per collection.
    """
    minimum = 1.0 if ctx.prop("redundancy") else 0.5
    for kind in ("indexing", "search"):
        name = f"{kind}_ocu"
        ocu = ctx.usage(name, note=False) if ctx.has_usage(name) else minimum
        if ocu < minimum:
            ctx.note(f"usage.{name} {ocu:g} is below the minimum of {minimum:g} OCU; billed at the minimum")
            ocu = minimum
        if not ctx.has_usage(name):
            ctx.note(f"{kind} at the minimum of {minimum:g} OCU (set usage.{name} for a busier collection)")
        ctx.quantity(name, ocu)
        ctx.charge(f"aoss.{kind}_ocu", ocu * ctx.hours)
    ctx.charge("aoss.storage", ctx.usage("storage_gb"))


KENDRA_EDITIONS = {
    "DEVELOPER_EDITION": "kendra.developer.hours",
    "ENTERPRISE_EDITION": "kendra.enterprise.hours",
    "GEN_AI_ENTERPRISE_EDITION": "kendra.genai_enterprise.hours",
}


def kendra_index(ctx: ComponentCost) -> None:
    """A Kendra index bills every hour by edition (queries within its base capacity are included), and its
    data sources the hours they sync and the documents they scan."""
    queries = ctx.flow("requests")
    ctx.quantity("queries_per_month", queries)
    ctx.charge(KENDRA_EDITIONS[ctx.prop("edition")], ctx.hours)
    if ctx.outgoing("crawl"):
        ctx.charge("kendra.connector.hours", ctx.usage("sync_hours_per_month"))
        ctx.charge("kendra.connector.documents", ctx.usage("documents_scanned_per_month"))
    ctx.note("base capacity only: extra storage or query capacity units are not modelled")


def glue_database(ctx: ComponentCost) -> None:
    """The Data Catalog bills objects stored and requests beyond a free million each; crawlers DPU-hours."""
    requests = ctx.flow("requests")
    ctx.quantity("requests_per_month", requests)
    ctx.charge("glue.catalog.requests", requests)
    ctx.charge("glue.catalog.objects", ctx.usage("catalog_objects"))
    if ctx.outgoing("crawl"):
        ctx.charge("glue.dpu_hours", ctx.usage("crawler_dpu_hours_per_month"))


def dsql_cluster(ctx: ComponentCost) -> None:
    """Aurora DSQL bills the DPUs its transactions use and the data stored; nothing while idle."""
    ctx.quantity("transactions_per_month", ctx.flow("requests"))
    dpus = ctx.usage("dpus_per_month")
    if dpus:
        ctx.charge("dsql.dpus", dpus)
    else:
        ctx.note("DPUs not estimated: set usage.dpus_per_month (CloudWatch's TotalDPU of a similar workload)")
    ctx.charge("dsql.storage", ctx.usage("storage_gb"))


def iot_thing(ctx: ComponentCost) -> None:
    """IoT Core bills the minutes devices stay connected and the messages they publish (5 KB steps)."""
    messages = ctx.flow("requests")
    steps = _chunks(ctx.usage("avg_message_kb"), 5)
    minutes = ctx.usage("devices") * ctx.usage("connected_minutes_per_device")
    ctx.quantity("messages_per_month", messages)
    ctx.charge("iot.connectivity", minutes)
    ctx.charge("iot.messages", messages * steps)
    ctx.note(f"each message billed as {steps} message(s) of 5 KB; the registry and device shadows are not billed here")


def ecr_repository(ctx: ComponentCost) -> None:
    """ECR bills the images stored; pulls by workloads in the same Region transfer no billable data."""
    ctx.charge("ecr.storage", ctx.usage("storage_gb"))


def client(ctx: ComponentCost) -> None:
    ctx.quantity("requests_per_month", ctx.flow("requests"))


def route53_zone(ctx: ComponentCost) -> None:
    """A hosted zone by the month, its standard queries, and a health check for each alias connection
    that names a path (HTTPS ones add the HTTPS feature). Alias queries to AWS resources are free."""
    months = ctx.hours / HOURS_PER_MONTH
    ctx.charge("route53.hosted_zones", months)
    queries = ctx.usage("queries_per_month", note=False)
    ctx.quantity("queries_per_month", queries)
    ctx.charge("route53.standard_queries", queries)
    ctx.note("queries of alias records to CloudFront, API Gateway and load balancers are free (not counted)")
    checks = [edge for edge in ctx.outgoing("alias") if edge.props.get("health_check_path")]
    if checks:
        ctx.quantity("health_checks", len(checks))
        ctx.charge("route53.health_checks", len(checks) * months)
        ctx.charge("route53.health_check_features", len(checks) * months)
        ctx.note(
            f"{len(checks)} health check(s) of AWS endpoints every 30 s, each with the HTTPS feature (one that "
            "checks a load balancer without a certificate uses HTTP and costs $1.00 a month less)"
        )


def acm_certificate(ctx: ComponentCost) -> None:
    ctx.charge("acm.public_certificates", ctx.hours / HOURS_PER_MONTH)
    ctx.note("public ACM certificates used by AWS services are free")


def custom_resource(ctx: ComponentCost) -> None:
    # AWS CloudFormation pricing: no charge for resource providers in the Custom::* namespace. The provider
    # function runs only when the stack is created, updated or deleted.
    ctx.note(
        "CloudFormation charges nothing for custom resources; the provider function runs only when the stack "
        "is created, updated or deleted (a few invocations, not modelled)"
    )


def kms_key(ctx: ComponentCost) -> None:
    requests = ctx.flow("requests")
    ctx.quantity("requests_per_month", requests)
    ctx.charge("kms.keys", ctx.hours / HOURS_PER_MONTH)
    ctx.charge("kms.requests", requests)
    if not ctx.has_usage("requests_per_month"):
        ctx.note("one KMS request per request of the connected workloads (no data key caching)")
    if ctx.prop("enable_key_rotation", note=False):
        ctx.note(
            "automatic rotation adds $1 a month for each newly generated backing key (not included: the first "
            "rotation comes only after rotation_period_days)"
        )


def cloudwatch_dashboard(ctx: ComponentCost) -> None:
    ctx.charge("cloudwatch.dashboards", ctx.hours / HOURS_PER_MONTH)
    ctx.note(
        "a custom dashboard-month; with the free tier, 3 dashboards of up to 50 metrics each are free per account "
        "(the metrics they graph are AWS's own and cost nothing more; API calls from people viewing are free)"
    )


def cloudtrail_trail(ctx: ComponentCost) -> None:
    if ctx.prop("include_management_events", note=False):
        if ctx.prop("first_trail"):
            ctx.note("the first copy of management events in each Region is free (no other trail records them)")
        else:
            events = ctx.usage("management_events_per_month")
            ctx.quantity("management_events_per_month", events)
            ctx.charge("cloudtrail.management_events.additional", events)
    data_events = 0.0
    for edge in ctx.graph.incoming[ctx.position]:
        if edge.kind != "audit":
            continue
        data_events += sum(ctx.all_flows[edge.source].values())
    ctx.quantity("data_events_per_month", data_events)
    if data_events:
        ctx.charge("cloudtrail.data_events", data_events)
        ctx.note(
            "one data event per request of each audited bucket (GETs and PUTs) and per invocation of each audited "
            "function: an upper bound where an audit connection records reads or writes only"
        )


def ssm_document(ctx: ComponentCost) -> None:
    executions = ctx.flow("requests")
    steps = len(ctx.outgoing("invoke"))
    ctx.quantity("requests_per_month", executions)
    ctx.quantity("steps", executions * steps)
    ctx.charge("ssm.automation_steps", executions * steps)
    ctx.note(f"{steps} basic Automation step{'s' if steps != 1 else ''} an execution, one per 'invoke' connection")


MODELS: dict[str, Callable[[ComponentCost], None]] = {
    "browser": client,
    "mobile_app": client,
    "cloudfront": cloudfront,
    "s3_bucket": s3_bucket,
    "api_gateway_rest": lambda ctx: api_gateway(ctx, http=False),
    "api_gateway_http": lambda ctx: api_gateway(ctx, http=True),
    "lambda_function": lambda_function,
    "lambda_layer": lambda_layer,
    "waf_web_acl": waf_web_acl,
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
    "ecs_service": ecs_service,
    "load_balancer": load_balancer,
    "secrets_manager_secret": secrets_manager_secret,
    "ssm_parameter": ssm_parameter,
    "cloudwatch_alarm": cloudwatch_alarm,
    "bedrock_model": bedrock_model,
    "aurora_cluster": aurora_cluster,
    "eventbridge_pipe": eventbridge_pipe,
    "scheduler_schedule": scheduler_schedule,
    "ses_identity": ses_identity,
    "firehose_stream": firehose_stream,
    "eventbridge_api_destination": eventbridge_api_destination,
    "batch_job_queue": batch_job_queue,
    "rekognition": rekognition,
    "comprehend": comprehend,
    "translate": translate,
    "textract": textract,
    "mq_broker": mq_broker,
    "documentdb_cluster": documentdb_cluster,
    "msk_cluster": msk_cluster,
    "efs_file_system": efs_file_system,
    "opensearch_serverless_collection": opensearch_serverless_collection,
    "api_gateway_websocket": api_gateway_websocket,
    "appsync_api": appsync_api,
    "iot_rule": iot_rule,
    "kendra_index": kendra_index,
    "glue_database": glue_database,
    "dsql_cluster": dsql_cluster,
    "iot_thing": iot_thing,
    "ecr_repository": ecr_repository,
    "route53_zone": route53_zone,
    "acm_certificate": acm_certificate,
    "custom_resource": custom_resource,
    "kms_key": kms_key,
    "cloudwatch_dashboard": cloudwatch_dashboard,
    "cloudtrail_trail": cloudtrail_trail,
    "ssm_document": ssm_document,
}
