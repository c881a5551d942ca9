"""Traffic propagation along a design's connections (ARCHITECTURE §3). Pure Python, no Django.

Every component has one or more traffic *channels* (monthly counts): ``requests`` for most types,
``reads``/``writes`` for DynamoDB, ``gets``/``puts`` for S3 and ``records`` for Kinesis. A channel is

- the component's own ``usage`` field for it, when given (it overrides everything else);
- otherwise, for an entry point (a component no connection points at), the workload's requests for
  its first channel;
- otherwise the sum over incoming connections of the source's flow × the connection's factor.

The factor is the connection's ``ratio`` (default from the catalog: 1, or 0 for ``dead_letter``) with
three refinements, each reported as an assumption: a function's ``poll`` without an explicit ratio
invokes once per batch (1 / batch_size), while a pipe's counts every record; CloudFront forwards only
cache misses to an origin (and to origin-event edge functions); a cached Lambda authorizer runs only on
cache misses.

The graph is built once per design (``build_graph``) and propagated per workload (``propagate``),
so a cost curve reuses it. Cycles are allowed and solved by iteration; traffic that does not settle or
grows past ``MAX_QUANTITY`` raises ``TrafficOverflow``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apps.designs.catalog import Catalog
from apps.designs.document import Design

MAX_QUANTITY = 1e15
# Share of requests CloudFront serves from its cache with the caching-optimized managed policy. An
# assumption (real hit ratios depend on content and TTLs); origin traffic = 1 - this.
CLOUDFRONT_CACHE_HIT = 0.9
# Share of Lambda-authorizer calls served from the authorizer cache when results are cached for at least
# five minutes; shorter TTLs scale it down linearly. An assumption to override with the authorizer's usage.
AUTHORIZER_CACHE_HIT = 0.8
AUTHORIZER_FULL_TTL_S = 300

# Firehose writes one object per buffer flush, however many records it holds.
FIREHOSE_OBJECTS = (
    "Firehose writes one S3 object per buffer flush, not per record: no PUT requests counted unless the "
    "connection's ratio (objects per record) or the bucket's usage.put_requests_per_month says how many"
)

MAX_ITERATIONS = 2000
TOLERANCE = 1e-12


class TrafficOverflow(Exception):
    """Traffic into a component exceeds MAX_QUANTITY or never settles (a cycle with gain ≥ 1)."""

    def __init__(self, component: int, channel: str, value: float, *, settles: bool = True) -> None:
        self.component = component
        self.channel = channel
        self.value = value
        self.settles = settles
        super().__init__(f"component {component} {channel}: {value:g}")


@dataclass(frozen=True)
class Edge:
    connection: int
    source: int
    target: int
    kind: str
    factor: float
    source_channel: str
    target_channels: tuple[str, ...]
    batch_size: int = 1
    enhanced_fan_out: bool = False  # a poll through a dedicated Kinesis stream consumer
    props: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)  # the connection's own


@dataclass
class Graph:
    """A design's traffic graph: what does not depend on the workload."""

    channels: list[tuple[str, ...]]
    fixed: list[dict[str, float]]
    entry: list[bool]
    edges: list[Edge]
    incoming: list[list[Edge]]
    outgoing: list[list[Edge]]
    order: list[int]
    cyclic: bool
    notes: list[tuple[int, str]] = field(default_factory=list)


def channels_of(catalog: Catalog, component_type: str) -> tuple[str, ...]:
    """The traffic channels reaching a type, first the one it passes on (the catalog's ``meters``)."""
    return tuple(catalog.types[component_type].meters)


def usage_field(catalog: Catalog, component_type: str, channel: str) -> str | None:
    """The usage field that overrides ``channel`` for this type, if any."""
    return catalog.types[component_type].meters.get(channel)


def _source_channel(catalog: Catalog, source_type: str) -> str:
    if source_type == "s3_bucket":
        return "puts"  # S3 pushes events for objects written (ObjectCreated notifications)
    if source_type == "dynamodb_table":
        return "writes"  # a table's stream carries one record per write
    return channels_of(catalog, source_type)[0]


def _target_channels(
    catalog: Catalog, kind: str, target_type: str, props: Mapping[str, Any] | None = None
) -> tuple[str, ...]:
    if target_type == "dynamodb_table" and kind == "resolve":
        # A GraphQL mutation writes the table; a query (or a data source with no field yet) reads it.
        return ("writes",) if str((props or {}).get("field", "")).startswith("Mutation.") else ("reads",)
    if target_type == "dynamodb_table":
        # A service integration into a table is storage-first: PutItem.
        return {"read": ("reads",), "read_write": ("reads", "writes")}.get(kind, ("writes",))
    if target_type == "s3_bucket":
        return {"read": ("gets",), "origin": ("gets",), "read_write": ("gets", "puts"), "crawl": ("gets",)}.get(
            kind, ("puts",)
        )
    if target_type == "api_gateway_websocket" and kind == "write":
        return ("posts",)  # what functions post back to clients never reaches a route again
    return channels_of(catalog, target_type)[:1]


def _factor(kind: str, props: Mapping[str, Any], default_ratio: float, target_type: str) -> tuple[float, str]:
    """The connection's multiplier and, when it is more than the plain ratio, why."""
    if kind == "reference":
        return 0.0, ""  # the function reads the resource's Ref from its environment: no requests flow
    ratio = float(props.get("ratio", default_ratio))
    if kind == "destination" and "ratio" not in props and props.get("on", "failure") == "success":
        return 1.0, "on-success destination: every asynchronous invocation's result (no ratio given)"
    if kind == "poll" and target_type == "lambda_function":
        batch = int(props.get("batch_size", 10))
        if "ratio" not in props:
            return 1.0 / batch, f"invoked once per batch of {batch} records (1 / batch_size)"
        return ratio, f"explicit ratio {ratio:g} taken as invocations per record (batching included)"
    if kind == "origin":
        if props.get("cache_policy", "caching_optimized") == "caching_disabled":
            return ratio, "caching disabled: every request reaches the origin"
        miss = 1.0 - CLOUDFRONT_CACHE_HIT
        return (
            ratio * miss,
            f"caching optimized: assumed {CLOUDFRONT_CACHE_HIT:.0%} cache hits, {miss:.0%} reach the origin",
        )
    if kind == "edge":
        event = str(props.get("event_type", "viewer-response"))
        if event.startswith("origin-"):
            miss = 1.0 - CLOUDFRONT_CACHE_HIT
            return ratio * miss, f"{event} runs on cache misses only (assumed {miss:.0%} of requests)"
        return ratio, f"{event} runs on every viewer request"
    if kind == "authorize" and target_type == "lambda_function":
        ttl = int(props.get("cache_ttl_s", 300))
        hit = AUTHORIZER_CACHE_HIT * min(ttl, AUTHORIZER_FULL_TTL_S) / AUTHORIZER_FULL_TTL_S
        if hit > 0:
            return ratio * (1 - hit), f"authorizer results cached {ttl} s: assumed {hit:.0%} of calls served from cache"
        return ratio, "authorizer results not cached: invoked on every request"
    return ratio, ""


def build_graph(design: Design, catalog: Catalog) -> Graph:
    """The traffic graph of a validated design (connection factors, overrides, entry points, order)."""
    index = {component.id: position for position, component in enumerate(design.components)}
    count = len(design.components)
    channels = [channels_of(catalog, component.type) for component in design.components]
    fixed: list[dict[str, float]] = []
    for component, component_channels in zip(design.components, channels, strict=True):
        overrides: dict[str, float] = {}
        for channel in component_channels:
            name = usage_field(catalog, component.type, channel)
            if name is not None and name in component.usage:
                overrides[channel] = float(component.usage[name])
        fixed.append(overrides)

    edges: list[Edge] = []
    incoming: list[list[Edge]] = [[] for _ in range(count)]
    outgoing: list[list[Edge]] = [[] for _ in range(count)]
    notes: list[tuple[int, str]] = []
    for position, connection in enumerate(design.connections):
        source, target = index[connection.source], index[connection.target]
        kind = catalog.connection_kinds[connection.kind]
        default_ratio = float(kind.props.fields["ratio"].default) if "ratio" in kind.props.fields else 1.0
        target_type = design.components[target].type
        factor, why = _factor(connection.kind, connection.props, default_ratio, target_type)
        from_firehose = connection.kind == "deliver" and design.components[source].type == "firehose_stream"
        if from_firehose and "ratio" not in connection.props:  # objects follow the buffer, not the records
            factor, why = 0.0, FIREHOSE_OBJECTS
        if why:
            notes.append((target, f"connection {connection.id} ({connection.kind}): {why}"))
        # SES passes on the mail it receives, not the mail functions send through it.
        source_type = design.components[source].type
        source_channel = "received" if connection.kind == "receive" else _source_channel(catalog, source_type)
        edge = Edge(
            connection=position,
            source=source,
            target=target,
            kind=connection.kind,
            factor=factor,
            source_channel=source_channel,
            target_channels=_target_channels(catalog, connection.kind, target_type, connection.props),
            batch_size=int(connection.props.get("batch_size", 10)) if connection.kind == "poll" else 1,
            enhanced_fan_out=connection.kind == "poll" and bool(connection.props.get("enhanced_fan_out")),
            props=connection.props,
        )
        edges.append(edge)
        incoming[target].append(edge)
        outgoing[source].append(edge)

    entry = [not incoming[position] for position in range(count)]
    order, cyclic = _order(incoming, outgoing)
    return Graph(channels, fixed, entry, edges, incoming, outgoing, order, cyclic, notes)


def _order(incoming: list[list[Edge]], outgoing: list[list[Edge]]) -> tuple[list[int], bool]:
    """Kahn's topological order; components on or after a cycle follow in design order."""
    remaining = [len(edges) for edges in incoming]
    ready = [position for position, count in enumerate(remaining) if count == 0]
    order: list[int] = []
    while ready:
        position = ready.pop(0)
        order.append(position)
        for edge in outgoing[position]:
            remaining[edge.target] -= 1
            if remaining[edge.target] == 0:
                ready.append(edge.target)
    if len(order) == len(incoming):
        return order, False
    placed = set(order)
    return order + [position for position in range(len(incoming)) if position not in placed], True


def propagate(graph: Graph, entry_requests: float) -> list[dict[str, float]]:
    """Monthly flow of every channel of every component for a workload of ``entry_requests``."""
    flows: list[dict[str, float]] = [dict.fromkeys(channels, 0.0) for channels in graph.channels]
    free: list[list[str]] = []
    for position, channels in enumerate(graph.channels):
        flows[position].update(graph.fixed[position])
        if graph.entry[position] and channels[0] not in graph.fixed[position]:
            flows[position][channels[0]] = entry_requests
        free.append([] if graph.entry[position] else [ch for ch in channels if ch not in graph.fixed[position]])

    def settle_pass() -> float:
        change = 0.0
        for position in graph.order:
            for channel in free[position]:
                total = 0.0
                for edge in graph.incoming[position]:
                    if channel in edge.target_channels:
                        total += flows[edge.source][edge.source_channel] * edge.factor
                if not math.isfinite(total) or total > MAX_QUANTITY:
                    raise TrafficOverflow(position, channel, total, settles=not graph.cyclic)
                previous = flows[position][channel]
                flows[position][channel] = total
                change = max(change, abs(total - previous) / max(1.0, abs(total)))
        return change

    settle_pass()
    if graph.cyclic:
        for _ in range(MAX_ITERATIONS):
            if settle_pass() <= TOLERANCE:
                break
        else:
            worst = max(
                ((position, channel) for position in graph.order for channel in free[position]),
                key=lambda item: flows[item[0]][item[1]],
            )
            raise TrafficOverflow(worst[0], worst[1], flows[worst[0]][worst[1]], settles=False)
    return flows


def inflow(graph: Graph, flows: list[dict[str, float]], position: int, kinds: frozenset[str]) -> float:
    """Traffic reaching ``position`` through connections of the given kinds."""
    return sum(
        flows[edge.source][edge.source_channel] * edge.factor for edge in graph.incoming[position] if edge.kind in kinds
    )
