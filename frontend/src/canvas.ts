import { MarkerType, Position, type Edge, type Node } from "@xyflow/react";
import { worstSeverity } from "./components/Feedback";
import { LANE_HEIGHT, LANE_LEFT, NODE_HEIGHT, NODE_WIDTH, TIERS, detours, groupBoxes, laneLayout, laneTop } from "./design";
import { keepUnchanged } from "./reuse";
import type { Catalog, Component, ComponentType, Connection, Design, DesignDiff, FieldErrors, Finding, Point, SaveErrors } from "./types";

// The nodes' data (type aliases, not interfaces: React Flow wants data assignable to a record).
export type ComponentCardData = {
  component: Component;
  ctype?: ComponentType;
  cost?: number;
  problems?: FieldErrors;
  findings: Finding[];
  severity?: string | null;
  openComments: number;
  diff?: string;
};
export type GroupBoxData = {
  id: string;
  kind: string;
  kindLabel: string;
  label?: string;
  width: number;
  height: number;
  selected?: boolean;
  empty?: boolean;
  readOnly: boolean;
  onSelect?: (id: string) => void;
};
export type LaneData = { tier: string; label: string; width: number; height: number };
export type ComponentCard = Node<ComponentCardData, "component">;
export type GroupBox = Node<GroupBoxData, "group">;
export type Lane = Node<LaneData, "tierLane">;
export type StudioNode = ComponentCard | GroupBox | Lane;
export type ConnectionData = { kind: string; invalid?: boolean; detour?: boolean };
export type ConnectionEdge = Edge<ConnectionData, "floating">;

// A comparison with an old revision: the diff and the old design (for what is gone).
export interface Comparison {
  from: number;
  to: number;
  data: DesignDiff;
  oldDesign: Design;
}
// An old revision shown read only.
export interface Viewing {
  number: number;
  design: Design;
  author?: string;
  created_at: string;
}
type Positions = Record<string, Point>;

// The canvas drawn from the document: React Flow nodes (tier lanes, group boxes, component cards, and in
// a comparison the removed ones as ghosts) and edges (connections).

// Past this many components only the cards and connections in view are drawn (React Flow's
// onlyRenderVisibleElements). Cards out of view are never measured, so they get a card's size and
// handles up front: the first fit and the connections to them need no measuring.
export const LARGE_DESIGN = 250;
const CARD_UNSEEN: Pick<ComponentCard, "measured" | "handles"> = {
  measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
  handles: [
    { type: "target", position: Position.Top, x: NODE_WIDTH / 2, y: 0, width: 1, height: 1 },
    { type: "source", position: Position.Bottom, x: NODE_WIDTH / 2, y: NODE_HEIGHT, width: 1, height: 1 },
  ],
};

export function isLarge(design: Design | null | undefined): boolean {
  return (design?.components.length || 0) > LARGE_DESIGN;
}

// Where each card stands: its saved position, else its place in the lane layout (groups kept together).
export function cardPositions(design: Design): Positions {
  const defaults = laneLayout(design);
  return Object.fromEntries(design.components.map((c) => [c.id, c.position || defaults[c.id]]));
}

// The nodes for `shown`, reusing the previous ones that did not change. `focus` (a Set of component ids,
// or null) is selected instead of what was.
interface NodeInputs {
  shown: Design;
  positions: Positions;
  catalog: Catalog;
  types: Record<string, ComponentType>;
  focus: Set<string> | null;
  large: boolean;
  locked: boolean;
  viewing: Viewing | null;
  costs: { byId: Record<string, number>; revision: number | null };
  errors: SaveErrors;
  findingsById: Record<string, Finding[]>;
  openCommentsById: Record<string, number>;
  diffById: Record<string, string>;
  diff: Comparison | null;
  selectedGroupId: string | null;
  selectGroup: (id: string) => void;
}
export function drawNodes(previous: StudioNode[], { shown, positions, catalog, types, focus, large, locked, viewing, costs, errors,
  findingsById, openCommentsById, diffById, diff, selectedGroupId, selectGroup }: NodeInputs): StudioNode[] {
  const tierLabels = Object.fromEntries(catalog.tiers.map((t) => [t.id, t.label]));
  const groupKinds = Object.fromEntries((catalog.group_kinds || []).map((g) => [g.kind, g.label]));
  // The lanes reach past the rightmost card, wherever it stands (saved or laid out).
  const right = Math.max(0, ...Object.values(positions).map((p) => p?.x || 0));
  const width = Math.max(760, right + NODE_WIDTH + 160 - LANE_LEFT);
  const boxes = groupBoxes(shown, positions);
  const membered = new Set<string | null | undefined>(shown.components.map((c) => c.group).concat((shown.groups || []).map((g) => g.parent)));
  const selected = new Set(previous.filter((n) => n.selected).map((n) => n.id));
  const lanes = TIERS.map((tier): Lane => ({
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
  const groups = (shown.groups || []).filter((g) => boxes[g.id]).map((g): GroupBox => ({
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
    style: { pointerEvents: "none" as const },
    selectable: false,
    deletable: false,
    connectable: false,
    focusable: false,
    zIndex: -1,
  }));
  const components = shown.components.map((c): ComponentCard => {
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
        .map((c, index): ComponentCard => ({
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
  return keepUnchanged<StudioNode>(
    previous,
    [...lanes, ...groups, ...components, ...ghosts].map((n) => (measured.has(n.id) ? { ...n, measured: measured.get(n.id) } : n)),
  );
}

// The edges for `shown`, reusing the previous ones that did not change.
interface EdgeInputs {
  shown: Design;
  positions: Positions;
  viewing: Viewing | null;
  errors: SaveErrors;
  diffByConnection: Record<string, string>;
  diff: Comparison | null;
}
export function drawEdges(previous: ConnectionEdge[], { shown, positions, viewing, errors, diffByConnection, diff }: EdgeInputs): ConnectionEdge[] {
  const overRow = detours(shown.connections, positions);
  const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
  const drawn = shown.connections.map((c): ConnectionEdge => {
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
  const ghosts = (diff?.data.connections?.removed || []).map((c: Connection): ConnectionEdge => ({
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
