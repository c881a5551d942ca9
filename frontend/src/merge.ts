// A three-way merge of designs, for a REST save that lost the race (412): the revision both sides started
// from (`base`), mine and theirs. My changes go on top of theirs field by field; a field both of us changed
// (or an item one of us removed while the other edited it) is a conflict the person decides, mine chosen
// by default. Built on the live operations: my changes are opsBetween(base, mine), theirs likewise.
import { applyOps, opsBetween, same } from "./liveOps";
import type { Design, ItemKind, Op } from "./types";

type Choice = "mine" | "theirs";
export interface MergeConflict {
  key: string;
  label: string;
  mine: string;
  theirs: string;
}
export interface Merge {
  conflicts: MergeConflict[];
  mergedCount: number;
  merged: (choices?: Record<string, Choice>) => Design;
}
// Operations are read here by field name, as in liveOps.
type Fields = Record<string, unknown>;
type Item = Fields & { id: string };
const fieldsOf = (op: Op) => op as unknown as Fields;
const itemOf = (op: Op, kind: string) => fieldsOf(op)[kind] as Item;
const listOf = (design: Design, kind: string) => ((design as unknown as Fields)[`${kind}s`] || []) as Item[];

const REFERENCES: Record<ItemKind, [ItemKind, string][]> = {
  component: [["connection", "source"], ["connection", "target"]],
  group: [["component", "group"], ["group", "parent"]],
  connection: [],
};

function kindOf(op: Op): ItemKind | "design" {
  return op.type === "set_design" || op.type === "replace" ? "design" : (op.type.split("_")[1] as ItemKind);
}

function itemId(op: Op): string {
  const kind = kindOf(op);
  return op.type.startsWith("add_") ? itemOf(op, kind).id : String(fieldsOf(op).id);
}

// "component:api" for an item, "component:api:props.memory_mb" for one of its fields, "design:name".
function keyOf(op: Op): string {
  if (op.type === "set_design") return `design:${op.field}`;
  if (op.type === "replace") return "design";
  const item = `${kindOf(op)}:${itemId(op)}`;
  return op.type.startsWith("set_") ? `${item}:${fieldsOf(op).field}` : item;
}

// Two keys overlap when one is the other or holds it (props and props.memory_mb).
function overlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

// Renames an item I added whose id they took meanwhile, everywhere my operations name it.
function renamed(ops: Op[], kind: ItemKind, from: string, to: string): Op[] {
  return ops.map((op) => {
    const opKind = kindOf(op);
    let next = fieldsOf(op);
    if (opKind === kind && itemId(op) === from) {
      next = op.type.startsWith("add_") ? { ...next, [kind]: { ...itemOf(op, kind), id: to } } : { ...next, id: to };
    }
    for (const [holder, field] of REFERENCES[kind]) {
      if (opKind !== holder) continue;
      const item = next[holder] as Item | undefined;
      if (next.type === `add_${holder}` && item?.[field] === from) next = { ...next, [holder]: { ...item, [field]: to } };
      if (next.type === `set_${holder}` && next.field === field && next.value === from) next = { ...next, value: to };
    }
    return next as unknown as Op;
  });
}

function freeId(id: string, taken: Set<string>): string {
  for (let n = 2; ; n += 1) if (!taken.has(`${id}_${n}`)) return `${id}_${n}`;
}

function shown(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function valueAt(design: Design, op: Op): unknown {
  const kind = kindOf(op);
  const fields = fieldsOf(op);
  const holder = kind === "design" ? (design as unknown as Fields) : listOf(design, kind).find((i) => i.id === fields.id);
  if (!holder) return undefined;
  const [name, key] = String(fields.field).split(".");
  const value = holder[name];
  return key === undefined ? value : (value as Fields | undefined)?.[key];
}

// {conflicts: [{key, label, mine, theirs}], mergedCount, merged(choices)}: `choices` maps a conflict's key
// to "mine" or "theirs" (mine when absent). `merged` is theirs with my changes on top.
export function threeWayMerge(base: Design, mine: Design, theirs: Design): Merge {
  let myOps = opsBetween(base, mine);
  const theirOps = opsBetween(base, theirs);
  if (myOps.some((op) => op.type === "replace") || theirOps.some((op) => op.type === "replace")) {
    // Nothing field by field to go on: the whole of mine or the whole of theirs.
    return {
      conflicts: [{ key: "design", label: "the whole design", mine: "your version", theirs: "their version" }],
      mergedCount: 0,
      merged: (choices: Record<string, Choice> = {}) => (choices.design === "theirs" ? theirs : mine),
    };
  }
  // Items we both added under one id: mine gets another id (both are kept).
  for (const kind of ["group", "component", "connection"] as const) {
    const theirAdds = new Map(theirOps.filter((op) => op.type === `add_${kind}`).map((op) => [itemOf(op, kind).id, itemOf(op, kind)]));
    const taken = new Set([...listOf(theirs, kind), ...listOf(mine, kind)].map((i) => i.id));
    for (const op of myOps.filter((o) => o.type === `add_${kind}`)) {
      const item = itemOf(op, kind);
      const theirsItem = theirAdds.get(item.id);
      if (!theirsItem || same(theirsItem, item)) continue;
      const to = freeId(item.id, taken);
      taken.add(to);
      myOps = renamed(myOps, kind, item.id, to);
    }
  }
  const theirKeys = theirOps.map(keyOf);
  const theirRemoved = new Set(theirOps.filter((op) => op.type.startsWith("remove_")).map(keyOf));
  const theirEdited = new Set(theirOps.filter((op) => op.type.startsWith("set_") && op.type !== "set_design").map((op) => `${kindOf(op)}:${fieldsOf(op).id}`));
  const conflicts = new Map<string, MergeConflict & { ops: Op[] }>();
  const clean: Op[] = [];
  for (const mineOp of myOps) {
    const op = mineOp as Op & { id?: string; field: string; value?: unknown };
    const key = keyOf(op);
    const kind = kindOf(op);
    if (op.type.startsWith("set_") && op.type !== "set_design" && theirRemoved.has(`${kind}:${op.id}`)) {
      // I edited what they removed: keeping mine brings my version of it back.
      const item = `${kind}:${op.id}`;
      if (!conflicts.has(item)) {
        const mineItem = listOf(mine, kind).find((i) => i.id === op.id);
        conflicts.set(item, { key: item, label: `${kind} ${op.id}`, mine: "edited (keep it)", theirs: "removed",
          ops: mineItem ? [{ type: `add_${kind}`, [kind]: mineItem } as unknown as Op] : [] });
      }
    } else if (op.type.startsWith("remove_") && theirEdited.has(key)) {
      conflicts.set(key, { key, label: `${kind} ${op.id}`, mine: "removed", theirs: "edited (keep it)", ops: [op] });
    } else if (op.type.startsWith("set_") && theirKeys.some((k) => overlap(k, key))) {
      const theirValue = valueAt(theirs, op);
      if (same(theirValue, op.value)) continue; // we both made the same change
      const label = kind === "design" ? op.field : `${kind} ${op.id} · ${op.field}`;
      conflicts.set(key, { key, label, mine: shown(op.value), theirs: shown(theirValue), ops: [op] });
    } else {
      clean.push(mineOp);
    }
  }
  const list = [...conflicts.values()];
  return {
    conflicts: list.map(({ key, label, mine: m, theirs: t }) => ({ key, label, mine: m, theirs: t })),
    mergedCount: clean.length,
    merged(choices: Record<string, Choice> = {}) {
      const chosen = list.filter((c) => (choices[c.key] || "mine") === "mine").flatMap((c) => c.ops);
      // Items brought back first (my connections to them may follow), the removals I keep last.
      const adds = chosen.filter((op) => op.type.startsWith("add_"));
      return applyOps(theirs, [...adds, ...clean, ...chosen.filter((op) => !op.type.startsWith("add_"))]);
    },
  };
}
