"""Connections read on every pattern in the library, as the studio opens it: each leaves its source and
enters its target on no side facing away from the other card, runs through neither card, and has its label
drawn whole, over no card."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.patterns import pattern_library
from apps.projects import services
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor import head, head_number, log_in, open_editor

# For each drawn connection: its ends' boxes and points sampled along its path, in page coordinates.
GEOMETRY = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const nodes = Object.fromEntries([...document.querySelectorAll('.react-flow__node-component')]
    .map((n) => [n.dataset.id, box(n)]));
  const edges = [...document.querySelectorAll('.react-flow__edge')].map((g) => {
    const id = g.dataset.testid.replace('rf__edge-', '');
    const path = g.querySelector('path.react-flow__edge-path');
    const matrix = path.getScreenCTM();
    const length = path.getTotalLength();
    const points = [];
    for (let i = 0; i <= 40; i += 1) {
      const p = path.getPointAtLength((length * i) / 40);
      points.push({x: matrix.a * p.x + matrix.c * p.y + matrix.e, y: matrix.b * p.x + matrix.d * p.y + matrix.f});
    }
    const label = document.querySelector(`[data-edge-label="${CSS.escape(id)}"]`);
    return {id, points, label: label ? box(label) : null, labelZ: label ? getComputedStyle(label.parentElement).zIndex : null};
  });
  return {nodes, edges};
}"""


def side_of(point: dict[str, float], box: dict[str, float], tolerance: float = 2.5) -> str | None:
    """The side of ``box`` that ``point`` lies on, if any."""
    within_x = box["x"] - tolerance <= point["x"] <= box["x"] + box["w"] + tolerance
    within_y = box["y"] - tolerance <= point["y"] <= box["y"] + box["h"] + tolerance
    if within_y and abs(point["x"] - box["x"]) <= tolerance:
        return "left"
    if within_y and abs(point["x"] - (box["x"] + box["w"])) <= tolerance:
        return "right"
    if within_x and abs(point["y"] - box["y"]) <= tolerance:
        return "top"
    if within_x and abs(point["y"] - (box["y"] + box["h"])) <= tolerance:
        return "bottom"
    return None


OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}


def facing(box: dict[str, float], other: dict[str, float]) -> set[str]:
    """The sides of ``box`` that face ``other``: the one or two sides towards which ``other`` lies."""
    sides = set()
    if other["x"] >= box["x"] + box["w"]:
        sides.add("right")
    if other["x"] + other["w"] <= box["x"]:
        sides.add("left")
    if other["y"] >= box["y"] + box["h"]:
        sides.add("bottom")
    if other["y"] + other["h"] <= box["y"]:
        sides.add("top")
    return sides


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
    )


def inside(point: dict[str, float], box: dict[str, float], margin: float = 2.0) -> bool:
    return (
        box["x"] + margin < point["x"] < box["x"] + box["w"] - margin
        and box["y"] + margin < point["y"] < box["y"] + box["h"] - margin
    )


LANE_LABELS = """() => {
  const canvas = document.querySelector('.react-flow').getBoundingClientRect();
  return [...document.querySelectorAll('[data-tier-lane]')].map((lane) => {
    const label = lane.querySelector('.tier-lane-label').getBoundingClientRect();
    return { tier: lane.dataset.tierLane, left: label.left - canvas.left, right: canvas.right - label.right };
  });
}"""


def assert_lanes_named(page: Any) -> None:
    """Every tier lane's label is inside the canvas, however the fit panned (a wide design starts panned)."""
    for lane in page.evaluate(LANE_LABELS):
        assert lane["left"] >= 0 and lane["right"] >= 0, lane


def assert_connections_read(geometry: dict[str, Any], connections: dict[str, Any]) -> None:
    """Every drawn connection between two drawn cards: through neither card, out of and into sides that do
    not face away from the other card, its label drawn whole, and no label over a card."""
    edges = [e for e in geometry["edges"] if e["id"] in connections]
    for edge in edges:
        connection = connections[edge["id"]]
        if connection.source not in geometry["nodes"] or connection.target not in geometry["nodes"]:
            continue  # an end out of view (a large design draws only what is in view)
        for end in (connection.source, connection.target):
            box = geometry["nodes"][end]
            through = [p for p in edge["points"] if inside(p, box)]
            assert not through, f"{edge['id']} runs through its card {end}"
        # It leaves its source, and enters its target, on no side that faces away from the other card: no
        # U-turn out of one side and back past its own card.
        source, target = geometry["nodes"][connection.source], geometry["nodes"][connection.target]
        for point, box, other in ((edge["points"][0], source, target), (edge["points"][-1], target, source)):
            side = side_of(point, box)
            assert side is not None, (edge["id"], point, box)
            assert side not in {OPPOSITE[s] for s in facing(box, other)}, (edge["id"], side, facing(box, other))
        if connection.label or connection.kind:
            label = edge["label"]
            assert label is not None and label["w"] > 0, edge["id"]
    overlaps = [
        (edge["id"], node_id)
        for edge in edges
        if edge["label"]
        for node_id, box in geometry["nodes"].items()
        if overlap(edge["label"], box)
    ]
    assert not overlaps, f"labels over cards (connection, card): {overlaps}"


@pytest.mark.parametrize("slug", sorted(pattern_library()))
def test_no_connection_runs_through_its_own_cards_and_labels_are_whole(
    live_server: Any, page: Any, team: Any, alice: Any, slug: str
) -> None:
    pattern = pattern_library()[slug]
    project = services.project_create(team=team, user=alice, name=pattern.name, design=pattern.design)
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)
    page.locator(".canvas[data-canvas-ready]").wait_for()
    page.wait_for_timeout(300)  # the initial fit's animation
    geometry = page.evaluate(GEOMETRY)
    connections = {c.id: c for c in pattern.design.connections}
    assert {e["id"] for e in geometry["edges"]} == set(connections)
    assert_connections_read(geometry, connections)
    assert_lanes_named(page)
    screenshot(page, f"pattern-{slug}")
    # Layout (ELK's order in each lane) keeps them readable too, and leaves every card in its tier.
    before = {c.id: c.tier for c in pattern.design.components}
    page.click("button:has-text('Layout')")
    for _ in range(100):
        if head_number(project) > 1:
            break
        page.wait_for_timeout(100)
    page.locator("[data-save-state=saved]").wait_for()
    page.wait_for_timeout(400)  # the fit's animation
    laid_out = head(project)
    assert {c["id"]: c["tier"] for c in laid_out["components"]} == before
    assert all(c.get("position") for c in laid_out["components"])
    assert_connections_read(page.evaluate(GEOMETRY), connections)
    screenshot(page, f"pattern-{slug}-layout")


def test_a_1000_component_design_reads_where_it_is_shown(live_server: Any, page: Any, team: Any, alice: Any) -> None:
    from apps.designs.document import validate_design
    from tests.rendering.designs import chain_design

    design = validate_design(chain_design(1000, name="Large"))
    project = services.project_create(team=team, user=alice, name="Large", design=design)
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)
    page.locator(".canvas[data-canvas-ready]").wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    geometry = page.evaluate(GEOMETRY)
    # Only what is in view is drawn, at a legible zoom: a few dozen cards, not a thousand.
    assert 4 <= len(geometry["nodes"]) < 200, len(geometry["nodes"])
    drawn = [e for e in geometry["edges"] if e["label"]]
    assert drawn, "no connection drawn in view"
    assert_connections_read(geometry, {c.id: c for c in design.connections})
    screenshot(page, "large-1000-in-view")
