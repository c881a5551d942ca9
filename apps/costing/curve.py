"""Cost curves: total and per-tier monthly cost as the workload's requests scale from 10³ to 10⁹.

Pure Python, no Django. ``cost_curve`` re-prices the design at log-spaced traffic levels (the traffic
graph is built once); ``cost_curve_svg`` draws the result as a self-contained SVG line chart written
by hand: no plotting library, no scripts, no external references, every user string escaped.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from apps.core.pointers import Invalid, Problem
from apps.designs.document import Design

from .engine import cents, compute, engine_version, prepare, tidy
from .params import hours_value, merged_workload
from .pricing import PricingSnapshot

LOW, HIGH = 1e3, 1e9
MIN_POINTS, MAX_POINTS = 2, 500
MAX_REQUESTS = 1e13  # the design schema's bound on workload requests


def cost_curve(
    design: Design,
    *,
    points: int = 60,
    free_tier: bool = False,
    workload: Mapping[str, Any] | None = None,
    pricing: PricingSnapshot | None = None,
    hours_per_month: float | None = None,
    low: float = LOW,
    high: float = HIGH,
) -> dict[str, Any]:
    """Total and per-tier monthly USD at ``points`` log-spaced workloads from ``low`` to ``high`` requests.

    Only the workload's requests_per_month changes: a component's own usage figures stay fixed, which
    is what makes the curve show where each tier's cost comes from (fixed costs are flat lines).
    """
    problems = []
    if isinstance(points, bool) or not isinstance(points, int) or not MIN_POINTS <= points <= MAX_POINTS:
        problems.append(Problem("/params/points", f"must be an integer from {MIN_POINTS} to {MAX_POINTS}"))
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_REQUESTS:
            problems.append(Problem(f"/params/{name}", f"must be a number of requests from 1 to {MAX_REQUESTS:g}"))
    if not problems and low >= high:
        problems.append(Problem("/params/high", "must be more than low"))
    if not isinstance(free_tier, bool):
        problems.append(Problem("/params/free_tier", "must be true or false"))
    if problems:
        raise Invalid(problems)
    prepared = prepare(design, pricing)
    base = merged_workload(design, workload)
    hours = hours_value(hours_per_month, prepared.snapshot)
    tiers = [tier.id for tier in design.tiers]
    component_tier = [
        component.tier or ctype.tier for component, ctype in zip(design.components, prepared.types, strict=True)
    ]
    series = []
    for step in range(points):
        requests = high if step == points - 1 else low * (high / low) ** (step / (points - 1))
        computed = compute(
            prepared, base.model_copy(update={"requests_per_month": requests}), free_tier=free_tier, hours=hours
        )
        by_tier: dict[str, float] = defaultdict(float)
        for item in computed.priced:
            by_tier[component_tier[item.charge.component]] += item.usd
        series.append(
            {
                "requests_per_month": tidy(requests),
                "total_monthly_usd": float(cents(sum(by_tier.values()))),
                "by_tier": {tier: float(cents(by_tier.get(tier, 0.0))) for tier in tiers},
            }
        )
    catalog_tiers = prepared.catalog.tiers
    return {
        "name": design.name,
        "currency": prepared.snapshot.currency,
        "region": prepared.snapshot.region,
        "pricing_date": prepared.snapshot.date,
        "free_tier": free_tier,
        "x": "requests_per_month",
        "scale": "log",
        "tiers": tiers,
        "tier_labels": {
            tier.id: tier.label or (catalog_tiers[tier.id].label if tier.id in catalog_tiers else tier.id)
            for tier in design.tiers
        },
        "points": series,
        "assumptions": [
            "Only the workload's requests_per_month varies; components' own usage figures stay fixed.",
            "Each point is a full estimate; totals keep full precision until rounded to the cent.",
        ],
        "engine_version": engine_version(prepared.snapshot),
    }


# --- SVG -------------------------------------------------------------------------------------------

WIDTH, HEIGHT = 900, 480
LEFT, RIGHT, TOP, BOTTOM = 80, 210, 56, 60
FLOOR_USD = 0.01  # costs below a cent sit on the bottom axis (the y axis is logarithmic)
TOTAL_COLOR = "#232F3E"
TIER_COLORS = ("#8C4FFF", "#E7157B", "#3B48CC", "#D45B07", "#7AA116", "#01A88D", "#C7131F")


def _text(value: Any) -> str:
    """User text made safe for XML: control characters dropped, markup characters escaped."""
    cleaned = "".join(ch for ch in str(value) if ch in "\t\n\r" or ord(ch) >= 0x20)
    return escape(cleaned, {'"': "&quot;", "'": "&apos;"})


def _short(value: float, prefix: str = "") -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{prefix}{value / limit:g}{suffix}"
    return f"{prefix}{value:g}"


def _number(value: float) -> str:
    return f"{value:.2f}"


def cost_curve_svg(curve: Mapping[str, Any]) -> bytes:
    """A deterministic, self-contained SVG line chart of a ``cost_curve`` result (log-log axes)."""
    points = curve.get("points")
    if not isinstance(points, list) or len(points) < 2:
        raise Invalid([Problem("/points", "a cost curve needs at least two points")])
    tiers = list(curve.get("tiers") or [])
    labels = curve.get("tier_labels") or {}
    xs = [float(point["requests_per_month"]) for point in points]
    values = [float(point["total_monthly_usd"]) for point in points]
    values += [float(point["by_tier"].get(tier, 0)) for point in points for tier in tiers]
    x_low, x_high = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    x_high = max(x_high, x_low + 1)
    y_low = math.floor(math.log10(FLOOR_USD))
    y_high = max(y_low + 1, math.ceil(math.log10(max(max(values), 1.0))))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(requests: float) -> float:
        return LEFT + (math.log10(requests) - x_low) / (x_high - x_low) * plot_w

    def py(usd: float) -> float:
        return TOP + plot_h - (math.log10(max(usd, FLOOR_USD)) - y_low) / (y_high - y_low) * plot_h

    title = f"Monthly cost vs. traffic: {curve.get('name', '')}"
    subtitle = f"{curve.get('currency', 'USD')}, {curve.get('region', '')} prices of {curve.get('pricing_date', '')}"
    if curve.get("free_tier"):
        subtitle += ", free tier applied"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_text(title)}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{_text(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>',
        f'<text x="{LEFT}" y="24" font-size="16" font-weight="bold">{_text(title)}</text>',
        f'<text x="{LEFT}" y="42" fill="#555555">{_text(subtitle)}</text>',
    ]
    for decade in range(x_low, x_high + 1):
        x = _number(px(10.0**decade))
        out.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + plot_h}" stroke="#E5E5E5"/>')
        out.append(f'<text x="{x}" y="{TOP + plot_h + 18}" text-anchor="middle">{_short(10.0**decade)}</text>')
    for decade in range(y_low, y_high + 1):
        y = _number(py(10.0**decade))
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot_w}" y2="{y}" stroke="#E5E5E5"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dy="4">{_short(10.0**decade, "$")}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999999"/>')
    out.append(f'<text x="{LEFT + plot_w / 2:.2f}" y="{HEIGHT - 16}" text-anchor="middle">Requests per month</text>')
    out.append(
        f'<text transform="translate(18 {TOP + plot_h / 2:.2f}) rotate(-90)" text-anchor="middle">'
        "Monthly cost (USD, log scale)</text>"
    )
    series = [("Total", TOTAL_COLOR, [float(point["total_monthly_usd"]) for point in points], "3")]
    for index, tier in enumerate(tiers):
        color = TIER_COLORS[index % len(TIER_COLORS)]
        series.append((str(labels.get(tier, tier)), color, [float(p["by_tier"].get(tier, 0)) for p in points], "2"))
    for position, (label, color, ys, width) in enumerate(series):
        path = " ".join(f"{_number(px(x))},{_number(py(y))}" for x, y in zip(xs, ys, strict=True))
        dash = "" if position == 0 else ' stroke-dasharray="6 3"' if position % 2 == 0 else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="{width}"{dash}/>')
        legend_y = TOP + 10 + position * 22
        legend_x = LEFT + plot_w + 16
        out.append(
            f'<line x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 24}" y2="{legend_y}" stroke="{color}" '
            f'stroke-width="{width}"{dash}/>'
        )
        out.append(f'<text x="{legend_x + 30}" y="{legend_y + 4}">{_text(label)}</text>')
    last = points[-1]
    out.append(
        f'<text x="{LEFT + plot_w + 16}" y="{TOP + 16 + len(series) * 22}" fill="#555555">'
        f"At {_short(float(last['requests_per_month']))}: ${Decimal(str(last['total_monthly_usd'])):,.2f}</text>"
    )
    out.append(
        f'<text x="{LEFT + plot_w + 16}" y="{TOP + 34 + len(series) * 22}" fill="#555555" font-size="11">'
        "Under $0.01: on the bottom axis</text>"
    )
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
