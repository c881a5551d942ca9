"""Shared helpers of the import tests: the fixtures (hand-written templates) and lookups in a result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apps.importing.engine import ImportResult, import_template

FIXTURES = Path(__file__).parent / "fixtures"


def imported(name: str) -> ImportResult:
    return import_template((FIXTURES / name).read_bytes(), name=name)


def component(result: ImportResult, component_id: str) -> Any:
    return result.design.component(component_id)


def links(result: ImportResult) -> set[tuple[str, str, str]]:
    return {(c.source, c.target, c.kind) for c in result.design.connections}
