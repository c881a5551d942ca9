"""Estimate options: job params, workload overrides and hours per month, checked with JSON pointers.

Pure Python, no Django. ``parse_estimate_params`` normalizes job params so equal requests have equal
(cacheable) params; its result is the keyword arguments of ``estimate``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from apps.core.pointers import Invalid, Problem, json_pointer
from apps.designs.document import Design, Workload

from .pricing import PricingSnapshot, default_snapshot

PARAMS = ("free_tier", "workload", "hours_per_month")
MIN_HOURS, MAX_HOURS = 1.0, 744.0  # at most a 31-day month


def merged_workload(
    design: Design, overrides: Mapping[str, Any] | None, *, pointer: str = "/params/workload"
) -> Workload:
    """The design's workload with ``overrides`` applied, validated like the design's own."""
    if overrides is None:
        return design.workload
    if not isinstance(overrides, Mapping):
        raise Invalid([Problem(pointer, "must be an object")])
    unknown = sorted(set(overrides) - set(Workload.model_fields))
    if unknown:
        known = ", ".join(Workload.model_fields)
        raise Invalid([Problem(f"{pointer}/{name}", f"unknown workload field (known: {known})") for name in unknown])
    try:
        return Workload.model_validate({**design.workload.model_dump(), **dict(overrides)})
    except ValidationError as exc:
        raise Invalid([Problem(pointer + json_pointer(error["loc"]), error["msg"]) for error in exc.errors()]) from None


def hours_value(value: Any, snapshot: PricingSnapshot, pointer: str = "/params/hours_per_month") -> float:
    """Hours per month for always-on resources: the snapshot's default (730) or a checked override."""
    if value is None:
        return snapshot.hours_per_month
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid([Problem(pointer, "must be a number of hours")])
    if not MIN_HOURS <= value <= MAX_HOURS:
        raise Invalid([Problem(pointer, f"must be between {MIN_HOURS:g} and {MAX_HOURS:g}")])
    return float(value)


def parse_estimate_params(params: Mapping[str, Any], *, pointer: str = "/params") -> dict[str, Any]:
    """Check estimate job params and fill in defaults, so equal requests have equal (cacheable) params.

    Accepts ``free_tier`` (boolean, default false), ``workload`` (overrides of the design's workload
    fields) and ``hours_per_month`` (1–744, default 730). The result can be passed to ``estimate`` as
    keyword arguments. Raises ``Invalid`` naming each bad field (``/params/free_tier``…).
    """
    if not isinstance(params, Mapping):
        raise Invalid([Problem(pointer, "must be an object")])
    problems = [
        Problem(f"{pointer}/{name}", f"unknown option (estimate takes {', '.join(PARAMS)})")
        for name in sorted(set(params) - set(PARAMS))
    ]
    free_tier = params.get("free_tier", False)
    if not isinstance(free_tier, bool):
        problems.append(Problem(f"{pointer}/free_tier", "must be true or false"))
    overrides = params.get("workload")
    if overrides is None:
        overrides = {}
    workload: dict[str, Any] = {}
    if not isinstance(overrides, Mapping):
        problems.append(Problem(f"{pointer}/workload", "must be an object"))
    else:
        for name in sorted(overrides):
            field = Workload.model_fields.get(name)
            where = f"{pointer}/workload/{name}"
            value = overrides[name]
            if field is None:
                problems.append(Problem(where, f"unknown workload field (known: {', '.join(Workload.model_fields)})"))
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                problems.append(Problem(where, "must be a finite number"))
            else:
                try:
                    Workload.model_validate({name: value})
                except ValidationError as exc:
                    problems.append(Problem(where, exc.errors()[0]["msg"]))
                    continue
                workload[name] = value
    hours = params.get("hours_per_month")
    try:
        hours_per_month = hours_value(hours, default_snapshot(), f"{pointer}/hours_per_month")
    except Invalid as exc:
        problems.extend(exc.problems)
        hours_per_month = default_snapshot().hours_per_month
    if problems:
        raise Invalid(problems)
    return {"free_tier": free_tier, "workload": workload, "hours_per_month": hours_per_month}
