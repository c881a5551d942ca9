"""The pattern library and pattern composition. Pure Python, no Django.

Each pattern is one YAML file in ``data/patterns/`` (the file name is the slug, a contract): metadata
plus a ``tierplan.design/v1`` document. The library is read from those files on first use; adding a
pattern means adding a file (and its test), with nothing to load into a database.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from apps.core.pointers import Invalid, Problem, json_pointer
from apps.core.strict_yaml import load_strict
from apps.designs.catalog import get_catalog
from apps.designs.document import Design, DesignInvalid, Position, validate_design

PATTERN_DIR = Path(__file__).parent / "data" / "patterns"
SLUG = re.compile(r"^[a-z][a-z0-9-]*$")

# Canvas geometry of the tier lanes: tiers stack top to bottom, components run left to right.
LANE_TOP = 60
LANE_HEIGHT = 220
COLUMN_LEFT = 80
COLUMN_WIDTH = 300  # a 170-pixel card and room for a connection's label (the studio's COLUMN_WIDTH)
GROUP_GAP = 60  # between a group's columns and its neighbours, so their boxes do not touch


@dataclass(frozen=True)
class Pattern:
    slug: str
    name: str
    summary: str
    source: Mapping[str, str]
    tags: tuple[str, ...]
    design: Design

    def as_dict(self, *, with_design: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "slug": self.slug,
            "name": self.name,
            "summary": self.summary,
            "source": dict(self.source),
            "tags": list(self.tags),
            "components": len(self.design.components),
            "connections": len(self.design.connections),
        }
        if with_design:
            data["design"] = self.design.canonical()
        return data


class PatternNotFound(LookupError):
    def __init__(self, slug: str, known: list[str]) -> None:
        self.slug = slug
        self.known = known
        super().__init__(f"no pattern {slug!r}; known patterns: {', '.join(known)}")


class CompositionError(Invalid):
    """A pattern cannot be applied as asked; ``problems`` names the request fields at fault."""


def load_pattern(path: Path) -> Pattern:
    """Read and validate one pattern file; an invalid file raises ValueError naming the file."""
    slug = path.stem
    if not SLUG.match(slug):
        raise ValueError(f"pattern file {path.name}: the slug must match {SLUG.pattern}")
    raw = load_strict(path.read_text(encoding="utf-8"))
    missing = {"name", "summary", "source", "tags", "design"} - set(raw)
    if missing:
        raise ValueError(f"pattern {slug}: missing {', '.join(sorted(missing))}")
    try:
        design = validate_design(raw["design"])
    except DesignInvalid as exc:
        raise ValueError(f"pattern {slug}: invalid design: {exc}") from None
    return Pattern(
        slug=slug,
        name=raw["name"],
        summary=" ".join(raw["summary"].split()),
        source=dict(raw["source"]),
        tags=tuple(raw["tags"]),
        design=lay_out(design),
    )


@cache
def pattern_library() -> dict[str, Pattern]:
    """Every pattern shipped with Tierplan, by slug (read once per process)."""
    return {path.stem: load_pattern(path) for path in sorted(PATTERN_DIR.glob("*.yaml"))}


def get_pattern(slug: str) -> Pattern:
    library = pattern_library()
    if slug not in library:
        raise PatternNotFound(slug, sorted(library))
    return library[slug]


def flow_order(design: Design) -> dict[str, int]:
    """Each component's place when the design is read along its connections: from each component nothing
    connects to (in document order), depth first through what it connects to, so that a chain such as API →
    function → table comes out in one run. Components only reached through a cycle come last."""
    targets: dict[str, list[str]] = {}
    incoming: set[str] = set()
    for connection in design.connections:
        targets.setdefault(connection.source, []).append(connection.target)
        incoming.add(connection.target)
    rank: dict[str, int] = {}
    starts = [c.id for c in design.components if c.id not in incoming] + [c.id for c in design.components]
    for start in starts:
        stack = [start]
        while stack:
            current = stack.pop()
            if current in rank:
                continue
            rank[current] = len(rank)
            stack.extend(reversed(targets.get(current, [])))
    return rank


def lay_out(design: Design, ranks: dict[str, int] | None = None) -> Design:
    """Give every component without a position one in its tier lane, right of everything placed so far.

    Components outside any group come first; then each top-level group's members side by side, with the
    group's columns lined up across the lanes and a gap around it, so that the box an editor draws around
    a group's members holds nothing else. Within a lane they follow ``ranks`` (a rank per component id,
    such as ``flow_order``), else the document's order.
    """
    order = {tier: index for index, tier in enumerate(get_catalog().tier_order)}
    laid_out = design.model_copy(deep=True)
    parent = {group.id: group.parent for group in laid_out.groups}
    group_index = {group.id: index for index, group in enumerate(laid_out.groups)}

    def top(group_id: str) -> str:
        for _ in range(len(parent)):
            if not parent.get(group_id):
                break
            group_id = parent[group_id]  # type: ignore[assignment]
        return group_id

    placed = [c.position.x + COLUMN_WIDTH for c in laid_out.components if c.position is not None]
    x = max(placed, default=COLUMN_LEFT)
    blocks: dict[str | None, list[Any]] = {}
    for component in laid_out.components:
        if component.position is None and component.tier is not None:
            blocks.setdefault(top(component.group) if component.group else None, []).append(component)
    rank = ranks or {}
    for block in [None, *(group.id for group in laid_out.groups if top(group.id) == group.id)]:
        members = blocks.get(block, [])
        if not members:
            continue
        members.sort(key=lambda c: rank.get(c.id, 0))
        if block is not None:
            members.sort(key=lambda c: group_index.get(c.group, 0))  # nested groups stay together
            x += GROUP_GAP if x > COLUMN_LEFT else 0
        in_lane: dict[str, int] = {}
        for component in members:
            column = in_lane.get(component.tier, 0)
            in_lane[component.tier] = column + 1
            y = LANE_TOP + order.get(component.tier, 0) * LANE_HEIGHT
            component.position = Position(x=int(x + column * COLUMN_WIDTH), y=int(y))
        x += max(in_lane.values()) * COLUMN_WIDTH + (GROUP_GAP if block is not None else 0)
    return laid_out


def _free_id(wanted: str, taken: set[str]) -> str:
    # Predictable renaming: orders, orders_2, orders_3, … (kept within the 64-character id limit).
    if wanted not in taken:
        return wanted
    number = 2
    while True:
        suffix = f"_{number}"
        candidate = wanted[: 64 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def compose(base: Design, pattern: Design, *, mapping: Mapping[str, str] | None = None) -> Design:
    """Merge ``pattern`` into ``base`` and return the validated result.

    Pattern components whose ids collide with the base's are renamed predictably (``id_2``, ``id_3``…);
    ``mapping`` sends a pattern component onto an existing component of the same type instead of adding
    it, and the pattern's connections are rewired to that component. Raises CompositionError for a bad
    mapping and DesignInvalid when the result breaks a rule (for example a size limit).
    """
    mapping = dict(mapping or {})
    base_components = {c.id: c for c in base.components}
    pattern_components = {c.id: c for c in pattern.components}
    problems = []
    for pattern_id, existing_id in mapping.items():
        pointer = json_pointer(("mapping", pattern_id))
        if pattern_id not in pattern_components:
            problems.append(Problem(pointer, f"the pattern has no component {pattern_id!r}"))
        elif existing_id not in base_components:
            problems.append(Problem(pointer, f"the design has no component {existing_id!r}"))
        elif base_components[existing_id].type != pattern_components[pattern_id].type:
            problems.append(
                Problem(
                    pointer,
                    f"cannot map {pattern_id!r} ({pattern_components[pattern_id].type}) onto "
                    f"{existing_id!r} ({base_components[existing_id].type}): the types differ",
                )
            )
    if problems:
        raise CompositionError(problems)

    # Components of the base without a position get one in their lane too: otherwise a canvas would
    # place them on its own and the pattern's components, placed beside the laid-out base, could land
    # on top of them.
    merged = lay_out(base).canonical()
    incoming = _beside(lay_out(pattern).canonical(), merged, skip=set(mapping))

    group_ids = {g["id"] for g in merged["groups"]}
    group_renames: dict[str, str] = {}
    for group in incoming["groups"]:
        group_renames[group["id"]] = new_id = _free_id(group["id"], group_ids)
        group_ids.add(new_id)
    for group in incoming["groups"]:
        group["id"] = group_renames[group["id"]]
        if group["parent"] is not None:
            group["parent"] = group_renames[group["parent"]]
        merged["groups"].append(group)

    component_ids = set(base_components)
    component_renames: dict[str, str] = dict(mapping)
    for component in incoming["components"]:
        if component["id"] in mapping:
            continue
        component_renames[component["id"]] = new_id = _free_id(component["id"], component_ids)
        component_ids.add(new_id)
        component["id"] = new_id
        if component["group"] is not None:
            component["group"] = group_renames[component["group"]]
        merged["components"].append(component)

    existing_links = {_link_key(c) for c in merged["connections"]}
    connection_ids = {c["id"] for c in merged["connections"]}
    for connection in incoming["connections"]:
        connection["source"] = component_renames[connection["source"]]
        connection["target"] = component_renames[connection["target"]]
        if _link_key(connection) in existing_links:
            continue  # both ends were mapped onto a pair the design already links the same way
        connection["id"] = _free_id(connection["id"], connection_ids)
        connection_ids.add(connection["id"])
        existing_links.add(_link_key(connection))
        merged["connections"].append(connection)

    present = {tier["id"] for tier in merged["tiers"]}
    for tier in incoming["tiers"]:
        if tier["id"] not in present:
            merged["tiers"].append(tier)
    order = {tier: index for index, tier in enumerate(get_catalog().tier_order)}
    merged["tiers"].sort(key=lambda tier: order.get(tier["id"], len(order)))
    return validate_design(merged)


def _beside(incoming: dict[str, Any], base: dict[str, Any], *, skip: set[str]) -> dict[str, Any]:
    """Shift the incoming components, tier by tier, to the right of what the base has in that tier.

    Components in ``skip`` (mapped onto existing ones) are not added, so they do not count.
    """
    right_edge: dict[str, float] = {}
    for component in base["components"]:
        right_edge[component["tier"]] = max(
            right_edge.get(component["tier"], 0), component["position"]["x"] + COLUMN_WIDTH
        )
    left_edge: dict[str, float] = {}
    for component in incoming["components"]:
        if component["id"] in skip:
            continue
        left_edge[component["tier"]] = min(
            left_edge.get(component["tier"], component["position"]["x"]), component["position"]["x"]
        )
    for component in incoming["components"]:
        tier = component["tier"]
        if tier in right_edge and tier in left_edge:
            component["position"]["x"] += right_edge[tier] - left_edge[tier]
    return incoming


def _link_key(connection: Mapping[str, Any]) -> tuple[Any, ...]:
    return (connection["source"], connection["target"], connection["kind"], repr(sorted(connection["props"].items())))


def design_from_pattern(slug: str, *, name: str | None = None) -> Design:
    """A fresh design that is the pattern, optionally renamed."""
    design = get_pattern(slug).design
    if name:
        data = copy.deepcopy(design.canonical())
        data["name"] = name
        return validate_design(data)
    return design
