"""No import cycles between our modules, and the engines stay plain modules with no Django at import time.

The graph is read from the source with ``ast``, so it sees every module whether or not a test imports
it. Only imports that run when the module is loaded count: those at module level, in module-level
``if``/``try``/``with`` blocks and in class bodies. Imports inside functions (deferred on purpose) and
under ``if TYPE_CHECKING:`` (never run) do not. ``from package import name`` is an edge to
``package.name`` when that is a module of ours, else to ``package``, as import-linter counts it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

APPS = ROOT / "apps"
ENGINES = [
    "apps.rendering.engine",
    "apps.costing.engine",
    "apps.review.engine",
    "apps.importing.engine",
    "apps.live.operations",
]
# Top-level packages that are Django or load it (``designer`` is the settings package), and Celery:
# an engine runs the same in the CLI, a worker and a test (ARCHITECTURE §1).
DJANGO_WORLD = {
    "django",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "whitenoise",
    "storages",
    "designer",
    "celery",
    "channels",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _load_time_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run when the module is imported: not function bodies, not TYPE_CHECKING blocks."""
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _load_time_statements(node.body)
            yield from _load_time_statements(node.orelse)
        elif isinstance(node, ast.ClassDef):
            yield from _load_time_statements(node.body)
        elif isinstance(node, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
            yield from _load_time_statements(node.body)
            yield from _load_time_statements(getattr(node, "orelse", []))
        elif isinstance(node, (ast.Try, ast.TryStar)):
            yield from _load_time_statements(node.body)
            for handler in node.handlers:
                yield from _load_time_statements(handler.body)
            yield from _load_time_statements(node.orelse)
            yield from _load_time_statements(node.finalbody)


def load_time_imports(path: Path, name: str) -> set[str]:
    """The modules the file loads at import time (``from a import b``: ``a.b`` if that is a module, else ``a``)."""
    known = modules()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _load_time_statements(ast.parse(path.read_text(encoding="utf-8"), str(path)).body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    return found


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(APPS.rglob("*.py"))}


def _ours(imported: str) -> str | None:
    """The module of ours an import loads: the name itself, or the nearest enclosing module of ours."""
    known = modules()
    while imported and imported not in known:
        imported = imported.rpartition(".")[0]
    return imported or None


@cache
def all_imports() -> dict[str, frozenset[str]]:
    return {name: frozenset(load_time_imports(path, name)) for name, path in modules().items()}


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module → the modules of ours it loads at import time."""
    edges = {}
    for name, imported in all_imports().items():
        targets = {_ours(target) for target in imported if target == "apps" or target.startswith("apps.")}
        edges[name] = frozenset(target for target in targets if target and target != name)
    return edges


def strongly_connected(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(components)


def cycle_through(component: list[str], edges: dict[str, frozenset[str]]) -> list[str]:
    """One concrete cycle inside a component, from its first module back to it, for the failure message."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(edges[node] & members):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return component  # unreachable for a real component


def reachable(start: str, edges: dict[str, frozenset[str]]) -> set[str]:
    seen = {start}
    queue = [start]
    while queue:
        for target in edges[queue.pop()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_the_graph_sees_the_imports_we_know_of() -> None:
    # Guards the test itself: an empty or broken graph would find no cycles.
    edges = graph()
    assert "apps.designs.document" in edges["apps.rendering.engine"]
    assert "apps.designs.diagram_icons" in edges["apps.rendering.engine"]
    assert "apps.designs.icons" not in edges["apps.rendering.engine"]
    assert "apps.core.pointers" in edges["apps.designs.catalog"]


def test_deferred_and_type_checking_imports_are_not_edges() -> None:
    # diagram_icons names ComponentType only for the type checker; the CLI imports engines inside its verbs.
    assert "apps.designs.catalog" not in graph()["apps.designs.diagram_icons"]
    assert "apps.exporting.engine" not in graph()["apps.cli.management.commands.tierplan"]


def test_the_cycle_finder_reports_each_cycle_and_ignores_plain_chains() -> None:
    edges = {
        "a": frozenset({"b"}),
        "b": frozenset({"c"}),
        "c": frozenset({"a"}),
        "d": frozenset({"e"}),
        "e": frozenset({"d", "f"}),
        "f": frozenset(),
    }
    cycles = [component for component in strongly_connected(edges) if len(component) > 1]
    assert cycles == [["a", "b", "c"], ["d", "e"]]
    assert cycle_through(["a", "b", "c"], edges) == ["a", "b", "c", "a"]


def test_there_are_no_import_cycles_between_our_modules() -> None:
    edges = graph()
    cycles = [component for component in strongly_connected(edges) if len(component) > 1]
    described = [" → ".join(cycle_through(component, edges)) for component in cycles]
    assert not cycles, "import cycles:\n" + "\n".join(described)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engine_and_everything_it_loads_import_no_django(engine: str) -> None:
    edges = graph()
    offenders = {
        module: sorted(target for target in all_imports()[module] if target.partition(".")[0] in DJANGO_WORLD)
        for module in sorted(reachable(engine, edges))
    }
    offenders = {module: found for module, found in offenders.items() if found}
    assert offenders == {}, f"{engine} loads Django through {offenders}"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_fresh_interpreter_imports_the_engine_without_loading_django(engine: str) -> None:
    # The static check above cannot see third-party packages that load Django themselves; this can.
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    script = (
        f"import sys, {engine}; "
        "print(sorted(n for n in sys.modules if n.partition('.')[0] in "
        f"{sorted(DJANGO_WORLD)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
