// The nodes and edges that draw a design read-only (the import preview): tier lanes, group boxes, component
// cards and connections, as the editor draws them, with nothing to select, drag or connect.
import { MarkerType } from "@xyflow/react";
import type { Edge, Node } from "@xyflow/react";
import { LANE_HEIGHT, LANE_LEFT, NODE_WIDTH, TIERS, detours, groupBoxes, laneLayout, laneTop } from "./design";
import type { Catalog, Design, Point } from "./types";

const FIXED = { draggable: false, selectable: false, deletable: false, connectable: false, focusable: false };

export function previewGraph(design: Design, catalog: Catalog | null): { nodes: Node[]; edges: Edge[] } {
  const types = Object.fromEntries((catalog?.types || []).map((t) => [t.type, t]));
  const tierLabels = Object.fromEntries((catalog?.tiers || []).map((t) => [t.id, t.label]));
  const groupKinds = Object.fromEntries((catalog?.group_kinds || []).map((g) => [g.kind, g.label]));
  const defaults = laneLayout(design);
  const positions: Record<string, Point> = Object.fromEntries(design.components.map((c) => [c.id, c.position || defaults[c.id]]));
  const right = Math.max(0, ...Object.values(positions).map((p) => p.x));
  const width = Math.max(760, right + NODE_WIDTH + 160 - LANE_LEFT);
  const boxes = groupBoxes(design, positions);
  const lanes = TIERS.map((tier) => ({
    id: `lane:${tier}`,
    type: "tierLane",
    position: { x: LANE_LEFT, y: laneTop(tier) },
    data: { tier, label: tierLabels[tier] || tier, width, height: LANE_HEIGHT },
    zIndex: -2,
    ...FIXED,
  }));
  const groups = (design.groups || []).filter((g) => boxes[g.id]).map((g) => ({
    id: `group:${g.id}`,
    type: "group",
    position: { x: boxes[g.id].x1, y: boxes[g.id].y1 },
    data: { id: g.id, kind: g.kind, kindLabel: groupKinds[g.kind] || g.kind, label: g.label, readOnly: true,
      width: boxes[g.id].x2 - boxes[g.id].x1, height: boxes[g.id].y2 - boxes[g.id].y1 },
    style: { pointerEvents: "none" as const },
    zIndex: -1,
    ...FIXED,
  }));
  const components = design.components.map((c) => ({
    id: c.id,
    type: "component",
    position: positions[c.id],
    data: { component: c, ctype: types[c.type], findings: [], openComments: 0 },
    ariaLabel: c.label || c.id,
    ...FIXED,
  }));
  const overRow = detours(design.connections, positions);
  const edges = design.connections.map((c) => ({
    id: c.id,
    source: c.source,
    target: c.target,
    label: c.label || [c.kind, c.props?.route].filter(Boolean).join(" · "),
    type: "floating",
    markerEnd: { type: MarkerType.ArrowClosed },
    data: { kind: c.kind, detour: overRow.has(c.id) },
    className: `connection kind-${c.kind}`,
    selectable: false,
    focusable: false,
  }));
  return { nodes: [...lanes, ...groups, ...components], edges };
}
