"""Lambda concurrency: peak executions against the account's regional limit, and reserved concurrency.

Peak concurrency is estimated from monthly traffic (ARCHITECTURE §3 propagation, or the function's own
``requests_per_month``) by Little's law, with a documented peak factor:

    peak = requests_per_month / SECONDS_PER_MONTH × avg_duration_s × PEAK_FACTOR

A stream consumer runs at most one batch per shard × parallelization factor at a time, so a consumer
fed only by provisioned Kinesis streams is capped there. Lambda@Edge functions are left out: they run
in the regions nearest the viewers and count against those regions' limits, not the design's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from apps.designs.document import Component
from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

ACCOUNT_CONCURRENCY_LIMIT = 1000  # default concurrent executions per account and region (a soft quota)
UNRESERVED_MINIMUM = 100  # Lambda keeps this much concurrency unreserved in every account and region
SECONDS_PER_MONTH = 30 * 24 * 3600
# Traffic is not flat: the busiest hours of a day carry several times the monthly average rate. Three
# times the average is a common planning figure for consumer-facing APIs; it is an assumption that
# every message states, and explicit usage on a function is the way to refine it.
PEAK_FACTOR = 3.0


@dataclass(frozen=True)
class Peak:
    function: Component
    concurrency: float
    requests: float
    duration_s: float
    cap: int | None


def _stream_cap(ctx: ReviewContext, function: Component) -> int | None:
    """Shards × parallelization of the provisioned Kinesis streams that alone invoke the function."""
    sources = ctx.into(function, "invoke", "trigger", "poll", "authorize", "edge")
    if not sources or any(
        link.kind != "poll" or link.source.type != "kinesis_stream" or ctx.prop(link.source, "mode") != "provisioned"
        for link in sources
    ):
        return None
    return sum(
        int(ctx.prop(link.source, "shards")) * int(ctx.link_prop(link, "parallelization_factor")) for link in sources
    )


def peak_concurrency(ctx: ReviewContext, function: Component) -> Peak | None:
    """The function's estimated peak concurrent executions, or None when its traffic is unknown."""
    requests = ctx.monthly_requests(function)
    if requests is None:
        return None
    duration_s = float(ctx.usage(function, "avg_duration_ms")) / 1000
    concurrency = requests / SECONDS_PER_MONTH * duration_s * PEAK_FACTOR
    cap = _stream_cap(ctx, function)
    if cap is not None:
        concurrency = min(concurrency, cap)
    return Peak(function, concurrency, requests, duration_s, cap)


def _regional_functions(ctx: ReviewContext) -> dict[tuple[str, str], list[Component]]:
    """Functions that share one concurrency pool: same account group (or none) and same region."""
    pools: dict[tuple[str, str], list[Component]] = defaultdict(list)
    for function in ctx.of_type("lambda_function"):
        if ctx.prop(function, "role") == "edge" or ctx.into(function, "edge"):
            continue
        account = ctx.account_of(function)
        pools[(account.id if account else "", ctx.region_of(function))].append(function)
    return pools


def _pool_name(ctx: ReviewContext, account_id: str, region: str) -> str:
    return f"{ctx.group_name(ctx.groups.get(account_id) if account_id else None)} in {region}"


def _count(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _concurrency_above_account_limit(ctx: ReviewContext) -> Iterator[Hit]:
    for (account_id, region), functions in sorted(_regional_functions(ctx).items()):
        peaks = [p for p in (peak_concurrency(ctx, f) for f in functions) if p is not None and p.concurrency > 0]
        total = sum(p.concurrency for p in peaks)
        if total <= ACCOUNT_CONCURRENCY_LIMIT:
            continue
        biggest = sorted(peaks, key=lambda p: -p.concurrency)[:5]
        detail = "; ".join(
            f"{p.function.id} ≈ {_count(p.concurrency)} ({_count(p.requests)} requests/month × "
            f"{p.duration_s:g} s{', capped by its shards' if p.cap is not None and p.concurrency == p.cap else ''})"
            for p in biggest
        )
        yield Hit(
            tuple(p.function.id for p in peaks),
            f"Peak Lambda concurrency in {_pool_name(ctx, account_id, region)} is estimated at {_count(total)} "
            f"concurrent executions, above the default limit of {ACCOUNT_CONCURRENCY_LIMIT:,} per account and "
            f"region, so invocations beyond it are throttled. Largest: {detail}. Assumes the peak hour runs at "
            f"{PEAK_FACTOR:g}× the monthly average rate (a {SECONDS_PER_MONTH:,} s month).",
            "Request a higher concurrency quota through Service Quotas before launch, shorten the functions' "
            "duration, put a queue in front of work that can wait (storage first), or split services across "
            "accounts (one account per team).",
        )


def _reserved_concurrency_above_account_limit(ctx: ReviewContext) -> Iterator[Hit]:
    allowed = ACCOUNT_CONCURRENCY_LIMIT - UNRESERVED_MINIMUM
    for (account_id, region), functions in sorted(_regional_functions(ctx).items()):
        reserving = [f for f in functions if ctx.prop(f, "reserved_concurrency") is not None]
        total = sum(int(ctx.prop(f, "reserved_concurrency")) for f in reserving)
        if total <= allowed:
            continue
        yield Hit(
            tuple(f.id for f in reserving),
            f"Functions in {_pool_name(ctx, account_id, region)} reserve {total:,} concurrent executions in all, "
            f"but with the default limit of {ACCOUNT_CONCURRENCY_LIMIT:,} at most {allowed:,} can be reserved "
            f"(Lambda keeps {UNRESERVED_MINIMUM} unreserved), so the deployment fails.",
            "Lower reserved_concurrency, or raise the account's concurrency quota first.",
        )


def _reserved_concurrency_below_peak(ctx: ReviewContext) -> Iterator[Hit]:
    for function in ctx.of_type("lambda_function"):
        reserved = ctx.prop(function, "reserved_concurrency")
        if reserved is None:
            continue
        if int(reserved) == 0:
            yield Hit(
                (function.id,),
                f"{ctx.name(function)} reserves 0 concurrent executions, which throttles every invocation.",
                "Remove reserved_concurrency, or set it to the concurrency the function needs.",
            )
            continue
        peak = peak_concurrency(ctx, function)
        if peak is None or peak.concurrency <= int(reserved):
            continue
        yield Hit(
            (function.id,),
            f"{ctx.name(function)} reserves {int(reserved):,} concurrent executions but its peak is estimated at "
            f"{_count(peak.concurrency)} ({_count(peak.requests)} requests/month × {peak.duration_s:g} s × peak "
            f"factor {PEAK_FACTOR:g}), so invocations beyond the reservation are throttled.",
            "Raise reserved_concurrency above the peak, or remove it if it was not meant as a cap.",
        )


RULES = (
    Rule(
        id="concurrency-above-account-limit",
        severity="warning",
        title="Peak Lambda concurrency beyond the account's regional limit",
        reference=ref.both(ref.LAMBDA_CONCURRENCY, ref.LAMBDA_QUOTAS, ref.patterns("Pattern 2")),
        check=_concurrency_above_account_limit,
    ),
    Rule(
        id="reserved-concurrency-above-account-limit",
        severity="error",
        title="Reserved concurrency beyond what the account can reserve",
        reference=ref.LAMBDA_RESERVED,
        check=_reserved_concurrency_above_account_limit,
    ),
    Rule(
        id="reserved-concurrency-below-peak",
        severity="warning",
        title="A function's reserved concurrency is below its estimated peak",
        reference=ref.LAMBDA_RESERVED,
        check=_reserved_concurrency_below_peak,
    ),
)
