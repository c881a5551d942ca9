"""Benchmark: how many real SAM/CloudFormation templates Tierplan's catalog can draw.

Run: .venv/bin/python bench/coverage.py DIR [--top N] [--show-blocked TYPE]

Reads every template under DIR (*.yaml, *.yml, *.json, *.template; files that are not CloudFormation
templates are counted apart). A template is covered when each of its resources is either a component
of some catalog type (the type's `cloudformation_types` name the resource's type) or a part of one (the
catalog's `wiring_types`). The generic `cloudformation_resource` type is not counted: it can stand for
anything, so it says nothing about what the catalog knows. Also reported: the unmapped resource types
in the order that would cover the most templates next (greedy), and how many functions name a runtime
the catalog lists. Keep the templates outside the repository; any folder of templates will do.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUFFIXES = {".yaml", ".yml", ".json", ".template"}


@dataclass(frozen=True)
class Template:
    path: Path
    resource_types: frozenset[str]
    runtimes: tuple[str | None, ...]  # one per function; None: not a literal (a Ref, an image function)


def _load(path: Path) -> Any:
    from cfnlint.decode import cfn_json, cfn_yaml

    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json" or text.lstrip().startswith("{"):
        return cfn_json.loads(text)
    return cfn_yaml.loads(text)


def _runtimes(document: dict[str, Any], resources: dict[str, Any]) -> tuple[str | None, ...]:
    globals_ = document.get("Globals") if isinstance(document.get("Globals"), dict) else {}
    default = (globals_.get("Function") or {}).get("Runtime") if isinstance(globals_.get("Function"), dict) else None
    found: list[str | None] = []
    for resource in resources.values():
        if resource.get("Type") not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            continue
        properties = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
        if properties.get("PackageType") == "Image":
            continue  # container images carry their own runtime
        runtime = properties.get("Runtime", default)
        found.append(str(runtime) if isinstance(runtime, str) else None)
    return tuple(found)


def read_templates(folder: Path) -> tuple[list[Template], list[Path]]:
    """The templates under ``folder`` and the files that could not be read as one."""
    templates, unreadable = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES):
        try:
            document = _load(path)
        except Exception:  # noqa: BLE001 - a broken file is reported, whatever the decoder raised
            unreadable.append(path)
            continue
        resources = document.get("Resources") if isinstance(document, dict) else None
        if not isinstance(resources, dict) or not resources:
            unreadable.append(path)
            continue
        resources = {name: r for name, r in resources.items() if isinstance(r, dict)}
        types = frozenset(str(r.get("Type")) for r in resources.values())
        templates.append(Template(path, types, _runtimes(document, resources)))
    return templates, unreadable


def greedy_order(blocked: dict[Path, set[str]], top: int) -> list[tuple[str, int]]:
    """Unmapped types in the order that unblocks the most templates next, with the templates each adds."""
    remaining = {path: set(types) for path, types in blocked.items()}
    order = []
    while remaining and len(order) < top:
        # A type's gain: templates it alone still blocks; ties broken by how many templates name it.
        gains: collections.Counter[str] = collections.Counter()
        mentions: collections.Counter[str] = collections.Counter()
        for types in remaining.values():
            for resource_type in types:
                mentions[resource_type] += 1
                if types == {resource_type}:
                    gains[resource_type] += 1
        best = max(mentions, key=lambda t: (gains[t], mentions[t], t))
        order.append((best, gains[best]))
        remaining = {path: types - {best} for path, types in remaining.items() if types - {best}}
    return order


def report(folder: Path, top: int, show_blocked: Iterable[str]) -> None:
    from apps.designs.catalog import get_catalog

    catalog = get_catalog()
    templates, unreadable = read_templates(folder)
    blocked = {t.path: {r for r in t.resource_types if not catalog.drawable(r)} for t in templates}
    covered = sum(1 for types in blocked.values() if not types)
    total = len(templates) + len(unreadable)
    print(f"templates under {folder}: {total} files, {len(templates)} CloudFormation templates")
    print(f"covered: {covered} of {len(templates)} templates = {100 * covered / max(len(templates), 1):.1f} %")
    if unreadable:
        print(f"  (not counted: {len(unreadable)} files that are not readable templates, e.g. {unreadable[0].name})")
    mentions = collections.Counter(r for types in blocked.values() for r in types)
    print(f"\nunmapped resource types, greedy order (templates each would complete next; {len(mentions)} in all):")
    for resource_type, gain in greedy_order({p: t for p, t in blocked.items() if t}, top):
        print(f"  +{gain:<3} {resource_type} (in {mentions[resource_type]} templates)")
    runtimes = [r for t in templates for r in t.runtimes]
    literal = [r for r in runtimes if r is not None]
    known = sum(1 for r in literal if r in catalog.runtimes)
    print(
        f"\nfunctions (.zip): {len(runtimes)}; runtime named literally: {len(literal)}; "
        f"of those in the catalog: {known} = {100 * known / max(len(literal), 1):.1f} %"
    )
    unknown = collections.Counter(r for r in literal if r not in catalog.runtimes)
    if unknown:
        print("  runtimes not in the catalog: " + ", ".join(f"{r} ({n})" for r, n in unknown.most_common(10)))
    for resource_type in show_blocked:
        names = sorted(p.name for p, types in blocked.items() if resource_type in types)
        print(f"\ntemplates with {resource_type}: " + json.dumps(names, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="folder of SAM/CloudFormation templates (searched recursively)")
    parser.add_argument("--top", type=int, default=25, help="unmapped types to list (default 25)")
    parser.add_argument(
        "--show-blocked", action="append", default=[], metavar="TYPE", help="list templates a type blocks"
    )
    args = parser.parse_args()
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    report(args.folder, args.top, args.show_blocked)


if __name__ == "__main__":
    main()
