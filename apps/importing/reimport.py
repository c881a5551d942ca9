"""Whether importing a design's SAM export gives the same design again. Pure Python, no Django.

Two designs are the same when they have the same components (ids, types, group and props, each prop with
the catalog default filled in where it is left out: the export writes the defaults, the template may not
have), the same connections (source, target and kind, counted: ids are generated and may differ) and the
same groups (ids, kinds, parents and props). Positions, labels and the kept CloudFormation are not
compared: positions come from the layout, and the kept blocks hold what the export generated besides.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from apps.designs.catalog import Catalog, get_catalog
from apps.designs.document import Design


def design_shape(design: Design, catalog: Catalog | None = None) -> dict[str, Any]:
    """What the comparison looks at, as plain data."""
    catalog = catalog or get_catalog()

    def props(type_name: str, given: dict[str, Any]) -> dict[str, Any]:
        ctype = catalog.types.get(type_name)
        return {**(ctype.props.defaults() if ctype else {}), **given}

    return {
        "components": {
            c.id: {"type": c.type, "group": c.group, "props": props(c.type, c.props)} for c in design.components
        },
        "connections": Counter((c.source, c.target, c.kind) for c in design.connections),
        "groups": {g.id: {"kind": g.kind, "parent": g.parent, "props": g.props} for g in design.groups},
    }


def _text(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


def reimport_differences(first: Design, again: Design, catalog: Catalog | None = None) -> list[str]:
    """How ``again`` (the import of ``first``'s export) differs from ``first``, one line a difference;
    empty when they are the same."""
    a, b = design_shape(first, catalog), design_shape(again, catalog)
    found: list[str] = []
    for cid in sorted(a["components"].keys() | b["components"].keys()):
        old, new = a["components"].get(cid), b["components"].get(cid)
        if old is None:
            found.append(f"component {cid} ({new['type']}) appears")
        elif new is None:
            found.append(f"component {cid} ({old['type']}) is gone")
        elif old != new:
            for key in ("type", "group"):
                if old[key] != new[key]:
                    found.append(f"component {cid}: {key} {old[key]} → {new[key]}")
            for name in sorted(old["props"].keys() | new["props"].keys()):
                if old["props"].get(name) != new["props"].get(name):
                    found.append(
                        f"component {cid}: {name} {_text(old['props'].get(name))} → {_text(new['props'].get(name))}"
                    )
    for link in sorted(a["connections"].keys() | b["connections"].keys()):
        if a["connections"][link] != b["connections"][link]:
            source, target, kind = link
            found.append(
                f"connection {source} → {target} ({kind}): {a['connections'][link]} → {b['connections'][link]}"
            )
    for gid in sorted(a["groups"].keys() | b["groups"].keys()):
        old, new = a["groups"].get(gid), b["groups"].get(gid)
        if old != new:
            found.append(f"group {gid}: {_text(old)} → {_text(new)}")
    return found
