// Pure functions over the design document (tierplan.design/v1): lanes, ids, connection kinds, errors.
import type { Box, Catalog, Component, ComponentType, Connection, Design, ErrorDetail, FieldErrors, Group, GroupKind, Point, SaveErrors,
  Size } from "./types";

// Where each card stands, by component id (undefined for one not drawn).
export type Positions = Record<string, Point | null | undefined>;
// What a copy holds: components and the connections among them.
export interface Clip {
  components: Component[];
  connections: Connection[];
}

export const TIERS = ["presentation", "logic", "data"];
export const LANE_HEIGHT = 220;
export const LANE_LEFT = -60;
export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 64;
// Room between cards side by side in a lane for the label of a connection between them.
export const COLUMN_GAP = 130;
export const COLUMN_WIDTH = NODE_WIDTH + COLUMN_GAP;

export function laneTop(tier: string): number {
  return Math.max(0, TIERS.indexOf(tier)) * LANE_HEIGHT;
}

// The tier lane a point falls in (lanes are horizontal bands, top to bottom).
export function tierAt(y: number): string {
  const index = Math.min(TIERS.length - 1, Math.max(0, Math.floor(y / LANE_HEIGHT)));
  return TIERS[index];
}

// Keeps a node inside its lane's band, so components always sit in a tier.
export function snapIntoLane(position: Point, tier: string): Point {
  const top = laneTop(tier);
  const y = Math.min(top + LANE_HEIGHT - NODE_HEIGHT - 16, Math.max(top + 24, position.y));
  return { x: Math.round(position.x), y: Math.round(y) };
}

// `<type>_<n>`: the smallest n not taken (ids are slugs of at most 64 characters).
export function newId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = prefix.replace(/[^a-z0-9_]/g, "_").slice(0, 58);
  for (let n = 1; ; n += 1) {
    const id = `${stem}_${n}`;
    if (!used.has(id)) return id;
  }
}

// A free spot at the right end of a lane, right of every card the canvas shows there: components without
// a stored position are drawn where the lane layout puts them, so those count as well.
export function freeSpot(design: Design, tier: string): Point {
  const laidOut = laneLayout(design);
  const shown = design.components
    .filter((c) => (TIERS.includes(c.tier) ? c.tier : "logic") === tier)
    .map((c) => c.position || laidOut[c.id])
    .filter((p): p is Point => Boolean(p));
  const x = shown.length ? Math.max(...shown.map((p) => p.x)) + COLUMN_WIDTH : 80;
  return { x, y: laneTop(tier) + 60 };
}

export function addComponent(design: Design, ctype: ComponentType, position?: Point): { design: Design; id: string } {
  const id = newId(ctype.type, design.components.map((c) => c.id));
  const tier = position ? tierAt(position.y + NODE_HEIGHT / 2) : ctype.tier;
  const component: Component = {
    id,
    type: ctype.type,
    tier,
    label: ctype.label,
    props: {},
    usage: {},
    group: null,
    position: snapIntoLane(position || freeSpot(design, tier), tier),
  };
  return { design: { ...design, components: [...design.components, component] }, id };
}

export function validKinds(catalog: Catalog, sourceType: string, targetType: string) {
  return catalog.connection_kinds.filter(
    (k) =>
      k.sources.includes(sourceType) &&
      k.targets.includes(targetType) &&
      !(k.excludes || []).some((e) => e.source === sourceType && e.target === targetType),
  );
}

// The icon a component is drawn with: its type's, or for a generic CloudFormation resource the icon of
// its resource type or service (as the server's renderer picks it, names compared without case).
export function iconOf(ctype: ComponentType | null | undefined, component?: Component | null): string | undefined {
  const icons = ctype?.resource_icons;
  if (!icons) return ctype?.icon;
  const resourceType = String(component?.props?.resource_type ?? ctype.defaults?.props?.resource_type ?? "");
  const folded = (map: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(map).map(([k, url]) => [k.toLowerCase(), url]));
  const service = resourceType.split("::")[1] || "";
  return (
    folded(icons.resources)[resourceType.toLowerCase()] || folded(icons.services)[service.toLowerCase()] || icons.generic
  );
}

// Why AWS has no connection between two types although a kind lists both ends (the catalog's excludes).
export function exclusionReason(catalog: Catalog, sourceType: string, targetType: string): string | null {
  for (const kind of catalog.connection_kinds) {
    const excluded = (kind.excludes || []).find((e) => e.source === sourceType && e.target === targetType);
    if (excluded) return excluded.why;
  }
  return null;
}

export function addConnection(design: Design, source: string, target: string, kind: string): Design {
  const id = newId(`${source}_${target}`.slice(0, 56), design.connections.map((c) => c.id));
  const connection = { id, source, target, kind, label: "", props: {} };
  return { ...design, connections: [...design.connections, connection] };
}

export function removeItems(design: Design, componentIds: string[], connectionIds: string[]): Design {
  const gone = new Set(componentIds);
  const goneEdges = new Set(connectionIds);
  return {
    ...design,
    components: design.components.filter((c) => !gone.has(c.id)),
    connections: design.connections.filter(
      (c) => !goneEdges.has(c.id) && !gone.has(c.source) && !gone.has(c.target),
    ),
  };
}

export function updateComponent(design: Design, id: string, change: (c: Component) => Component): Design {
  return { ...design, components: design.components.map((c) => (c.id === id ? change(c) : c)) };
}

export function updateConnection(design: Design, id: string, change: (c: Connection) => Connection): Design {
  return { ...design, connections: design.connections.map((c) => (c.id === id ? change(c) : c)) };
}

// A 400's details (pointers like /design/components/3/props/memory_mb or /design/connections/0/props/route)
// sorted by the component or connection and field they name, using the document that was sent to find ids.
export function errorsByComponent(details: ErrorDetail[] | undefined, sentDesign: Design): SaveErrors {
  const byComponent: Record<string, FieldErrors> = {};
  const byConnection: Record<string, FieldErrors> = {};
  const byGroup: Record<string, FieldErrors> = {};
  const general: string[] = [];
  for (const detail of details || []) {
    const match = /^(?:\/design)?\/(components|connections|groups)\/(\d+)(?:\/(.*))?$/.exec(detail.pointer || "");
    const listName = match?.[1] as "components" | "connections" | "groups" | undefined;
    const item = listName && match ? (sentDesign[listName] || [])[Number(match[2])] : undefined;
    if (listName && match && item) {
      const parts = (match[3] || "").split("/");
      const field = parts.slice(0, 2).join(".") || "_";
      // Deeper pointers (inside an object prop: props/properties/Tags/0/Key) keep their path in the message.
      const inside = parts.slice(2).map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~")).join("/");
      const message = inside ? `${inside}: ${detail.message}` : detail.message;
      const target = { components: byComponent, connections: byConnection, groups: byGroup }[listName];
      const before = target[item.id]?.[field];
      target[item.id] = { ...target[item.id], [field]: before ? `${before}\n${message}` : message };
    } else {
      general.push(`${detail.pointer || "/"}: ${detail.message}`);
    }
  }
  return { byComponent, byConnection, byGroup, general };
}

// Pastes copies of some components (new ids, shifted a little) and the connections among them.
// `clip` is {components, connections} as copied, so it still pastes after the originals are gone.
export function duplicate(design: Design, clip: Clip, offset: Point = { x: 40, y: 40 }): { design: Design; ids: string[] } {
  const taken = design.components.map((c) => c.id);
  const renames: Record<string, string> = {};
  const components: Component[] = [];
  for (const c of clip.components) {
    const id = newId(c.type, [...taken, ...Object.values(renames)]);
    renames[c.id] = id;
    const position = c.position ? snapIntoLane({ x: c.position.x + offset.x, y: c.position.y + offset.y }, c.tier) : null;
    // A group that is not in this design (a copy from another project) is dropped, not left dangling.
    const group = (design.groups || []).some((g) => g.id === c.group) ? c.group : null;
    // An imported component's kept CloudFormation (its logical id, its properties as written) belongs to
    // the original: the copy is a new resource.
    const { cloudformation: _kept, ...fields } = c;
    components.push({ ...fields, id, props: { ...c.props }, usage: { ...c.usage }, group, position });
  }
  let next = { ...design, components: [...design.components, ...components] };
  for (const c of clip.connections) {
    if (!renames[c.source] || !renames[c.target]) continue;
    const id = newId(`${renames[c.source]}_${renames[c.target]}`.slice(0, 56), next.connections.map((x) => x.id));
    const copy = { ...c, id, source: renames[c.source], target: renames[c.target], props: { ...c.props } };
    next = { ...next, connections: [...next.connections, copy] };
  }
  return { design: next, ids: components.map((c) => c.id) };
}

// Groups (VPC, account). A group's box surrounds its members and nested groups, padded; a group with
// nothing in it yet is drawn where it was put (`position`, `size`) so components can be dropped into it.
export const GROUP_PAD = 24;
export const EMPTY_GROUP_SIZE: Size = { width: NODE_WIDTH * 2 + 3 * GROUP_PAD, height: NODE_HEIGHT + 4 * GROUP_PAD };

function groupDepth(design: Design, id: string): number {
  const parentOf: Record<string, string | null | undefined> = Object.fromEntries((design.groups || []).map((g) => [g.id, g.parent]));
  let depth = 0;
  for (let p = parentOf[id]; p && depth < 10; p = parentOf[p]) depth += 1;
  return depth;
}

// Each group's box {x1, y1, x2, y2}, given every component's position (inner groups first, as they nest).
export function groupBoxes(design: Design, positions: Positions): Record<string, Box> {
  const boxes: Record<string, Box> = {};
  const groups = [...(design.groups || [])].sort((a, b) => groupDepth(design, b.id) - groupDepth(design, a.id));
  for (const g of groups) {
    const rects: Box[] = [];
    for (const c of design.components) {
      const p = positions[c.id];
      if (c.group === g.id && p) rects.push({ x1: p.x, y1: p.y, x2: p.x + NODE_WIDTH, y2: p.y + NODE_HEIGHT });
    }
    for (const inner of groups) if (inner.parent === g.id && boxes[inner.id]) rects.push(boxes[inner.id]);
    if (!rects.length) {
      if (!g.position) continue;
      const size = g.size || EMPTY_GROUP_SIZE;
      boxes[g.id] = { x1: g.position.x, y1: g.position.y, x2: g.position.x + size.width, y2: g.position.y + size.height };
      continue;
    }
    boxes[g.id] = {
      x1: Math.min(...rects.map((r) => r.x1)) - GROUP_PAD, y1: Math.min(...rects.map((r) => r.y1)) - GROUP_PAD - 14,
      x2: Math.max(...rects.map((r) => r.x2)) + GROUP_PAD, y2: Math.max(...rects.map((r) => r.y2)) + GROUP_PAD,
    };
  }
  return boxes;
}

// The innermost group whose box holds the point, or null.
export function groupAt(design: Design, boxes: Record<string, Box>, point: Point): Group | null {
  let best: Group | null = null;
  for (const g of design.groups || []) {
    const b = boxes[g.id];
    if (!b || point.x < b.x1 || point.x > b.x2 || point.y < b.y1 || point.y > b.y2) continue;
    if (!best || groupDepth(design, g.id) > groupDepth(design, best.id)) best = g;
  }
  return best;
}

// The group and every group nested in it, at any depth.
export function groupFamily(design: Design, id: string): Set<string> {
  const family = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const g of design.groups || []) {
      if (g.parent && family.has(g.parent) && !family.has(g.id)) {
        family.add(g.id);
        grew = true;
      }
    }
  }
  return family;
}

// Groups a group may be nested in: of a kind its catalog entry allows, and not itself or one of its own.
export function possibleParents(design: Design, group: Group, kindInfo: GroupKind | undefined): Group[] {
  const family = groupFamily(design, group.id);
  return (design.groups || []).filter((g) => (kindInfo?.parents || []).includes(g.kind) && !family.has(g.id));
}

// Moves a group with everything in it: members keep their places relative to each other and each lands in
// the tier lane under its centre; empty nested groups move along.
export function moveGroup(design: Design, id: string, delta: Point, positions: Positions): Design {
  const family = groupFamily(design, id);
  return {
    ...design,
    groups: (design.groups || []).map((g) =>
      family.has(g.id) && g.position ? { ...g, position: { x: Math.round(g.position.x + delta.x), y: Math.round(g.position.y + delta.y) } } : g,
    ),
    components: design.components.map((c) => {
      const p = positions[c.id];
      if (!c.group || !family.has(c.group) || !p) return c;
      const moved = { x: p.x + delta.x, y: p.y + delta.y };
      const tier = tierAt(moved.y + NODE_HEIGHT / 2);
      return { ...c, tier, position: snapIntoLane(moved, tier) };
    }),
  };
}

// A new, empty group to the right of everything in the logic lane.
export function addGroup(design: Design, kind: string, label: string): { design: Design; id: string } {
  const id = newId(kind, (design.groups || []).map((g) => g.id));
  const right = Math.max(0, ...design.components.map((c) => (c.position?.x ?? 0) + NODE_WIDTH));
  const position = { x: Math.round(right + 80), y: laneTop("logic") + 24 };
  const group: Group = { id, kind, label: `${label} ${id.split("_").pop()}`, parent: null, props: {}, position, size: EMPTY_GROUP_SIZE };
  return { design: { ...design, groups: [...(design.groups || []), group] }, id };
}

export function updateGroup(design: Design, id: string, change: (g: Group) => Group): Design {
  return { ...design, groups: (design.groups || []).map((g) => (g.id === id ? change(g) : g)) };
}

// Removes a group: its members and nested groups stay, one level up.
export function removeGroup(design: Design, id: string): Design {
  const removed = (design.groups || []).find((g) => g.id === id);
  const up = removed?.parent ?? null;
  return {
    ...design,
    groups: (design.groups || []).filter((g) => g.id !== id).map((g) => (g.parent === id ? { ...g, parent: up } : g)),
    components: design.components.map((c) => (c.group === id ? { ...c, group: up } : c)),
  };
}

// Lane positions for `components` (default: all of them, in document order): in each tier lane the
// components outside any group come first, then each top-level group's members side by side, with the
// group's columns lined up across lanes and a gap around it, so a group's box holds only its members.
// The server lays out pattern designs the same way (apps/designs/patterns.py, lay_out).
export const GROUP_GAP = 60;
export function laneLayout(design: Design, components: Component[] = design.components): Record<string, Point> {
  const groups = design.groups || [];
  const parentOf: Record<string, string | null | undefined> = Object.fromEntries(groups.map((g) => [g.id, g.parent]));
  const groupIndex: Record<string, number> = Object.fromEntries(groups.map((g, index) => [g.id, index]));
  const top = (id: string): string => {
    for (let n = 0, up = parentOf[id]; n < groups.length && up; n += 1, up = parentOf[id]) id = up;
    return id;
  };
  const blocks = new Map<string | null, Component[]>();
  for (const c of components) {
    const block = c.group ? top(c.group) : null;
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block)?.push(c);
  }
  const positions: Record<string, Point> = {};
  let x = 80;
  for (const block of [null as string | null, ...groups.filter((g) => top(g.id) === g.id).map((g) => g.id)]) {
    let members = blocks.get(block) || [];
    if (!members.length) continue;
    if (block !== null) {
      members = [...members].sort((a, b) => (groupIndex[a.group ?? ""] ?? 0) - (groupIndex[b.group ?? ""] ?? 0));
      if (x > 80) x += GROUP_GAP;
    }
    const inLane: Record<string, number> = {};
    for (const c of members) {
      const tier = TIERS.includes(c.tier) ? c.tier : "logic";
      const column = inLane[tier] || 0;
      inLane[tier] = column + 1;
      positions[c.id] = { x: x + column * COLUMN_WIDTH, y: laneTop(tier) + 60 };
    }
    x += Math.max(...Object.values(inLane)) * COLUMN_WIDTH + (block !== null ? GROUP_GAP : 0);
  }
  return positions;
}

export function formatUsd(value: number | null | undefined): string {
  if (value === undefined || value === null) return "";
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

// Connections between two cards of one row with other cards of that row between them: drawn over the row
// (out of the top of one, into the top of the other) rather than straight through the cards between.
export function detours(connections: Connection[], positions: Positions): Set<string> {
  const rows = new Map<number, { id: string; x: number; y: number }[]>();
  for (const [id, p] of Object.entries(positions)) {
    if (!p) continue;
    const key = Math.round(p.y / NODE_HEIGHT);
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key)?.push({ id, x: p.x, y: p.y });
  }
  for (const row of rows.values()) row.sort((a, b) => a.x - b.x);
  const found = new Set<string>();
  for (const c of connections) {
    const s = positions[c.source];
    const t = positions[c.target];
    if (!s || !t || Math.abs(s.y - t.y) >= NODE_HEIGHT) continue;
    const low = Math.min(s.x, t.x) + NODE_WIDTH / 2;
    const high = Math.max(s.x, t.x) - NODE_WIDTH / 2;
    const nearby = [Math.round(s.y / NODE_HEIGHT) - 1, Math.round(s.y / NODE_HEIGHT), Math.round(s.y / NODE_HEIGHT) + 1];
    const blocked = nearby.some((key) =>
      (rows.get(key) || []).some(
        (card) => card.id !== c.source && card.id !== c.target && Math.abs(card.y - s.y) < NODE_HEIGHT &&
          card.x + NODE_WIDTH > low && card.x < high,
      ),
    );
    if (blocked) found.add(c.id);
  }
  return found;
}
