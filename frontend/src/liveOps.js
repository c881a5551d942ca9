// Live editing operations in the browser: apply one as the server does (apps/live/operations.py), and turn
// one local edit (a document before and after) into the field-level operations the server accepts.
//
// No validation here: the server is the referee. An operation on something that is gone does nothing,
// which is also what the server does (it drops it), so a client replaying operations never fails.

// The lists operations add to, remove from and edit by id; fields set whole, and fields set key by key.
const COLLECTIONS = {
  component: { list: "components", fields: ["label", "type", "tier", "group", "position", "cloudformation"], keyed: ["props", "usage"] },
  connection: { list: "connections", fields: ["label", "kind", "source", "target"], keyed: ["props"] },
  group: { list: "groups", fields: ["label", "kind", "parent", "position", "size"], keyed: ["props"] },
};
const DESIGN_FIELDS = ["name", "description", "region", "tiers", "cloudformation"];
const DESIGN_KEYED = ["workload"];
const DESIGN_LISTS = ["components", "connections", "groups"];

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Equal as JSON (key order does not matter).
export function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  const other = Object.keys(b).filter((k) => b[k] !== undefined);
  return keys.length === other.length && keys.every((k) => k in b && same(a[k], b[k]));
}

// A copy of `holder` with `value` at `field` ("label" or "props.memory_mb"); without the field (or key)
// when the operation carries no value.
function withField(holder, field, op) {
  const [name, ...rest] = field.split(".");
  const key = rest.join(".");
  const updated = { ...holder };
  if (!key) {
    if ("value" in op) updated[name] = op.value;
    else delete updated[name];
    return updated;
  }
  const inner = isObject(updated[name]) ? { ...updated[name] } : {};
  if ("value" in op) inner[key] = op.value;
  else delete inner[key];
  updated[name] = inner;
  return updated;
}

// The design after `op`; `design` itself is never changed.
export function applyOp(design, op) {
  if (!op || !design) return design;
  if (op.type === "replace") return op.document || design;
  if (op.type === "set_design") return withField(design, op.field, op);
  const [verb, kind] = op.type.split("_");
  const collection = COLLECTIONS[kind];
  if (!collection) return design;
  const items = design[collection.list] || [];
  if (verb === "add") {
    const item = op[kind];
    if (!item || items.some((i) => i.id === item.id)) return design;
    if (kind === "connection") {
      const ids = new Set((design.components || []).map((c) => c.id));
      if (!ids.has(item.source) || !ids.has(item.target)) return design;
    }
    return { ...design, [collection.list]: [...items, item] };
  }
  const index = items.findIndex((i) => i.id === op.id);
  if (index < 0) return design;
  if (verb === "set") {
    const next = items.slice();
    next[index] = withField(items[index], op.field, op);
    return { ...design, [collection.list]: next };
  }
  if (verb !== "remove") return design;
  const removed = items[index];
  const result = { ...design, [collection.list]: items.filter((_, i) => i !== index) };
  if (kind === "component") {
    result.connections = (design.connections || []).filter((c) => c.source !== op.id && c.target !== op.id);
  } else if (kind === "group") {
    // What was inside moves to the removed group's parent, as on the server.
    const parent = removed.parent ?? null;
    result.components = (design.components || []).map((c) => (c.group === op.id ? { ...c, group: parent } : c));
    result.groups = result.groups.map((g) => (g.parent === op.id ? { ...g, parent } : g));
  }
  return result;
}

export function applyOps(design, ops) {
  return ops.reduce(applyOp, design);
}

function setOp(base, field, holder) {
  const [name, key] = field.split(".");
  const op = { ...base, field };
  const value = key === undefined ? holder?.[name] : holder?.[name]?.[key];
  if (value !== undefined) op.value = value;
  return op;
}

// The set operations that turn the fields of `before` into those of `after` (an item or the design).
function fieldOps(before, after, fields, keyed, base) {
  const ops = [];
  for (const name of fields) {
    if (!same(before[name], after[name])) ops.push(setOp(base, name, after));
  }
  for (const name of keyed) {
    const was = before[name];
    const now = after[name];
    if (same(was, now)) continue;
    if (!isObject(was) || !isObject(now)) {
      ops.push(setOp(base, name, after)); // appears, disappears or is not an object: set it whole
      continue;
    }
    for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
      if (!same(was[key], now[key])) ops.push(setOp(base, `${name}.${key}`, after));
    }
  }
  return ops;
}

function itemsById(design, list) {
  return new Map((design[list] || []).map((item) => [item.id, item]));
}

// Known fields only: an item whose other keys changed cannot be edited field by field.
function onlyKnownChanged(before, after, collection) {
  const known = new Set(["id", ...collection.fields, ...collection.keyed]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].every((k) => known.has(k) || same(before[k], after[k]));
}

// Groups in an order that adds every parent before its children.
function parentsFirst(groups, existing) {
  const ordered = [];
  const placed = new Set(existing);
  let left = groups;
  while (left.length) {
    const ready = left.filter((g) => !g.parent || placed.has(g.parent) || !left.some((x) => x.id === g.parent));
    const batch = ready.length ? ready : [left[0]];
    for (const g of batch) {
      ordered.push(g);
      placed.add(g.id);
    }
    left = left.filter((g) => !batch.includes(g));
  }
  return ordered;
}

// The operations that turn `before` into `after`, one local edit's worth, in an order whose every step
// the server can validate: new groups and components first, then field edits, new connections, and the
// removals last (connections before the components they join). A change no field-level operation can
// express (another top-level key, an item's unknown key) becomes one `replace`.
export function opsBetween(before, after) {
  if (!before || !after || before === after) return [];
  const topKeys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const known = new Set([...DESIGN_FIELDS, ...DESIGN_KEYED, ...DESIGN_LISTS]);
  if ([...topKeys].some((k) => !known.has(k) && !same(before[k], after[k]))) {
    return [{ type: "replace", document: after }];
  }
  const adds = [];
  const sets = [];
  const removes = [];
  const connectionAdds = [];
  for (const kind of ["group", "component", "connection"]) {
    const collection = COLLECTIONS[kind];
    const was = itemsById(before, collection.list);
    const now = itemsById(after, collection.list);
    let added = (after[collection.list] || []).filter((item) => !was.has(item.id));
    if (kind === "group") added = parentsFirst(added, was.keys());
    for (const item of added) (kind === "connection" ? connectionAdds : adds).push({ type: `add_${kind}`, [kind]: item });
    for (const [id, item] of was) {
      const next = now.get(id);
      if (!next) {
        removes.push({ type: `remove_${kind}`, id });
      } else if (!same(item, next)) {
        if (!onlyKnownChanged(item, next, collection)) return [{ type: "replace", document: after }];
        sets.push(...fieldOps(item, next, collection.fields, collection.keyed, { type: `set_${kind}`, id }));
      }
    }
  }
  sets.push(...fieldOps(before, after, DESIGN_FIELDS, DESIGN_KEYED, { type: "set_design" }));
  // Removals: connections, then components (their remaining connections go with them), then groups.
  const order = { remove_connection: 0, remove_component: 1, remove_group: 2 };
  removes.sort((a, b) => order[a.type] - order[b.type]);
  return [...adds, ...sets, ...connectionAdds, ...removes];
}
