"""Render a design to SVG, PNG, PDF or DOT with the `diagrams` package. Pure Python, no Django.

Safety, because every label is user text:
- every user string goes through ``graphviz.escape`` (no HTML-like labels, no ``\\N``-style escapes) and is
  quoted by the graphviz library, so it can never add attributes; user newlines become our own line
  breaks;
- graph, cluster and node ids are ours (derived from component ids, which are slugs), never labels;
- nothing is written to disk: the output comes from ``pipe()``, so no file name exists to be derived
  from user text;
- the `diagrams` context variables are reset in ``finally``, so a failed render cannot leak into the
  next one in the same thread;
- the SVG has its icons embedded as data URIs and any other external reference fails the render.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import diagrams
import graphviz
from diagrams import Cluster, Diagram, Edge

from apps.core.pointers import Invalid, Problem
from apps.designs.catalog import Catalog, get_catalog
from apps.designs.diagram_icons import component_node_class, diagrams_resources_root
from apps.designs.document import Design, enclosing_groups

ENGINE_VERSION = "render-1"
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "dot": "text/vnd.graphviz"}
DIRECTIONS = ("LR", "TB", "RL", "BT")

# Cairo cannot make bitmaps wider or taller than 32,767 px. Graphviz's `size` (inches) scales a larger
# drawing down to fit; at 96 dpi, 340 inches is 32,640 px, so a huge PNG comes out smaller, not broken.
MAX_BITMAP_INCHES = 340
PNG_DPI = 96

EDGE_STYLES: dict[str, dict[str, str]] = {
    "request": {"color": "#2D3436"},
    "origin": {"color": "#8C4FFF"},
    "invoke": {"color": "#E7157B"},
    "integrate": {"color": "#E7157B", "style": "bold"},
    "trigger": {"color": "#D45B07", "style": "dashed"},
    "poll": {"color": "#D45B07", "style": "dashed"},
    "read": {"color": "#3B48CC"},
    "write": {"color": "#3B48CC"},
    "read_write": {"color": "#3B48CC", "penwidth": "1.5"},
    "authorize": {"color": "#7AA116", "style": "dotted"},
    "edge": {"color": "#8C4FFF", "style": "dotted"},
    "dead_letter": {"color": "#C7131F", "style": "dashed"},
    "destination": {"color": "#D45B07", "style": "dotted"},
    "resolve": {"color": "#3B48CC", "style": "bold"},
    "alias": {"color": "#8C4FFF", "style": "dashed"},
    "secure": {"color": "#7AA116", "style": "dotted"},
    "validate": {"color": "#7AA116", "style": "dotted"},
}


class RenderError(Exception):
    """The design could not be rendered; the message says why (shown to the user)."""


class OptionsInvalid(Invalid):
    """Render options with problems (unknown option, value out of its choices)."""


@dataclass(frozen=True)
class RenderOptions:
    format: str = "svg"
    direction: str = "LR"
    usage_labels: bool = True


OPTION_CHOICES: dict[str, tuple[Any, ...]] = {
    "format": tuple(FORMATS),
    "direction": DIRECTIONS,
    "usage_labels": (True, False),
}


def parse_params(params: Mapping[str, Any], *, pointer: str = "/params") -> dict[str, Any]:
    """Check render options and fill in defaults, so equal requests have equal (cacheable) params."""
    if not isinstance(params, Mapping):
        raise OptionsInvalid([Problem(pointer, "must be an object")])
    defaults = RenderOptions()
    problems = []
    normalized: dict[str, Any] = {}
    for name, choices in OPTION_CHOICES.items():
        value = params.get(name, getattr(defaults, name))
        if isinstance(value, str) and name == "direction":
            value = value.upper()
        if value not in choices or type(value) is not type(choices[0]):
            shown = ", ".join(json.dumps(choice) for choice in choices)
            problems.append(Problem(f"{pointer}/{name}", f"must be one of {shown}"))
        normalized[name] = value
    for name in sorted(set(params) - set(OPTION_CHOICES)):
        problems.append(Problem(f"{pointer}/{name}", f"unknown option (render takes {', '.join(OPTION_CHOICES)})"))
    if problems:
        raise OptionsInvalid(problems)
    return normalized


def options_from(params: Mapping[str, Any]) -> RenderOptions:
    return RenderOptions(**parse_params(params))


LINE_BREAK = "\\n"  # Graphviz's escape for a centred line break (two characters: backslash, n)


def escaped(text: str) -> str:
    """User text as a literal Graphviz label: escaped, with its own newlines as our line breaks."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return graphviz.nohtml(LINE_BREAK.join(graphviz.escape(line) for line in lines))


def _short_number(value: float) -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def usage_line(component: Any, catalog: Catalog) -> str:
    """A compact summary of the component's own usage figures, e.g. "3M invocations · 120 ms"."""
    fields = catalog.types[component.type].usage.fields
    parts = []
    for name, value in component.usage.items():
        unit = fields[name].unit if name in fields else None
        parts.append(f"{_short_number(value)} {unit or name.replace('_', ' ')}")
    return " · ".join(parts)


def _node_label(component: Any, catalog: Catalog, options: RenderOptions) -> str:
    text = component.label or catalog.types[component.type].label_of(component.props)
    if options.usage_labels and component.usage:
        text = f"{text}\n{usage_line(component, catalog)}"
    return escaped(text)


@cache
def graphviz_version() -> str:
    return ".".join(str(part) for part in graphviz.version())


def engine_version() -> str:
    """Changes whenever the same design could render to different bytes (our code or the tools)."""
    return f"{ENGINE_VERSION}/diagrams-{_diagrams_version()}/graphviz-{graphviz_version()}"


def _diagrams_version() -> str:
    from importlib.metadata import version

    return version("diagrams")


def _group_chain(group_id: str | None, groups: dict[str, Any]) -> list[str]:
    """Ids of the group and its enclosing groups, outermost first."""
    return [group.id for group in reversed(enclosing_groups(groups, group_id))]


def build_diagram(design: Design, options: RenderOptions, catalog: Catalog | None = None) -> Diagram:
    """The `diagrams` Diagram of ``design``: tier clusters in tier order, group clusters nested in them."""
    catalog = catalog or get_catalog()
    graph_attr = {
        "fontsize": "20",
        "pad": "0.5",
        "nodesep": "0.6",
        "ranksep": "1.0",
        "newrank": "true",
        "splines": "spline",
    }
    if options.format in ("png", "pdf"):
        graph_attr["size"] = f"{MAX_BITMAP_INCHES},{MAX_BITMAP_INCHES}"
        graph_attr["dpi"] = str(PNG_DPI)
    diagram = Diagram(
        "tierplan",
        filename="tierplan",  # never written: the output is piped
        outformat="svg",
        direction=options.direction,
        show=False,
        graph_attr=graph_attr,
    )
    diagram.dot.graph_attr["label"] = escaped(design.name)
    groups = {group.id: group for group in design.groups}
    tier_labels = {entry.id: entry.label or catalog.tiers[entry.id].label for entry in design.tiers}
    nodes: dict[str, Any] = {}

    diagrams.setdiagram(diagram)
    for tier in catalog.tier_order:
        if tier not in tier_labels:
            continue
        members = [c for c in design.components if c.tier == tier]
        with _cluster(f"cluster_tier_{tier}", tier_labels[tier]):
            _add_level(members, None, tier, groups, nodes, catalog, options)
    _order_tiers(design, catalog, nodes)
    for connection in design.connections:
        attrs = dict(EDGE_STYLES.get(connection.kind, {}))
        label = connection.label or connection.kind.replace("_", " ")
        edge = Edge(label=escaped(label), **attrs)
        nodes[connection.source] >> edge >> nodes[connection.target]
    return diagram


def _cluster(name: str, label: str) -> Cluster:
    cluster = Cluster(escaped(label))
    # diagrams names a cluster after its label; two groups with one label would then merge. Ours are
    # named by id.
    cluster.name = name
    cluster.dot.name = name
    return cluster


def _add_level(
    members: list[Any],
    parent: str | None,
    tier: str,
    groups: dict[str, Any],
    nodes: dict[str, Any],
    catalog: Catalog,
    options: RenderOptions,
) -> None:
    """Add the components of one tier that sit directly in ``parent``, then each child group as a cluster.

    A group spanning tiers (a VPC holding a function and a database) appears as one box in each tier.
    """
    for component in members:
        if component.group == parent:
            ctype = catalog.types[component.type]
            label = _node_label(component, catalog, options)
            # diagrams pads the node for its label's lines, but counts raw newlines; ours are escaped.
            drawn = component_node_class(ctype, component.props)
            height = f"{drawn._height + 0.4 * label.count(LINE_BREAK):.1f}"
            nodes[component.id] = drawn(label, nodeid=f"c_{component.id}", height=height)
    for group in groups.values():
        if group.parent != parent:
            continue
        inside = [c for c in members if group.id in _group_chain(c.group, groups)]
        if not inside:
            continue
        kind_label = catalog.group_kinds[group.kind].label
        label = f"{group.label} ({kind_label})" if group.label else kind_label
        with _cluster(f"cluster_{tier}_group_{group.id}", label):
            _add_level(inside, group.id, tier, groups, nodes, catalog, options)


def _order_tiers(design: Design, catalog: Catalog, nodes: dict[str, Any]) -> None:
    # Invisible edges from the first component of each tier to the first of the next keep the tiers in
    # presentation → logic → data order even where no connection crosses them.
    firsts = []
    for tier in catalog.tier_order:
        first = next((c.id for c in design.components if c.tier == tier), None)
        if first is not None:
            firsts.append(first)
    for before, after in zip(firsts, firsts[1:], strict=False):
        nodes[before] >> Edge(style="invis") >> nodes[after]


def render(design: Design, options: RenderOptions | None = None) -> bytes:
    """Render ``design`` (already validated) to the bytes of ``options.format``."""
    options = options or RenderOptions()
    if options.format not in FORMATS:
        raise RenderError(f"unknown format {options.format!r}; use one of {', '.join(FORMATS)}")
    if options.direction not in DIRECTIONS:
        raise RenderError(f"unknown direction {options.direction!r}; use one of {', '.join(DIRECTIONS)}")
    try:
        diagram = build_diagram(design, options)
        if options.format == "dot":
            return _portable_dot(diagram.dot.source).encode("utf-8")
        try:
            output = diagram.dot.pipe(format=options.format, quiet=True)
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, subprocess.SubprocessError) as exc:
            raise RenderError(f"Graphviz failed: {exc}") from exc
    finally:
        diagrams.setdiagram(None)
        diagrams.setcluster(None)
    if options.format == "svg":
        return self_contained_svg(output)
    return output


_IMAGE = re.compile(rb"<image\b([^>]*)/>")
_ATTRIBUTE = re.compile(rb'([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)"')
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")
_TEXT = re.compile(rb"(<text\b[^>]*>)([^<]*)(</text>)")
_EXTERNAL = re.compile(rb'javascript:|file:|href="(?!#tp-icon-\d+")(?!data:image/png;base64,)', re.IGNORECASE)


def self_contained_svg(svg: bytes) -> bytes:
    """Embed each icon once as a data URI and point every node at it; refuse any other reference.

    Graphviz links icons by absolute file path, useless once the file leaves this machine. Each
    distinct icon becomes one ``<image>`` in ``<defs>`` and every node a ``<use>`` of it, so a design
    with a hundred functions carries the Lambda icon once.
    """
    icons: dict[tuple[bytes, ...], int] = {}

    def reuse(match: re.Match[bytes]) -> bytes:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        target = attributes.get(b"xlink:href") or attributes.get(b"href") or b""
        _icon_data(target)  # refuses anything that is not one of the package's icons
        key = (
            target,
            attributes.get(b"width", b""),
            attributes.get(b"height", b""),
            attributes.get(b"preserveAspectRatio", b""),
        )
        number = icons.setdefault(key, len(icons))
        return b'<use xlink:href="#tp-icon-%d" x="%s" y="%s"/>' % (
            number,
            attributes.get(b"x", b"0"),
            attributes.get(b"y", b"0"),
        )

    body = _TEXT.sub(_neutral_text, _IMAGE.sub(reuse, svg))
    definitions = b"".join(
        b'<image id="tp-icon-%d" xlink:href="data:image/png;base64,%s" width="%s" height="%s" preserveAspectRatio="%s"/>'
        % (number, _icon_data(key[0]), key[1], key[2], key[3])
        for key, number in icons.items()
    )
    opening = _SVG_OPEN.search(body)
    if opening is None:
        raise RenderError("Graphviz produced no SVG element")
    embedded = body[: opening.end()] + b"\n<defs>" + definitions + b"</defs>" + body[opening.end() :]
    if _EXTERNAL.search(embedded):
        raise RenderError("the SVG would contain an external reference")
    return embedded


@cache
def _icon_data(target: bytes) -> bytes:
    """Base64 of an icon file of the `diagrams` package (read once per process); anything else fails."""
    path = Path(target.decode("utf-8")).resolve()
    if not (path.is_relative_to(diagrams_resources_root().resolve()) and path.suffix == ".png" and path.is_file()):
        raise RenderError("the SVG referenced something other than a service icon")
    return base64.b64encode(path.read_bytes())


def _neutral_text(match: re.Match[bytes]) -> bytes:
    # Text shows exactly what the user typed, but a colon is written as a character reference, so no
    # "javascript:"-like sequence appears in the file for a careless consumer to pick up as a URL.
    return match.group(1) + match.group(2).replace(b":", b"&#58;") + match.group(3)


_DOT_IMAGE = re.compile(r'image="([^"]*)"')


def _portable_dot(source: str) -> str:
    # The DOT source names icons by this machine's absolute paths; keep them relative to the
    # `diagrams` package's resources folder so the file says nothing about where it was made.
    root = str(diagrams_resources_root().resolve()) + "/"
    return _DOT_IMAGE.sub(lambda m: f'image="{m.group(1).removeprefix(root)}"', source)
