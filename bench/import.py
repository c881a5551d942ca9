"""Benchmark: how real SAM/CloudFormation templates import into Tierplan designs.

Run: .venv/bin/python bench/import.py DIR [--failures N] [--round-trip] [--limit N]
     .venv/bin/python bench/import.py --generated 200   (the time of one generated 200-resource template)

Imports every template under DIR (*.yaml, *.yml, *.json, *.template; files that are not templates —
no Resources mapping — are counted apart) and prints: templates, imported without error, resources
mapped to catalog types / kept as cloudformation_resource / folded into components as parts / drawn as
connections / kept as written and not drawn, connections drawn, and the time per template. An import
that raises anything but a refusal of its input is an engine bug and is listed.

With --round-trip each imported design is exported as SAM again and compared with its input: cfn-lint
errors (no more than the input had), the SAM translator (succeeds where it did on the input), and the
logical ids with their types (each input resource that did not become regenerated wiring is in the
export under its own id and type), and an identical re-import: importing the export gives the same
design (same components with their ids, types, groups and props — defaults filled in —, the same
connections by source, target and kind, the same groups; positions and the kept CloudFormation are
not compared; see apps/importing/reimport.py). cfn-lint takes about a second a template. Keep the
templates outside the repository; any folder of templates will do.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

SUFFIXES = {".yaml", ".yml", ".json", ".template"}


def time_generated(resources: int) -> int:
    """Median import time of a generated template (tests/importing/helpers.py) of ``resources`` resources."""
    from apps.importing.engine import import_template
    from tests.importing.helpers import generated_template

    text = generated_template(max(1, resources // 4))
    times = []
    for _ in range(7):
        started = time.perf_counter()
        result = import_template(text)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"generated template: {len(result.report.resources)} resources -> {len(result.design.components)} "
        f"components, {len(result.design.connections)} connections; import median {statistics.median(times):.0f} ms "
        f"(min {min(times):.0f}, max {max(times):.0f}) over 7"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument(
        "--generated", type=int, metavar="N", help="instead: time a generated N-resource SAM template (median of 7)"
    )
    parser.add_argument("--failures", type=int, default=10, help="list this many failures (default 10)")
    parser.add_argument("--round-trip", action="store_true", help="export each import as SAM and lint it")
    parser.add_argument("--limit", type=int, help="read only the first N files")
    args = parser.parse_args()

    from apps.importing.engine import import_template
    from apps.importing.loader import TemplateRefused

    counts: collections.Counter[str] = collections.Counter()
    not_templates, refused, crashed, seconds = [], [], [], []
    unknown: collections.Counter[str] = collections.Counter()
    # The first import loads the catalog and CloudFormation's resource schemas, as a server does once.
    import_template("Resources:\n  Warm:\n    Type: AWS::SQS::Queue\n")
    if args.generated:
        return time_generated(args.generated)
    if args.folder is None:
        parser.error("name a folder of templates, or --generated N")
    paths = sorted(p for p in args.folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)[: args.limit]
    trips: collections.Counter[str] = collections.Counter()
    trip_failures: list[tuple[Path, str]] = []
    reimport_causes: collections.Counter[str] = collections.Counter()
    for path in paths:
        raw = path.read_bytes()
        started = time.perf_counter()
        try:
            result = import_template(raw, name=path.parent.name or path.stem)
        except TemplateRefused as exc:
            message = str(exc)
            if message.startswith("not a template") or message.startswith("not valid"):
                not_templates.append((path, message))
            else:
                refused.append((path, message))
            continue
        except Exception as exc:  # noqa: BLE001 - every other failure is an engine bug to list
            crashed.append((path, f"{type(exc).__name__}: {exc}"))
            continue
        seconds.append(time.perf_counter() - started)
        counts.update(result.report.counts())
        for entry in result.report.resources.values():
            if entry.generic or entry.became == "kept":
                unknown[entry.resource_type] += 1
        counts["not_understood"] += len(result.report.not_understood)
        if args.round_trip:
            round_trip(raw, result, trips, lambda why, path=path: trip_failures.append((path, why)), reimport_causes)
    templates = len(paths) - len(not_templates)
    imported = len(seconds)
    print(f"files: {len(paths)} ({len(not_templates)} not templates)")
    print(f"templates: {templates}")
    print(f"imported without error: {imported} ({100 * imported / max(templates, 1):.1f}%)")
    print(f"refused (limits, tags…): {len(refused)}   engine errors: {len(crashed)}")
    total = counts["resources"] or 1
    for key in ("mapped_to_catalog_types", "kept_as_cloudformation_resource", "parts", "connections", "kept_not_drawn"):
        print(f"  resources {key.replace('_', ' ')}: {counts[key]} ({100 * counts[key] / total:.1f}%)")
    print(
        f"  resources: {counts['resources']}, connections drawn: {counts['connections_drawn']}, "
        f"things not understood: {counts['not_understood']}"
    )
    if seconds:
        print(f"time per template: median {1000 * statistics.median(seconds):.1f} ms, max {1000 * max(seconds):.1f} ms")
    if args.round_trip:
        print(
            f"round trips: {trips['exported']} exported of {imported}; "
            f"lint no worse than the input: {trips['lint_no_worse']} (lint-clean: {trips['lint_clean']}); "
            f"SAM translate where the input translated: {trips['translated']}/{trips['input_translated']}; "
            f"every logical id kept: {trips['ids_kept'] + trips['ids_kept_equivalent_type']} "
            f"(with the same types: {trips['ids_kept']}; some written as an equivalent type, such as a "
            f"RestApi as a Serverless::Api: {trips['ids_kept_equivalent_type']}); "
            f"identical re-import: {trips['identical_reimport']}/{trips['exported']}"
        )
        if reimport_causes:
            print("what re-imports differently (designs that have it):")
            for cause, number in reimport_causes.most_common(args.failures):
                print(f"  {number:5} {cause}")
    print("most common types kept as cloudformation_resource or not drawn:")
    for resource_type, number in unknown.most_common(15):
        print(f"  {number:5} {resource_type}")
    for title, failures in (("engine errors", crashed), ("refused", refused), ("round trips", trip_failures)):
        if failures:
            print(f"{title}:")
            for path, message in failures[: args.failures]:
                print(f"  {path.relative_to(args.folder)}: {message[:300]}")
    return 1 if crashed else 0


def round_trip(
    raw: bytes, result: Any, trips: collections.Counter[str], fail: Any, reimport_causes: collections.Counter[str]
) -> None:
    """Export the imported design as SAM and compare it with the template it came from."""
    import json

    from apps.exporting.bundle import template_yaml
    from apps.exporting.plan import ExportError, Plan
    from apps.exporting.sam import sam_template
    from apps.exporting.validate import lint_errors, translate_sam
    from apps.importing.engine import import_template
    from apps.importing.loader import load_template
    from apps.importing.reimport import reimport_differences

    try:
        exported = sam_template(Plan(result.design))
    except ExportError as exc:
        fail(f"export refused: {exc}")
        return
    trips["exported"] += 1
    source = load_template(raw)
    text = template_yaml(exported)
    try:
        differences = reimport_differences(result.design, import_template(text, name=result.design.name).design)
    except Exception as exc:  # noqa: BLE001 - an export the import refuses is a difference like any other
        differences = [f"the re-import fails: {type(exc).__name__}"]
    if differences:
        fail(
            f"re-import differs: {differences[0][:200]}"
            + (f" (and {len(differences) - 1} more)" if differences[1:] else "")
        )
        # the cause without the ids, so that designs with the same difference count together
        reimport_causes.update({_cause(d) for d in differences})
    else:
        trips["identical_reimport"] += 1
    before, after = _lint(lint_errors, json.dumps(source)), _lint(lint_errors, text)
    if after is None:
        fail("cfn-lint crashed on the export")
        return
    trips["lint_clean"] += not after
    if before is None:
        trips["input_not_lintable"] += 1  # cfn-lint itself crashes on the input
    elif len(after) <= len(before):
        trips["lint_no_worse"] += 1
    else:
        fail(f"lint: {len(before)} errors before, {len(after)} after: {after[0][:200]}")
    if _translates(translate_sam, json.dumps(source)):
        trips["input_translated"] += 1
        if _translates(translate_sam, text):
            trips["translated"] += 1
        else:
            fail("the SAM translator refuses the export")
    regenerated = {e.logical_id for e in result.report.resources.values() if e.became == "connection"}
    for component in result.design.components:  # written as another type: its parts are regenerated too
        kept = component.cloudformation
        if kept is not None and exported["Resources"].get(kept.logical_id, {}).get("Type") != kept.resource_type:
            regenerated |= set(kept.parts)
    wanted = {(lid, r["Type"]) for lid, r in source["Resources"].items() if lid not in regenerated}
    written = {lid: r.get("Type") for lid, r in exported["Resources"].items()}
    missing = sorted(lid for lid, _ in wanted if lid not in written)
    if missing:
        fail(f"missing from the export: {missing[:3]}")
    elif all(written[lid] == resource_type for lid, resource_type in wanted):
        trips["ids_kept"] += 1
    else:
        trips["ids_kept_equivalent_type"] += 1


def _cause(difference: str) -> str:
    """A re-import difference without the ids and values that are the design's own."""
    prop = re.match(r"^component \S+: (\w+) ", difference)
    if prop:
        return f"component …: {prop.group(1)} differs"
    return re.sub(r"^(component|group|connection) \S+( → \S+)?", r"\1 …", difference).split(":")[0][:100]


def _lint(lint: Any, text: str) -> list[str] | None:
    try:
        return list(lint(text))
    except Exception:  # noqa: BLE001 - cfn-lint crashes on some inputs; counted apart
        return None


def _translates(translate: Any, text: str) -> bool:
    try:
        translate(text)
    except Exception:  # noqa: BLE001 - any refusal of the translator counts the same
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
