"""Costing: the pricing snapshot and its loader, the estimate engine, cost curves and cost diffs.

Pure Python, no Django (except the ``refresh_pricing`` management command). The public API:

- ``estimate(design, *, free_tier=False, workload=None, pricing=None, hours_per_month=None) -> dict``
- ``parse_estimate_params(params) -> dict`` (keyword arguments for ``estimate``)
- ``cost_curve(design, *, points=60, ...) -> dict`` and ``cost_curve_svg(curve) -> bytes``
- ``cost_diff(old_estimate, new_estimate) -> dict``
- ``ENGINE_VERSION`` and ``engine_version(pricing=None)`` (includes the snapshot date, for caching)
"""

from __future__ import annotations

from .curve import cost_curve, cost_curve_svg
from .diff import cost_diff
from .engine import ENGINE_VERSION, engine_version, estimate
from .params import parse_estimate_params
from .pricing import PricingSnapshot, default_snapshot, load_snapshot

__all__ = [
    "ENGINE_VERSION",
    "PricingSnapshot",
    "cost_curve",
    "cost_curve_svg",
    "cost_diff",
    "default_snapshot",
    "engine_version",
    "estimate",
    "load_snapshot",
    "parse_estimate_params",
]
