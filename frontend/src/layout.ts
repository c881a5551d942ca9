// Layout (the L key, the Layout button): the order of the cards in each tier lane comes from ELK's layered
// layout (elkjs), which places connected cards near each other and keeps connections from crossing; the
// lanes, the groups' blocks and the card spacing stay those of laneLayout, so the canvas keeps its shape.
//
// ELK sees every component, tier by tier (a partition per tier: the presentation tier first, the data tier
// last), and every connection. elkjs is large, so it is loaded when a layout is first asked for, not with
// the editor.
import type { ELK as ElkEngine, ElkNode } from "elkjs/lib/elk-api";
import { NODE_HEIGHT, NODE_WIDTH, TIERS, laneLayout } from "./design";
import type { Component, Design, Point } from "./types";

let engine: ElkEngine | null = null;

async function elk(): Promise<ElkEngine> {
  if (!engine) {
    const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
    engine = new ELK();
  }
  return engine;
}

const OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.partitioning.activate": "true",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "60",
};

function tierIndex(component: Component): number {
  const index = TIERS.indexOf(component.tier);
  return index < 0 ? TIERS.indexOf("logic") : index;
}

// The ELK graph of a design: one node per component (a card's size, its tier as partition), one edge per
// connection between two components.
export function elkGraph(design: Design): ElkNode {
  const ids = new Set(design.components.map((c) => c.id));
  return {
    id: "design",
    layoutOptions: OPTIONS,
    children: design.components.map((c) => ({
      id: c.id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      layoutOptions: { "elk.partitioning.partition": String(tierIndex(c)) },
    })),
    edges: design.connections
      .filter((c) => ids.has(c.source) && ids.has(c.target) && c.source !== c.target)
      .map((c) => ({ id: c.id, sources: [c.source], targets: [c.target] })),
  };
}

// The components in the order ELK placed them, left to right (top to bottom where two share a column).
export function elkOrder(design: Design, laidOut: ElkNode): Component[] {
  const at = Object.fromEntries((laidOut.children || []).map((n) => [n.id, n]));
  return [...design.components].sort(
    (a, b) => (at[a.id]?.x ?? 0) - (at[b.id]?.x ?? 0) || (at[a.id]?.y ?? 0) - (at[b.id]?.y ?? 0),
  );
}

// The design laid out: laneLayout's lanes and group blocks, in ELK's order.
export async function layeredLayout(design: Design): Promise<Design> {
  if (!design.components.length) return design;
  const laidOut = await (await elk()).layout(elkGraph(design));
  const positions = laneLayout(design, elkOrder(design, laidOut));
  return { ...design, components: design.components.map((c) => ({ ...c, position: positions[c.id] })) };
}

// How many pairs of connections cross when drawn as straight lines between card centres: what the layout
// keeps low (the tests compare it with the document-order layout).
export function crossings(design: Design, positions: Record<string, Point>): number {
  const centre = (id: string): Point => ({ x: positions[id].x + NODE_WIDTH / 2, y: positions[id].y + NODE_HEIGHT / 2 });
  const lines = design.connections
    .filter((c) => positions[c.source] && positions[c.target] && c.source !== c.target)
    .map((c) => [c.source, c.target, centre(c.source), centre(c.target)] as const);
  const side = (p: Point, q: Point, r: Point) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  let count = 0;
  for (let i = 0; i < lines.length; i += 1) {
    for (let j = i + 1; j < lines.length; j += 1) {
      const [s1, t1, a, b] = lines[i];
      const [s2, t2, c, d] = lines[j];
      if (s1 === s2 || s1 === t2 || t1 === s2 || t1 === t2) continue; // lines sharing a card meet there
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) count += 1;
    }
  }
  return count;
}
