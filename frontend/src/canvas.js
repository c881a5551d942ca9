import { MarkerType, Position } from "@xyflow/react";
import { worstSeverity } from "./components/Feedback.jsx";
import { LANE_HEIGHT, LANE_LEFT, NODE_HEIGHT, NODE_WIDTH, TIERS, detours, groupBoxes, laneLayout, laneTop } from "./design.js";
import { keepUnchanged } from "./reuse.js";

// The canvas drawn from the document: React Flow nodes (tier lanes, group boxes, component cards, and in
// a comparison the removed ones as ghosts) and edges (connections).

// Past this many components only the cards and connections in view are drawn (React Flow's
// onlyRenderVisibleElements). Cards out of view are never measured, so they get a card's size and
// handles up front: the first fit and the connections to them need no measuring.
export const LARGE_DESIGN = 250;
const CARD_UNSEEN = {
  measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
  handles: [
    { type: "target", position: Position.Top, x: NODE_WIDTH / 2, y: 0, width: 1, height: 1 },
    { type: "source", position: Position.Bottom, x: NODE_WIDTH / 2, y: NODE_HEIGHT, width: 1, height: 1 },
  ],
};

export function isLarge(design) {
  return (design?.components.length || 0) > LARGE_DESIGN;
}

// Where each card stands: its saved position, else its place in the lane layout (groups kept together).
export function cardPositions(design) {
  const defaults = laneLayout(design);
  return Object.fromEntries(design.components.map((c) => [c.id, c.position || defaults[c.id]]));
}

// The nodes for `shown`, reusing the previous ones that did not change. `focus` (a Set of component ids,
// or null) is selected instead of what was.
export function drawNodes(previous, { shown, positions, catalog, types, focus, large, locked, viewing, costs, errors, findingsById,
  openCommentsById, diffById, diff, selectedGroupId, selectGroup }) {
  const tierLabels = Object.fromEntries(catalog.tiers.map((t) => [t.id, t.label]));
  const groupKinds = Object.fromEntries((catalog.group_kinds || []).map((g) => [g.kind, g.label]));
  // The lanes reach past the rightmost card, wherever it stands (saved or laid out).
  const right = Math.max(0, ...Object.values(positions).map((p) => p?.x || 0));
  const width = Math.max(760, right + NODE_WIDTH + 160 - LANE_LEFT);
  const boxes = groupBoxes(shown, positions);
  const membered = new Set(shown.components.map((c) => c.group).concat((shown.groups || []).map((g) => g.parent)));
  const selected = new Set(previous.filter((n) => n.selected).map((n) => n.id));
  const lanes = TIERS.map((tier) => ({
    id: `lane:${tier}`,
    type: "tierLane",
    position: { x: LANE_LEFT, y: laneTop(tier) },
    data: { tier, label: tierLabels[tier] || tier, width, height: LANE_HEIGHT },
    ...(large ? { measured: { width, height: LANE_HEIGHT } } : {}),
    draggable: false,
    selectable: false,
    deletable: false,
    connectable: false,
    focusable: false,
    zIndex: -2,
  }));
  const groups = (shown.groups || []).filter((g) => boxes[g.id]).map((g) => ({
    id: `group:${g.id}`,
    type: "group",
    position: { x: boxes[g.id].x1, y: boxes[g.id].y1 },
    data: { id: g.id, kind: g.kind, kindLabel: groupKinds[g.kind] || g.kind, label: g.label,
      width: boxes[g.id].x2 - boxes[g.id].x1, height: boxes[g.id].y2 - boxes[g.id].y1,
      selected: g.id === selectedGroupId, empty: !membered.has(g.id), readOnly: locked, onSelect: selectGroup },
    ...(large ? { measured: { width: boxes[g.id].x2 - boxes[g.id].x1, height: boxes[g.id].y2 - boxes[g.id].y1 } } : {}),
    // Dragged by its label only; the box itself lets clicks and selection drags through to the canvas.
    draggable: !locked,
    dragHandle: ".group-label",
    style: { pointerEvents: "none" },
    selectable: false,
    deletable: false,
    connectable: false,
    focusable: false,
    zIndex: -1,
  }));
  const components = shown.components.map((c) => {
    const found = findingsById[c.id] || [];
    return {
      id: c.id,
      type: "component",
      position: positions[c.id],
      data: {
        component: c,
        ctype: types[c.type],
        cost: !viewing || costs.revision === viewing.number ? costs.byId[c.id] : undefined,
        problems: viewing ? undefined : errors.byComponent[c.id],
        findings: found,
        severity: worstSeverity(found),
        openComments: openCommentsById[c.id] || 0,
        diff: diffById[c.id],
      },
      selected: focus ? focus.has(c.id) : selected.has(c.id),
      ariaLabel: c.label || c.id,
      ...(large ? CARD_UNSEEN : {}),
    };
  });
  const ghosts = diff
    ? diff.oldDesign.components
        .filter((c) => !shown.components.some((x) => x.id === c.id))
        .map((c, index) => ({
          id: `removed:${c.id}`,
          type: "component",
          position: c.position || { x: 80 + index * 200, y: laneTop(c.tier) + 60 },
          data: { component: c, ctype: types[c.type], diff: "removed", findings: [], openComments: 0 },
          draggable: false,
          selectable: false,
          connectable: false,
          deletable: false,
        }))
    : [];
  // Keep what React Flow measured: a rebuilt node without its size is hidden until measured again,
  // and a rebuild that lands in the same render as a measurement would leave it hidden for good.
  const measured = new Map(previous.filter((n) => n.measured).map((n) => [n.id, n.measured]));
  return keepUnchanged(
    previous,
    [...lanes, ...groups, ...components, ...ghosts].map((n) => (measured.has(n.id) ? { ...n, measured: measured.get(n.id) } : n)),
  );
}

// The edges for `shown`, reusing the previous ones that did not change.
export function drawEdges(previous, { shown, positions, viewing, errors, diffByConnection, diff }) {
  const overRow = detours(shown.connections, positions);
  const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
  const drawn = shown.connections.map((c) => {
    const invalid = !viewing && errors.byConnection?.[c.id];
    const changed = diffByConnection[c.id];
    return {
      id: c.id,
      source: c.source,
      target: c.target,
      label: c.label || [c.kind, c.props?.route].filter(Boolean).join(" · "),
      selected: selected.has(c.id),
      type: "floating",
      markerEnd: { type: MarkerType.ArrowClosed },
      data: { kind: c.kind, invalid: Boolean(invalid), detour: overRow.has(c.id) },
      className: `connection kind-${c.kind}${invalid ? " invalid" : ""}${changed ? ` diff-${changed}` : ""}`,
    };
  });
  // In a comparison, connections that are gone are drawn dashed between what is left of their ends.
  const present = new Set(shown.components.map((c) => c.id));
  const ghosts = (diff?.data.connections?.removed || []).map((c) => ({
    id: `removed:${c.id}`,
    source: present.has(c.source) ? c.source : `removed:${c.source}`,
    target: present.has(c.target) ? c.target : `removed:${c.target}`,
    label: c.label || c.kind,
    selectable: false,
    deletable: false,
    type: "floating",
    markerEnd: { type: MarkerType.ArrowClosed },
    data: { kind: c.kind },
    className: `connection kind-${c.kind} diff-removed`,
  }));
  return keepUnchanged(previous, [...drawn, ...ghosts]);
}
