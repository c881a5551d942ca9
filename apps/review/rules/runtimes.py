"""Runtimes: a function on a runtime AWS Lambda has deprecated gets no security patches and, after the
block dates, can no longer be created or updated; a layer built for another runtime is never loaded."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from apps.designs.catalog import LambdaRuntime
from apps.designs.document import Component
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

RUNTIME_POLICY = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
LAYER_PATHS = "https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html"

# The day the review runs: a seam so tests can pin it. Findings therefore change as deprecation dates pass.
today: Callable[[], datetime.date] = datetime.date.today


def _successor(ctx: ReviewContext, runtime: LambdaRuntime, on: datetime.date) -> LambdaRuntime | None:
    # The catalog lists each family newest first; OS-only runtimes are where Go functions move to.
    family = "provided" if runtime.family == "go" else runtime.family
    return next(
        (other for other in ctx.catalog.runtimes.values() if other.family == family and not other.is_deprecated(on)),
        None,
    )


def _blocks(runtime: LambdaRuntime, on: datetime.date) -> str:
    parts = []
    for what, when in (("creating", runtime.block_create), ("updating", runtime.block_update)):
        if when is not None:
            parts.append(f"{what} functions on it {'was' if when <= on else 'will be'} blocked from {when.isoformat()}")
    return f" ({'; '.join(parts)})" if parts else ""


def _deprecated_runtime(ctx: ReviewContext) -> Iterator[Hit]:
    on = today()
    for function in ctx.of_type("lambda_function"):
        runtime = ctx.catalog.runtimes.get(str(ctx.prop(function, "runtime")))
        if runtime is None or not runtime.is_deprecated(on) or runtime.deprecated is None:
            continue
        successor = _successor(ctx, runtime, on)
        move = f"Move it to {successor.label} ({successor.id})" if successor else "Move it to a supported runtime"
        yield Hit(
            (function.id,),
            f"{ctx.name(function)} runs on {runtime.label} ({runtime.id}), which AWS Lambda deprecated on "
            f"{runtime.deprecated.isoformat()}{_blocks(runtime, on)}: it no longer gets security patches.",
            f"{move} and test it there; AWS does not guarantee compatibility between major versions.",
        )


def _layer_for_another_runtime(ctx: ReviewContext) -> Iterator[Hit]:
    for function in ctx.of_type("lambda_function"):
        for link in ctx.out(function, "layer"):
            yield from _layer_mismatch(ctx, function, link.target)


def _layer_mismatch(ctx: ReviewContext, function: Component, layer: Component) -> Iterator[Hit]:
    runtime = ctx.catalog.runtimes.get(str(ctx.prop(function, "runtime")))
    built_for = ctx.catalog.runtimes.get(str(ctx.prop(layer, "runtime")))
    if runtime is None or built_for is None:
        return
    problems = []
    if runtime.family != built_for.family:
        problems.append(
            f"it was built for {built_for.label} and {ctx.name(function)} runs {runtime.label}: the runtime "
            "looks for a layer's code in a folder of its own language, so none of it will be found"
        )
    if ctx.prop(function, "architecture") != ctx.prop(layer, "architecture"):
        problems.append(
            f"it holds {ctx.prop(layer, 'architecture')} code and the function runs on "
            f"{ctx.prop(function, 'architecture')}: native libraries in it will not load"
        )
    if problems:
        yield Hit(
            (function.id, layer.id),
            f"{ctx.name(function)} uses the layer {ctx.name(layer)}, but {'; and '.join(problems)}.",
            "Build the layer for the function's runtime family and architecture (or one layer per "
            "combination), or connect the function to a layer that matches it.",
        )


RULES = (
    Rule(
        id="deprecated-runtime",
        severity="warning",
        title="Function on a deprecated Lambda runtime",
        reference=f"AWS Lambda Developer Guide, “Lambda runtimes” ({RUNTIME_POLICY})",
        check=_deprecated_runtime,
    ),
    Rule(
        id="layer-runtime-mismatch",
        severity="warning",
        title="Function uses a layer built for another runtime or architecture",
        reference=f"AWS Lambda Developer Guide, “Packaging your layer content” ({LAYER_PATHS})",
        check=_layer_for_another_runtime,
    ),
)
