import { describe, expect, it } from "vitest";
import { LiveSession } from "./liveSession";
import { loose } from "./testing";
import type { Design, Op } from "./types";

const base = (): Design => loose<Design>({
  name: "Orders",
  groups: [],
  components: [
    { id: "api", type: "api_gateway_rest", label: "API", props: {} },
    { id: "fn", type: "lambda_function", label: "Fn", props: { memory_mb: 512 } },
  ],
  connections: [],
});
const setLabel = (id: string, value: string): Op => ({ type: "set_component", id, field: "label", value });

// The design the session shows, and the one the server confirmed (both there once it has a hello).
function local(live: LiveSession): Design {
  if (!live.local) throw new Error("no design yet");
  return live.local;
}
function confirmed(live: LiveSession): Design {
  if (!live.confirmed) throw new Error("no design yet");
  return live.confirmed;
}

function session() {
  const live = new LiveSession("me");
  live.reset({ document: base(), seq: 4, revision: 2 });
  return live;
}

describe("LiveSession", () => {
  it("shows my edit at once and keeps it pending until acknowledged", () => {
    const live = session();
    live.submit([setLabel("fn", "Mine")]);
    expect(local(live).components[1].label).toBe("Mine");
    const [sent] = live.outbox();
    expect(sent).toMatchObject({ client_id: "me", client_op_id: "1", base_seq: 4 });
    expect(live.outbox()).toEqual([]);
    live.receive({ type: "ack", client_op_id: "1", seq: 5, op: setLabel("fn", "Mine") });
    expect(live.pending).toEqual([]);
    expect(live.seq).toBe(5);
    expect(confirmed(live).components[1].label).toBe("Mine");
  });

  it("rebases my pending edits on a remote operation", () => {
    const live = session();
    live.submit([setLabel("fn", "Mine")]);
    live.outbox();
    const result = live.receive({ type: "op", seq: 5, client_id: "them", client_op_id: "9", op: setLabel("api", "Theirs") });
    expect(result.changed).toBe(true);
    expect(local(live).components.map((c) => c.label)).toEqual(["Theirs", "Mine"]);
    expect(confirmed(live).components[1].label).toBe("Fn");
  });

  it("waits for an operation that overtook an earlier one", () => {
    const live = session();
    live.receive({ type: "op", seq: 6, op: setLabel("api", "Second") });
    expect(live.gap).toBe(true);
    expect(local(live).components[0].label).toBe("API");
    live.receive({ type: "op", seq: 5, op: setLabel("api", "First") });
    expect(live.gap).toBe(false);
    expect(local(live).components[0].label).toBe("Second");
  });

  it("keeps my acknowledged edit on screen while an earlier operation is still missing", () => {
    const live = session();
    live.submit([setLabel("fn", "Mine")]);
    live.outbox();
    live.receive({ type: "ack", client_op_id: "1", seq: 6, op: setLabel("fn", "Mine") });
    expect(local(live).components[1].label).toBe("Mine");
    live.receive({ type: "ops", since: 4, seq: 6, ops: [{ seq: 5, op: setLabel("api", "Theirs") }] });
    expect(live.pending).toEqual([]);
    expect(local(live).components.map((c) => c.label)).toEqual(["Theirs", "Mine"]);
  });

  it("sends pending edits again after reconnecting and forgets the ones the server already had", () => {
    const live = session();
    live.submit([setLabel("fn", "Offline 1"), setLabel("api", "Offline 2")]);
    live.outbox();
    live.reset({ document: { ...base(), name: "Renamed" }, seq: 7 });
    expect(local(live).name).toBe("Renamed");
    expect(local(live).components.map((c) => c.label)).toEqual(["Offline 2", "Offline 1"]);
    expect(live.outbox().map((m) => m.base_seq)).toEqual([7, 7]);
    live.receive({ type: "ack", client_op_id: "1", seq: 6, op: setLabel("fn", "Offline 1") }); // a duplicate
    expect(live.pending.map((p) => p.id)).toEqual(["2"]);
  });

  it("drops a refused or dropped edit and says why", () => {
    const live = session();
    live.submit([setLabel("fn", "Mine")]);
    const result = live.receive({ type: "error", code: "invalid_design", client_op_id: "1", message: "Bad label" });
    expect(result.notices).toEqual(["Bad label"]);
    expect(local(live).components[1].label).toBe("Fn");
    live.submit([setLabel("api", "x")]);
    expect(live.receive({ type: "ack", client_op_id: "2", seq: null, dropped: "gone" }).notices[0]).toMatch(/gone/);
    expect(live.pending).toEqual([]);
  });

  it("sends a stale whole-design change again field by field", () => {
    const live = session();
    const doc = { ...base(), name: "Pattern" };
    live.submit([{ type: "replace", document: doc }], doc, { fallback: [{ type: "set_design", field: "name", value: "Pattern" }] });
    expect(live.outbox()[0].base_seq).toBe(4);
    live.receive({ type: "op", seq: 5, op: setLabel("api", "Theirs") });
    live.receive({ type: "error", code: "stale_base", client_op_id: "1", message: "stale" });
    expect(local(live).name).toBe("Pattern");
    expect(local(live).components[0].label).toBe("Theirs");
    expect(live.outbox().map((m) => m.op.type)).toEqual(["set_design"]);
  });

  it("follows the revisions the session announces, never back to an older one", () => {
    const live = session();
    expect(live.receive({ type: "revision", number: 3, seq: 4 }).revision).toBe(3);
    expect(live.revision).toBe(3);
    const late = live.receive({ type: "revision", number: 2, seq: 2 });
    expect(late.revision).toBeUndefined();
    expect(late.changed).toBe(false);
    expect(live.revision).toBe(3);
  });

  it("learns the revision a REST save made from its replace operation", () => {
    const live = session();
    const result = live.receive({ type: "op", seq: 5, client_id: "", client_op_id: "revision-3", op: { type: "replace", document: base() } });
    expect(result.revision).toBe(3);
  });
});
