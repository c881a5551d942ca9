"""The export engine's entry points: options, version and the zip. Pure Python, no Django."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from apps.core.pointers import Invalid, Problem
from apps.exporting.bundle import FORMATS, export_zip
from apps.exporting.plan import ExportError

__all__ = ["FORMATS", "ExportError", "engine_version", "export_zip", "parse_params"]

ENGINE_VERSION = "export-1"


def engine_version() -> str:
    from apps.exporting.cdk import CDK_VERSION

    return f"{ENGINE_VERSION}/aws-cdk-lib-{CDK_VERSION}"


def parse_params(params: Mapping[str, Any], *, pointer: str = "/params") -> dict[str, Any]:
    """Export options: ``format`` (sam or cdk-python) is required; nothing else is accepted."""
    if not isinstance(params, Mapping):
        raise Invalid([Problem(pointer, "must be an object")])
    problems = []
    fmt = params.get("format")
    if fmt not in FORMATS:
        shown = ", ".join(json.dumps(f) for f in FORMATS)
        problems.append(
            Problem(f"{pointer}/format", f"must be one of {shown}" if fmt is not None else f"is required: {shown}")
        )
    for name in sorted(set(params) - {"format"}):
        problems.append(Problem(f"{pointer}/{name}", "unknown option (export takes format)"))
    if problems:
        raise Invalid(problems)
    return {"format": fmt}
