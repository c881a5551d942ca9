// Live editing operations in the browser: apply one as the server does (apps/live/operations.py), and turn
// one local edit (a document before and after) into the field-level operations the server accepts.
//
// No validation here: the server is the referee. An operation on something that is gone does nothing,
// which is also what the server does (it drops it), so a client replaying operations never fails.

import type { Design, ItemKind, Op } from "./types";

// Items and designs are handled here by field name, as the server's operations name them: as records.
type Fields = Record<string, unknown>;
type Item = Fields & { id: string };
type ListName = "components" | "connections" | "groups";
interface Collection {
  list: ListName;
  fields: string[];
  keyed: string[];
}

// The lists operations add to, remove from and edit by id; fields set whole, and fields set key by key.
const COLLECTIONS: Record<ItemKind, Collection> = {
  component: { list: "components", fields: ["label", "type", "tier", "group", "position", "cloudformation"], keyed: ["props", "usage"] },
  connection: { list: "connections", fields: ["label", "kind", "source", "target"], keyed: ["props"] },
  group: { list: "groups", fields: ["label", "kind", "parent", "position", "size"], keyed: ["props"] },
};
const DESIGN_FIELDS = ["name", "description", "region", "tiers", "cloudformation"];
const DESIGN_KEYED = ["workload"];
const DESIGN_LISTS = ["components", "connections", "groups"];

// A list of the design as records (the interfaces have no index signature).
function listOf(design: Design, list: ListName): Item[] {
  return (design[list] || []) as unknown as Item[];
}

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Equal as JSON (key order does not matter).
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  const other = Object.keys(b).filter((k) => b[k] !== undefined);
  return keys.length === other.length && keys.every((k) => k in b && same(a[k], b[k]));
}

// A copy of `holder` with `value` at `field` ("label" or "props.memory_mb"); without the field (or key)
// when the operation carries no value.
function withField<T extends object>(holder: T, field: string, op: { value?: unknown }): T {
  const [name, ...rest] = field.split(".");
  const key = rest.join(".");
  const updated: Fields = { ...(holder as Fields) };
  if (!key) {
    if ("value" in op) updated[name] = op.value;
    else delete updated[name];
    return updated as T;
  }
  const inner = isObject(updated[name]) ? { ...updated[name] } : {};
  if ("value" in op) inner[key] = op.value;
  else delete inner[key];
  updated[name] = inner;
  return updated as T;
}

// The design after `op`; `design` itself is never changed.
export function applyOp(design: Design, op: Op | null | undefined): Design {
  if (!op || !design) return design;
  if (op.type === "replace") return op.document || design;
  if (op.type === "set_design") return withField(design, op.field, op);
  const [verb, kind] = op.type.split("_") as [string, ItemKind];
  const collection = COLLECTIONS[kind];
  if (!collection) return design;
  const items: Item[] = listOf(design, collection.list);
  const fields = op as Fields;
  if (verb === "add") {
    const item = fields[kind] as Item | undefined;
    if (!item || items.some((i) => i.id === item.id)) return design;
    if (kind === "connection") {
      const ids = new Set<unknown>((design.components || []).map((c) => c.id));
      if (!ids.has(item.source) || !ids.has(item.target)) return design;
    }
    return { ...design, [collection.list]: [...items, item] };
  }
  const index = items.findIndex((i) => i.id === fields.id);
  if (index < 0) return design;
  if (verb === "set") {
    const next = items.slice();
    next[index] = withField(items[index], String(fields.field), fields);
    return { ...design, [collection.list]: next };
  }
  if (verb !== "remove") return design;
  const removed = items[index];
  const id = fields.id;
  const result: Design = { ...design, [collection.list]: items.filter((_, i) => i !== index) };
  if (kind === "component") {
    result.connections = (design.connections || []).filter((c) => c.source !== id && c.target !== id);
  } else if (kind === "group") {
    // What was inside moves to the removed group's parent, as on the server.
    const parent = (removed.parent as string | null | undefined) ?? null;
    result.components = (design.components || []).map((c) => (c.group === id ? { ...c, group: parent } : c));
    result.groups = (result.groups || []).map((g) => (g.parent === id ? { ...g, parent } : g));
  }
  return result;
}

export function applyOps(design: Design, ops: Op[]): Design {
  return ops.reduce(applyOp, design);
}

function setOp(base: Fields, field: string, holder: Fields): Op {
  const [name, key] = field.split(".");
  const op: Fields = { ...base, field };
  const inner = holder?.[name];
  const value = key === undefined ? inner : isObject(inner) ? inner[key] : undefined;
  if (value !== undefined) op.value = value;
  return op as Op;
}

// The set operations that turn the fields of `before` into those of `after` (an item or the design).
function fieldOps(before: Fields, after: Fields, fields: string[], keyed: string[], base: Fields): Op[] {
  const ops: Op[] = [];
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

function itemsById(design: Design, list: ListName): Map<string, Item> {
  return new Map(listOf(design, list).map((item) => [item.id, item]));
}

// Known fields only: an item whose other keys changed cannot be edited field by field.
function onlyKnownChanged(before: Fields, after: Fields, collection: Collection): boolean {
  const known = new Set(["id", ...collection.fields, ...collection.keyed]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].every((k) => known.has(k) || same(before[k], after[k]));
}

// Groups in an order that adds every parent before its children.
function parentsFirst(groups: Item[], existing: Iterable<string>): Item[] {
  const ordered: Item[] = [];
  const placed = new Set<unknown>(existing);
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
export function opsBetween(before: Design | null, after: Design | null): Op[] {
  if (!before || !after || before === after) return [];
  const was: Fields = before as unknown as Fields;
  const now: Fields = after as unknown as Fields;
  const topKeys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const known = new Set([...DESIGN_FIELDS, ...DESIGN_KEYED, ...DESIGN_LISTS]);
  if ([...topKeys].some((k) => !known.has(k) && !same(was[k], now[k]))) {
    return [{ type: "replace", document: after }];
  }
  const adds: Op[] = [];
  const sets: Op[] = [];
  const removes: Op[] = [];
  const connectionAdds: Op[] = [];
  for (const kind of ["group", "component", "connection"] as const) {
    const collection = COLLECTIONS[kind];
    const old = itemsById(before, collection.list);
    const current = itemsById(after, collection.list);
    let added = listOf(after, collection.list).filter((item) => !old.has(item.id));
    if (kind === "group") added = parentsFirst(added, old.keys());
    for (const item of added) (kind === "connection" ? connectionAdds : adds).push({ type: `add_${kind}`, [kind]: item } as unknown as Op);
    for (const [id, item] of old) {
      const next = current.get(id);
      if (!next) {
        removes.push({ type: `remove_${kind}`, id } as Op);
      } else if (!same(item, next)) {
        if (!onlyKnownChanged(item, next, collection)) return [{ type: "replace", document: after }];
        sets.push(...fieldOps(item, next, collection.fields, collection.keyed, { type: `set_${kind}`, id }));
      }
    }
  }
  sets.push(...fieldOps(was, now, DESIGN_FIELDS, DESIGN_KEYED, { type: "set_design" }));
  // Removals: connections, then components (their remaining connections go with them), then groups.
  const order: Record<string, number> = { remove_connection: 0, remove_component: 1, remove_group: 2 };
  removes.sort((a, b) => order[a.type] - order[b.type]);
  return [...adds, ...sets, ...connectionAdds, ...removes];
}
