// Pure functions over the design document (tierplan.design/v1): lanes, ids, connection kinds, errors.

export const TIERS = ["presentation", "logic", "data"];
export const LANE_HEIGHT = 220;
export const LANE_LEFT = -60;
export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 64;

export function laneTop(tier) {
  return Math.max(0, TIERS.indexOf(tier)) * LANE_HEIGHT;
}

// The tier lane a point falls in (lanes are horizontal bands, top to bottom).
export function tierAt(y) {
  const index = Math.min(TIERS.length - 1, Math.max(0, Math.floor(y / LANE_HEIGHT)));
  return TIERS[index];
}

// Keeps a node inside its lane's band, so components always sit in a tier.
export function snapIntoLane(position, tier) {
  const top = laneTop(tier);
  const y = Math.min(top + LANE_HEIGHT - NODE_HEIGHT - 16, Math.max(top + 24, position.y));
  return { x: Math.round(position.x), y: Math.round(y) };
}

// `<type>_<n>`: the smallest n not taken (ids are slugs of at most 64 characters).
export function newId(prefix, taken) {
  const used = new Set(taken);
  const stem = prefix.replace(/[^a-z0-9_]/g, "_").slice(0, 58);
  for (let n = 1; ; n += 1) {
    const id = `${stem}_${n}`;
    if (!used.has(id)) return id;
  }
}

// A free spot at the right end of a lane.
export function freeSpot(design, tier) {
  const inLane = design.components.filter((c) => (c.tier || tier) === tier && c.position);
  const x = inLane.length ? Math.max(...inLane.map((c) => c.position.x)) + NODE_WIDTH + 40 : 80;
  return { x, y: laneTop(tier) + 60 };
}

export function addComponent(design, ctype, position) {
  const id = newId(ctype.type, design.components.map((c) => c.id));
  const tier = position ? tierAt(position.y + NODE_HEIGHT / 2) : ctype.tier;
  const component = {
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

export function validKinds(catalog, sourceType, targetType) {
  return catalog.connection_kinds.filter((k) => k.sources.includes(sourceType) && k.targets.includes(targetType));
}

export function addConnection(design, source, target, kind) {
  const id = newId(`${source}_${target}`.slice(0, 56), design.connections.map((c) => c.id));
  const connection = { id, source, target, kind, label: "", props: {} };
  return { ...design, connections: [...design.connections, connection] };
}

export function removeItems(design, componentIds, connectionIds) {
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

export function updateComponent(design, id, change) {
  return { ...design, components: design.components.map((c) => (c.id === id ? change(c) : c)) };
}

export function updateConnection(design, id, change) {
  return { ...design, connections: design.connections.map((c) => (c.id === id ? change(c) : c)) };
}

// A 400's details (pointers like /design/components/3/props/memory_mb or /design/connections/0/props/route)
// sorted by the component or connection and field they name, using the document that was sent to find ids.
export function errorsByComponent(details, sentDesign) {
  const byComponent = {};
  const byConnection = {};
  const general = [];
  for (const detail of details || []) {
    const match = /^(?:\/design)?\/(components|connections)\/(\d+)(?:\/(.*))?$/.exec(detail.pointer || "");
    const item = match && sentDesign[match[1]][Number(match[2])];
    if (item) {
      const field = (match[3] || "").split("/").slice(0, 2).join(".") || "_";
      const target = match[1] === "components" ? byComponent : byConnection;
      target[item.id] = { ...target[item.id], [field]: detail.message };
    } else {
      general.push(`${detail.pointer || "/"}: ${detail.message}`);
    }
  }
  return { byComponent, byConnection, general };
}

// Pastes copies of some components (new ids, shifted a little) and the connections among them.
// `clip` is {components, connections} as copied, so it still pastes after the originals are gone.
export function duplicate(design, clip, offset = { x: 40, y: 40 }) {
  const taken = design.components.map((c) => c.id);
  const renames = {};
  const components = [];
  for (const c of clip.components) {
    const id = newId(c.type, [...taken, ...Object.values(renames)]);
    renames[c.id] = id;
    const position = c.position ? snapIntoLane({ x: c.position.x + offset.x, y: c.position.y + offset.y }, c.tier) : null;
    components.push({ ...c, id, props: { ...c.props }, usage: { ...c.usage }, position });
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

// Lays each tier's components out left to right in its lane, ordered by where they are now.
export function autoLayout(design) {
  const columns = {};
  const ordered = [...design.components].sort(
    (a, b) => (a.position?.x ?? 0) - (b.position?.x ?? 0) || (a.position?.y ?? 0) - (b.position?.y ?? 0),
  );
  const positions = {};
  for (const c of ordered) {
    const tier = TIERS.includes(c.tier) ? c.tier : "logic";
    const n = columns[tier] || 0;
    columns[tier] = n + 1;
    positions[c.id] = { x: 80 + n * (NODE_WIDTH + 40), y: laneTop(tier) + 60 };
  }
  return { ...design, components: design.components.map((c) => ({ ...c, position: positions[c.id] })) };
}

export function formatUsd(value) {
  if (value === undefined || value === null) return "";
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
