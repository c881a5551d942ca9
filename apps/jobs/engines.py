"""The engines a job can run, by kind. Each engine is pure; this registry only says how to call it.

Adding an engine means adding an entry: its queue, its version, how to check its
params and how to run it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from apps.designs.document import Design


class EngineFailed(Exception):
    """A permanent failure of an engine on this input (the job fails with this message)."""


@dataclass(frozen=True)
class EngineOutput:
    data: bytes
    content_type: str
    extension: str


@dataclass(frozen=True)
class Engine:
    kind: str
    queue: str
    version: Callable[[], str]
    # Checks options and fills in defaults; raises apps.core.pointers.Invalid naming each bad option.
    parse_params: Callable[[Mapping[str, Any]], dict[str, Any]]
    # The first output is the job's main artifact; an engine may add more (the estimate's chart).
    run: Callable[[Design, Mapping[str, Any]], list[EngineOutput]]


def _render_engine() -> Engine:
    from apps.rendering import engine as rendering

    def run(design: Design, params: Mapping[str, Any]) -> list[EngineOutput]:
        try:
            data = rendering.render(design, rendering.options_from(params))
        except rendering.RenderError as exc:
            raise EngineFailed(str(exc)) from exc
        return [EngineOutput(data=data, content_type=rendering.FORMATS[params["format"]], extension=params["format"])]

    return Engine(
        kind="render", queue="slow", version=rendering.engine_version, parse_params=rendering.parse_params, run=run
    )


def _export_engine() -> Engine:
    from apps.exporting import engine as exporting

    def run(design: Design, params: Mapping[str, Any]) -> list[EngineOutput]:
        try:
            data = exporting.export_zip(design, params["format"])
        except exporting.ExportError as exc:
            raise EngineFailed(str(exc)) from exc
        return [EngineOutput(data=data, content_type="application/zip", extension="zip")]

    return Engine(
        kind="export", queue="slow", version=exporting.engine_version, parse_params=exporting.parse_params, run=run
    )


def _estimate_engine() -> Engine:
    import json

    from apps import costing
    from apps.core.pointers import Invalid

    def run(design: Design, params: Mapping[str, Any]) -> list[EngineOutput]:
        try:
            result = costing.estimate(design, **params)
            curve = costing.cost_curve(design, points=60, **params)
            chart = costing.cost_curve_svg(curve)
        except Invalid as exc:
            raise EngineFailed(str(exc)) from exc
        data = json.dumps({**result, "curve": curve}, indent=2, sort_keys=False).encode("utf-8")
        return [
            EngineOutput(data=data, content_type="application/json", extension="json"),
            EngineOutput(data=chart, content_type="image/svg+xml", extension="svg"),
        ]

    return Engine(
        kind="estimate",
        queue="fast",
        version=costing.engine_version,
        parse_params=costing.parse_estimate_params,
        run=run,
    )


def _review_engine() -> Engine:
    import json

    from apps import review as reviewing
    from apps.core.pointers import Invalid, Problem

    def parse_params(params: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(params, Mapping):
            raise Invalid([Problem("/params", "must be an object")])
        if params:
            raise Invalid([Problem(f"/params/{name}", "unknown option (review takes none)") for name in sorted(params)])
        return {}

    def run(design: Design, params: Mapping[str, Any]) -> list[EngineOutput]:
        data = json.dumps(reviewing.review(design), indent=2).encode("utf-8")
        return [EngineOutput(data=data, content_type="application/json", extension="json")]

    return Engine(
        kind="review", queue="fast", version=lambda: reviewing.ENGINE_VERSION, parse_params=parse_params, run=run
    )


def engines() -> dict[str, Engine]:
    return {
        "render": _render_engine(),
        "export": _export_engine(),
        "estimate": _estimate_engine(),
        "review": _review_engine(),
    }


def get_engine(kind: str) -> Engine | None:
    return engines().get(kind)
