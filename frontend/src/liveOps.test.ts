import { describe, expect, it } from "vitest";
import { applyOp, applyOps, opsBetween, same } from "./liveOps";
import { loose } from "./testing";
import type { Component, Connection, Design, Group } from "./types";

function design(): Design {
  return {
    schema: "tierplan.design/v1",
    name: "Orders",
    region: "us-east-1",
    tiers: [{ id: "presentation" }, { id: "logic" }, { id: "data" }],
    groups: [{ id: "vpc", kind: "vpc", label: "Private", parent: null }],
    components: [
      { id: "api", type: "api_gateway_rest", tier: "logic", label: "API", props: { auth: "cognito" }, usage: {}, group: null, position: { x: 0, y: 0 } },
      { id: "fn", type: "lambda_function", tier: "logic", label: "Fn", props: { memory_mb: 512 }, usage: {}, group: "vpc", position: { x: 200, y: 0 } },
      { id: "db", type: "dynamodb_table", tier: "data", label: "Table", props: {}, usage: {}, group: "vpc", position: { x: 200, y: 200 } },
    ],
    connections: [
      { id: "c1", source: "api", target: "fn", kind: "invoke", label: "", props: { route: "GET /" } },
      { id: "c2", source: "fn", target: "db", kind: "read_write", label: "", props: {} },
    ],
    workload: { requests_per_month: 1000000 },
  };
}

describe("applyOp", () => {
  it("sets one key of a keyed field and leaves the others", () => {
    const next = applyOp(design(), { type: "set_component", id: "fn", field: "props.memory_mb", value: 1024 });
    expect(next.components[1].props).toEqual({ memory_mb: 1024 });
    expect(next.components[0]).toEqual(design().components[0]);
  });

  it("removes a field or key when the operation has no value", () => {
    const next = applyOp(design(), { type: "set_component", id: "api", field: "props.auth" });
    expect(next.components[0].props).toEqual({});
    const unlabelled = applyOp(design(), { type: "set_component", id: "api", field: "label" });
    expect("label" in unlabelled.components[0]).toBe(false);
  });

  it("takes a component's connections with it", () => {
    const next = applyOp(design(), { type: "remove_component", id: "fn" });
    expect(next.components.map((c) => c.id)).toEqual(["api", "db"]);
    expect(next.connections).toEqual([]);
  });

  it("moves what was in a removed group to the group's parent", () => {
    const d = { ...design(), groups: [{ id: "acct", kind: "account", parent: null }, { id: "vpc", kind: "vpc", parent: "acct" }] };
    const next = applyOp(d, { type: "remove_group", id: "vpc" });
    expect(next.components.map((c) => c.group)).toEqual([null, "acct", "acct"]);
    expect(next.groups).toEqual([{ id: "acct", kind: "account", parent: null }]);
  });

  it("does nothing to something that is gone, or to an id already taken", () => {
    const d = design();
    expect(applyOp(d, { type: "set_component", id: "gone", field: "label", value: "x" })).toBe(d);
    expect(applyOp(d, { type: "remove_connection", id: "gone" })).toBe(d);
    expect(applyOp(d, { type: "add_component", component: loose<Component>({ id: "fn", type: "sqs_queue" }) })).toBe(d);
    expect(applyOp(d, { type: "add_connection", connection: loose<Connection>({ id: "c9", source: "gone", target: "fn", kind: "invoke" }) })).toBe(d);
  });

  it("sets design fields and workload keys, and replaces the whole document", () => {
    let d = applyOp(design(), { type: "set_design", field: "workload.requests_per_month", value: 5 });
    expect(d.workload).toEqual({ requests_per_month: 5 });
    d = applyOp(d, { type: "set_design", field: "name", value: "Shop" });
    expect(d.name).toBe("Shop");
    expect(applyOp(d, { type: "replace", document: loose<Design>({ name: "Other" }) })).toEqual({ name: "Other" });
  });
});

describe("opsBetween", () => {
  it("turns a field edit into one set operation", () => {
    const before = design();
    const after = applyOp(before, { type: "set_component", id: "fn", field: "props.memory_mb", value: 2048 });
    expect(opsBetween(before, after)).toEqual([{ type: "set_component", id: "fn", field: "props.memory_mb", value: 2048 }]);
  });

  it("sends a moved component as its position (and tier) only", () => {
    const before = design();
    const after = { ...before, components: before.components.map((c) => (c.id === "db" ? { ...c, tier: "logic", position: { x: 5, y: 6 } } : c)) };
    expect(opsBetween(before, after)).toEqual([
      { type: "set_component", id: "db", field: "tier", value: "logic" },
      { type: "set_component", id: "db", field: "position", value: { x: 5, y: 6 } },
    ]);
  });

  it("adds a new component before the connection that uses it, and removes connections before components", () => {
    const before = design();
    const queue = { id: "q", type: "sqs_queue", tier: "logic", props: {}, usage: {}, group: null };
    const added = { ...before, components: [...before.components, queue], connections: [...before.connections, loose<Connection>({ id: "c3", source: "fn", target: "q", kind: "send" })] };
    expect(opsBetween(before, added).map((op) => op.type)).toEqual(["add_component", "add_connection"]);
    const removed = applyOp(before, { type: "remove_component", id: "fn" });
    expect(opsBetween(before, removed).map((op) => `${op.type} ${"id" in op ? op.id : ""}`)).toEqual([
      "remove_connection c1", "remove_connection c2", "remove_component fn",
    ]);
  });

  it("finds nothing to send when nothing changed", () => {
    expect(opsBetween(design(), design())).toEqual([]);
  });

  it("falls back to replace for a change no field operation can express", () => {
    const before = design();
    const after = { ...before, schema: "tierplan.design/v2" };
    expect(opsBetween(before, after)).toEqual([{ type: "replace", document: after }]);
  });
});

// A small deterministic random source, so a failing round trip can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// One random edit of the kind the editor makes (each keeps the design consistent, as the editor does).
function randomEdit(d: Design, rand: () => number, step: number): Design {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)];
  const components = d.components;
  const choice = Math.floor(rand() * 11);
  const target = components.length ? pick(components) : null;
  const update = (id: string, change: (c: Component) => Component) => ({ ...d, components: d.components.map((c) => (c.id === id ? change(c) : c)) });
  switch (choice) {
    case 0: {
      const id = `n${step}`;
      return { ...d, components: [...components, { id, type: "sqs_queue", tier: "logic", props: {}, usage: {}, group: null, position: { x: step, y: 3 } }] };
    }
    case 1:
      if (!target) return d;
      return {
        ...d,
        components: components.filter((c) => c.id !== target.id),
        connections: d.connections.filter((c) => c.source !== target.id && c.target !== target.id),
      };
    case 2:
      return target ? update(target.id, (c) => ({ ...c, props: { ...c.props, memory_mb: Math.floor(rand() * 4096) } })) : d;
    case 3:
      return target ? update(target.id, (c) => ({ ...c, position: { x: Math.floor(rand() * 900), y: Math.floor(rand() * 600) }, tier: pick(["logic", "data"]) })) : d;
    case 4:
      return target ? update(target.id, (c) => ({ ...c, label: `L${step}` })) : d;
    case 5: {
      if (components.length < 2) return d;
      const [a, b] = [pick(components), pick(components)];
      return { ...d, connections: [...d.connections, { id: `k${step}`, source: a.id, target: b.id, kind: "invoke", props: {} }] };
    }
    case 6:
      return d.connections.length ? { ...d, connections: d.connections.filter((c) => c !== d.connections[0]) } : d;
    case 7: {
      const id = `g${step}`;
      const groups: Group[] = d.groups || [];
      const parent = groups.length && rand() < 0.5 ? pick(groups).id : null;
      const withGroup = { ...d, groups: [...groups, { id, kind: "vpc", parent }] };
      return target ? { ...withGroup, components: withGroup.components.map((c) => (c.id === target.id ? { ...c, group: id } : c)) } : withGroup;
    }
    case 8: {
      const groups: Group[] = d.groups || [];
      if (!groups.length) return d;
      const gone = pick(groups);
      const parent = gone.parent ?? null;
      return {
        ...d,
        groups: groups.filter((g) => g.id !== gone.id).map((g) => (g.parent === gone.id ? { ...g, parent } : g)),
        components: d.components.map((c) => (c.group === gone.id ? { ...c, group: parent } : c)),
      };
    }
    case 9:
      return { ...d, workload: { ...d.workload, [pick(["requests_per_month", "avg_request_kb"])]: Math.floor(rand() * 100) } };
    default:
      return target ? update(target.id, (c) => {
        const props = { ...c.props };
        delete props[pick(Object.keys(props).concat("auth"))];
        return { ...c, props, usage: { requests_per_month: step } };
      }) : d;
  }
}

describe("round trip", () => {
  it("applying the operations between two designs gives the second, for many random edits", () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const rand = random(seed);
      let current = design();
      for (let step = 0; step < 30; step += 1) {
        // Sometimes several edits at once (a paste, a layout): one commit of the editor.
        let next = current;
        const burst = rand() < 0.2 ? 3 : 1;
        for (let i = 0; i < burst; i += 1) next = randomEdit(next, rand, step * 10 + i);
        const ops = opsBetween(current, next);
        expect(ops.some((op) => op.type === "replace")).toBe(false);
        expect(same(applyOps(current, ops), next)).toBe(true);
        current = next;
      }
    }
  });

  it("undoes an edit with the operations back from after to before, leaving others' edits alone", () => {
    const before = design();
    const mine = applyOp(before, { type: "set_component", id: "fn", field: "props.memory_mb", value: 4096 });
    const theirs = applyOp(mine, { type: "set_component", id: "api", field: "label", value: "Theirs" });
    const undone = applyOps(theirs, opsBetween(mine, before));
    expect(undone.components[1].props.memory_mb).toBe(512);
    expect(undone.components[0].label).toBe("Theirs");
  });
});
