"""Benchmark: the estimate engine on designs of 10, 100 and 500 components, and a 60-point cost curve.

Designs are API → function → store chains (tests/rendering/designs.py ``chain_design``), with a VPC
around some so RDS appears. For each size it times, as medians over several runs, in this process:
- estimate: ``estimate(design)`` (traffic propagation, cost models, pricing, the JSON);
- free tier: the same with ``free_tier=True``;
- curve: ``cost_curve(design, points=60)`` (the graph is built once, each point is a full estimate);
- svg: ``cost_curve_svg`` of that curve.

Run: .venv/bin/python bench/estimate.py [--runs N] [--sizes 10,100,500]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.costing import cost_curve, cost_curve_svg, estimate  # noqa: E402
from apps.designs.document import validate_design  # noqa: E402
from tests.rendering.designs import chain_design  # noqa: E402


def median_ms(action: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``action`` in milliseconds, after one untimed warm-up run."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (median reported)")
    parser.add_argument("--sizes", default="10,100,500", help="comma-separated component counts")
    args = parser.parse_args()

    print(f"{'components':>10} {'connections':>11} {'estimate ms':>12} {'free tier ms':>13} "
          f"{'60-pt curve ms':>15} {'svg ms':>7} {'total USD':>12}")  # fmt: skip
    for size in (int(part) for part in args.sizes.split(",")):
        design = validate_design(chain_design(size, name=f"Bench {size}"))
        result = estimate(design)
        curve = cost_curve(design, points=60)
        timings = (
            median_ms(partial(estimate, design), args.runs),
            median_ms(partial(estimate, design, free_tier=True), args.runs),
            median_ms(partial(cost_curve, design, points=60), max(3, args.runs // 2)),
            median_ms(partial(cost_curve_svg, curve), args.runs),
        )
        print(
            f"{len(design.components):>10} {len(design.connections):>11} {timings[0]:>12.1f} {timings[1]:>13.1f} "
            f"{timings[2]:>15.1f} {timings[3]:>7.1f} {result['total_monthly_usd']:>12,.2f}"
        )


if __name__ == "__main__":
    main()
