"""Benchmark: SAM and CDK generation time for 10, 100 and 500 components (the validators excluded).

Run: .venv/bin/python bench/export.py [--runs N]. Prints medians in milliseconds: the plan and SAM
template, the whole SAM zip, and the whole CDK zip (source generation, no synthesis).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")


def median_ms(function: Any, runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times[1:])  # the first run warms caches and is not counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from apps.designs.document import validate_design
    from apps.exporting.bundle import export_zip
    from apps.exporting.plan import Plan
    from apps.exporting.sam import sam_template
    from tests.rendering.designs import chain_design

    print(f"export generation, median of {args.runs} runs (ms)")
    print(f"{'components':>10} {'plan+SAM template':>18} {'SAM zip':>9} {'CDK zip':>9}")
    for size in (10, 100, 500):
        design = validate_design(chain_design(size))
        template = median_ms(lambda design=design: sam_template(Plan(design)), args.runs)
        sam = median_ms(lambda design=design: export_zip(design, "sam"), args.runs)
        cdk = median_ms(lambda design=design: export_zip(design, "cdk-python"), args.runs)
        print(f"{size:>10} {template:>18.1f} {sam:>9.1f} {cdk:>9.1f}")


if __name__ == "__main__":
    main()
