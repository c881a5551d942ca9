"""The estimate engine: a validated design (plus options) → the estimate JSON of ARCHITECTURE §4.

Pure Python, no Django. Three steps:

1. ``prepare``: check the usage figures and build the traffic graph (once per design);
2. ``compute``: propagate the workload, run each component's cost model, then price every meter once
   for the whole design: an always-free allowance (when asked for) is taken once per account from the
   service total, volume tiers apply to what is left, and each component's share of the meter's cost is
   proportional to its share of the quantity;
3. ``render``: line items, component, tier and design totals, and every assumption made.

Rounding: each line's ``usd`` is rounded half-up to the cent, as AWS's worked examples round each
charge; a component's ``monthly_usd`` is the sum of its rounded lines and the totals are sums of
those, so the JSON always adds up. ``usd_exact`` keeps each line's full precision; cost curves use it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from apps.core.pointers import Invalid, Problem, json_pointer
from apps.designs.catalog import Catalog, ComponentType, get_catalog
from apps.designs.document import Design, Workload, account_region

from .models import MODELS, Charge, ComponentCost, count_text
from .params import hours_value, merged_workload
from .pricing import PricingSnapshot, default_snapshot
from .traffic import MAX_QUANTITY, Graph, TrafficOverflow, build_graph, propagate, usage_field

ENGINE_VERSION = "estimate-1"
CENT = Decimal("0.01")
# Types no cost model can price, with why (the catalog's `not_estimated`): each is listed in the
# assumptions as not estimated, never shown as a silent $0.
NOT_ESTIMATED = {ctype.name: ctype.not_estimated for ctype in get_catalog() if ctype.not_estimated}


def engine_version(pricing: PricingSnapshot | None = None) -> str:
    """Changes whenever the same design and params could give a different estimate (code or prices)."""
    snapshot = pricing or default_snapshot()
    return f"{ENGINE_VERSION}/pricing-{snapshot.region}-{snapshot.date}"


def cents(value: float) -> Decimal:
    """Half-up rounding to the cent of the float as written (so 1.005 → 1.01, like a person would)."""
    return Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def tidy(value: float) -> float:
    """A quantity without float noise (10 significant digits) for the JSON."""
    return float(f"{value:.10g}")


@dataclass
class Prepared:
    design: Design
    catalog: Catalog
    snapshot: PricingSnapshot
    graph: Graph
    types: list[ComponentType]


@dataclass(frozen=True)
class Priced:
    """A charge with its share of its meter's cost."""

    charge: Charge
    usd: float
    billable: float
    free: float
    unit_price: float


@dataclass
class Computed:
    workload: Workload
    hours: float
    free_tier: bool
    contexts: list[ComponentCost]
    priced: list[Priced]


def prepare(design: Design, pricing: PricingSnapshot | None = None) -> Prepared:
    """Check a design's usage figures and build its traffic graph (independent of the workload)."""
    catalog = get_catalog()
    problems = []
    for position, component in enumerate(design.components):
        for name, value in component.usage.items():
            pointer = json_pointer(("components", position, "usage", name))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                problems.append(Problem(pointer, "must be a finite number"))
            elif value < 0:
                problems.append(Problem(pointer, "must not be negative"))
            elif value > MAX_QUANTITY:
                problems.append(Problem(pointer, f"{value:g} is beyond any real workload (at most 1e15)"))
        ctype = catalog.types.get(component.type)
        if ctype is None or (component.type not in MODELS and not ctype.not_estimated):
            problems.append(Problem(json_pointer(("components", position, "type")), "no cost model for this type"))
    if problems:
        raise Invalid(problems)
    types = [catalog.types[component.type] for component in design.components]
    return Prepared(design, catalog, pricing or default_snapshot(), build_graph(design, catalog), types)


def compute(prepared: Prepared, workload: Workload, *, free_tier: bool, hours: float) -> Computed:
    """Propagate the workload, run the cost models and price every meter once for the design."""
    design, graph = prepared.design, prepared.graph
    try:
        flows = propagate(graph, float(workload.requests_per_month))
    except TrafficOverflow as exc:
        component = design.components[exc.component]
        name = usage_field(prepared.catalog, component.type, exc.channel) or exc.channel
        why = "beyond 1e15 a month" if exc.settles else "traffic loops through a cycle of connections without settling"
        raise Invalid(
            [Problem(json_pointer(("components", exc.component, "usage", name)),
                     f"derived {exc.channel} ({exc.value:g}) is {why}; check the ratios of the incoming connections")]
        ) from None  # fmt: skip
    contexts = []
    for position, (component, ctype) in enumerate(zip(design.components, prepared.types, strict=True)):
        ctx = ComponentCost(
            position, component, ctype, flows[position], graph, flows, workload, hours, prepared.snapshot
        )
        if ctype.not_estimated:
            ctx.notes.append(_not_estimated(component, ctype))
        else:
            MODELS[component.type](ctx)
        contexts.append(ctx)
    charges = [charge for ctx in contexts for charge in ctx.charges]
    return Computed(workload, hours, free_tier, contexts, price(charges, prepared.snapshot, free_tier=free_tier))


def price(charges: list[Charge], snapshot: PricingSnapshot, *, free_tier: bool) -> list[Priced]:
    """Price each meter on its design-wide total, then share the cost out in proportion to quantity."""
    totals: dict[str, float] = defaultdict(float)
    for charge in charges:
        totals[charge.meter] += charge.quantity
    billable_share = dict.fromkeys(totals, 1.0)
    if free_tier:
        pools: dict[str, list[str]] = defaultdict(list)
        for meter_id in totals:
            free = snapshot.meters[meter_id].free_tier
            if free is not None and free.kind == "always":
                pools[free.pool].append(meter_id)
        for members in pools.values():
            allowance = snapshot.meters[members[0]].free_tier.amount  # type: ignore[union-attr]
            used = sum(totals[meter_id] for meter_id in members)
            if used > 0:
                for meter_id in members:
                    billable_share[meter_id] = max(0.0, 1.0 - allowance / used)
    meter_cost: dict[str, tuple[float, float]] = {}
    for meter_id, total in totals.items():
        meter = snapshot.meters[meter_id]
        billable = total * billable_share[meter_id]
        usd, bands = meter.cost(billable)
        if len(bands) == 1:
            unit_price = bands[0][1]
        elif not bands:
            unit_price = meter.tiers[0].price
        else:
            unit_price = usd / (billable / meter.unit_size)  # blended across volume tiers
        meter_cost[meter_id] = (usd, unit_price)
    priced = []
    for charge in charges:
        total = totals[charge.meter]
        share = charge.quantity / total if total > 0 else 0.0
        usd, unit_price = meter_cost[charge.meter]
        billable = charge.quantity * billable_share[charge.meter]
        priced.append(Priced(charge, usd * share, billable, charge.quantity - billable, unit_price))
    return priced


def render(prepared: Prepared, computed: Computed) -> dict[str, Any]:
    """The estimate JSON (ARCHITECTURE §4 plus per-component tier, label, quantities and line meters)."""
    design, snapshot = prepared.design, prepared.snapshot
    by_component: dict[int, list[Priced]] = defaultdict(list)
    for item in computed.priced:
        by_component[item.charge.component].append(item)
    components = []
    by_tier: dict[str, Decimal] = {tier.id: Decimal(0) for tier in design.tiers}
    total = Decimal(0)
    for ctx in computed.contexts:
        lines = [_line(items, snapshot) for items in _merged(by_component[ctx.position])]
        monthly = sum((Decimal(str(line["usd"])) for line in lines), Decimal(0))
        tier = ctx.component.tier or ctx.ctype.tier
        by_tier[tier] = by_tier.get(tier, Decimal(0)) + monthly
        total += monthly
        components.append(
            {
                "id": ctx.component.id,
                "type": ctx.component.type,
                "label": ctx.component.label,
                "tier": tier,
                "monthly_usd": float(monthly),
                "lines": lines,
                "quantities": {name: tidy(value) for name, value in ctx.quantities.items()},
            }
        )
    result = {
        "currency": snapshot.currency,
        "region": snapshot.region,
        "pricing_date": snapshot.date,
        "free_tier": computed.free_tier,
        "total_monthly_usd": float(total),
        "by_tier": {tier: float(value) for tier, value in by_tier.items()},
        "components": components,
        "assumptions": assumptions(prepared, computed),
        "workload": computed.workload.model_dump(),
        "hours_per_month": computed.hours,
        "engine_version": engine_version(snapshot),
    }
    _check_sane(result)
    return result


def _merged(items: list[Priced]) -> list[list[Priced]]:
    """A component's charges grouped by meter and description, in first-seen order."""
    groups: dict[tuple[str, str | None], list[Priced]] = {}
    for item in items:
        groups.setdefault((item.charge.meter, item.charge.description), []).append(item)
    return list(groups.values())


def _line(items: list[Priced], snapshot: PricingSnapshot) -> dict[str, Any]:
    meter = snapshot.meters[items[0].charge.meter]
    usd = sum(item.usd for item in items)
    line: dict[str, Any] = {
        "description": items[0].charge.description or meter.description,
        "quantity": tidy(sum(item.billable for item in items) / meter.unit_size),
        "unit": meter.unit,
        "unit_price_usd": items[0].unit_price,
        "usd": float(cents(usd)),
        "usd_exact": usd,
        "meter": meter.id,
        "verified_price": meter.verified,
    }
    free = sum(item.free for item in items)
    if free > 0:
        line["free_quantity"] = tidy(free / meter.unit_size)
    return line


def assumptions(prepared: Prepared, computed: Computed) -> list[str]:
    """Every assumption of the estimate, global ones first, then per component (no duplicates)."""
    design, snapshot, graph = prepared.design, prepared.snapshot, prepared.graph
    found = [
        f"Prices: AWS list prices for {snapshot.location or snapshot.region} from the pricing snapshot dated "
        f"{snapshot.date}, in {snapshot.currency}, before tax, without Savings Plans or reserved capacity.",
        f"A month is {computed.hours:g} hours: instances, shards, caches and provisioned capacity run all month.",
        "1 GB = 1,024 MB = 1,048,576 KB, as in AWS's worked examples.",
    ]
    if design.region != snapshot.region:
        found.append(f"The design's region {design.region} is priced with {snapshot.region} prices.")
    for group in design.groups:
        region = account_region(design, group) if group.kind == "account" else design.region
        if region not in (design.region, snapshot.region):
            found.append(f"Account {group.id} runs in {region}, priced with {snapshot.region} prices.")
    entries = [
        component.id
        for component, ctype, entry in zip(design.components, prepared.types, graph.entry, strict=True)
        if entry and not ctype.not_estimated
    ]
    if entries:
        found.append(
            f"Entry points (no connection points at them: {', '.join(entries)}) each take the workload's "
            f"{count_text(computed.workload.requests_per_month)} requests a month; a component's own usage figures "
            "override the traffic that flows in."
        )
    found.append(
        "Every connection kind but reference carries traffic: the target receives the source's traffic × the connection's "
        "ratio (catalog default 1, 0 for dead_letter). read/write/read_write into DynamoDB and S3 count "
        "reads/GETs and writes/PUTs (read_write: one of each per request); authorize into Cognito carries "
        "traffic but Cognito bills monthly active users."
    )
    if computed.free_tier:
        found.append(
            "Free tier: each always-free allowance is applied once per account to the service's total across all "
            "components, and shared among them in proportion to their usage; 12-month offers (API Gateway, S3, RDS, "
            "OpenSearch…) are not applied."
        )
    else:
        found.append("Free tier not applied (as in the AWS Pricing Calculator); ask for it with free_tier.")
    found.append(
        "Volume tiers apply to each service's monthly total across the design (after any free allowance); a "
        "component pays its share in proportion to its usage, so its line shows the blended unit price."
    )
    found.append(
        "Rounding: each line is rounded half-up to the cent, as AWS's worked examples round each charge; "
        "component totals are sums of their lines and the design total the sum of component totals "
        "(usd_exact keeps full precision)."
    )
    used = sorted({item.charge.meter for item in computed.priced if item.charge.quantity > 0})
    unverified = [meter_id for meter_id in used if not snapshot.meters[meter_id].verified]
    if unverified:
        found.append(
            "Prices not yet verified against an AWS page (best-known public prices): " + ", ".join(unverified) + "."
        )
    for group in design.groups:
        nat = int(group.props.get("nat_gateways", 0) or 0)
        if nat:
            found.append(f"Group {group.id}: {nat} NAT gateway(s) are not priced.")
    for target, text in graph.notes:
        found.append(f"{design.components[target].id}: {text}")
    for ctx in computed.contexts:
        found.extend(ctx.notes)
    return list(dict.fromkeys(found))


def _not_estimated(component: Any, ctype: ComponentType) -> str:
    what = {**ctype.props.defaults(), **component.props}.get("resource_type")
    what = what if isinstance(what, str) else component.type
    return f"{component.id}: {what} is not estimated ({ctype.not_estimated}); add its cost yourself."


def _check_sane(result: dict[str, Any]) -> None:
    # A guard, not validation: inputs are checked before pricing, so a failure here is a bug.
    numbers = [result["total_monthly_usd"], *result["by_tier"].values()]
    for component in result["components"]:
        numbers.append(component["monthly_usd"])
        for line in component["lines"]:
            numbers += [line["quantity"], line["unit_price_usd"], line["usd"], line["usd_exact"]]
    if any(not math.isfinite(value) or value < 0 for value in numbers):
        raise ValueError("estimate produced a negative or non-finite amount")


def estimate(
    design: Design,
    *,
    free_tier: bool = False,
    workload: Mapping[str, Any] | None = None,
    pricing: PricingSnapshot | None = None,
    hours_per_month: float | None = None,
) -> dict[str, Any]:
    """Estimate the monthly cost of a validated design (the estimate JSON of ARCHITECTURE §4).

    ``workload`` overrides fields of the design's workload; ``pricing`` defaults to the shipped us-east-1
    snapshot; ``hours_per_month`` defaults to the snapshot's 730. Raises ``Invalid`` (with JSON pointers
    into the design or into ``/params``) for usage that cannot be priced.
    """
    if not isinstance(free_tier, bool):
        raise Invalid([Problem("/params/free_tier", "must be true or false")])
    prepared = prepare(design, pricing)
    merged = merged_workload(design, workload)
    hours = hours_value(hours_per_month, prepared.snapshot)
    return render(prepared, compute(prepared, merged, free_tier=free_tier, hours=hours))
