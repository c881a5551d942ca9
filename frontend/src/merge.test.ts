import { describe, expect, it } from "vitest";
import { applyOp } from "./liveOps";
import { threeWayMerge } from "./merge";
import { loose } from "./testing";
import type { Component, Connection, Design } from "./types";

const base = (): Design => loose<Design>({
  name: "Orders",
  groups: [],
  components: [
    { id: "api", type: "api_gateway_rest", label: "API", props: { auth: "cognito" } },
    { id: "fn", type: "lambda_function", label: "Fn", props: { memory_mb: 512 } },
  ],
  connections: [{ id: "c1", source: "api", target: "fn", kind: "invoke" }],
});
const set = (design: Design, id: string, field: string, value: string | number) => applyOp(design, { type: "set_component", id, field, value });
const find = (design: Design, id: string): Component | undefined => design.components.find((c) => c.id === id);

describe("threeWayMerge", () => {
  it("keeps their changes and puts mine on top where only I changed a field", () => {
    const mine = set(base(), "fn", "props.memory_mb", 1024);
    const theirs = set(base(), "api", "label", "Theirs");
    const merge = threeWayMerge(base(), mine, theirs);
    expect(merge.conflicts).toEqual([]);
    const merged = merge.merged();
    expect(find(merged, "fn")?.props.memory_mb).toBe(1024);
    expect(find(merged, "api")?.label).toBe("Theirs");
  });

  it("lists a field we both changed, mine chosen unless I pick theirs", () => {
    const mine = set(set(base(), "api", "label", "Mine"), "fn", "label", "Only mine");
    const theirs = set(base(), "api", "label", "Theirs");
    const merge = threeWayMerge(base(), mine, theirs);
    expect(merge.conflicts).toEqual([{ key: "component:api:label", label: "component api · label", mine: "Mine", theirs: "Theirs" }]);
    expect(find(merge.merged(), "api")?.label).toBe("Mine");
    const theirsWins = merge.merged({ "component:api:label": "theirs" });
    expect(find(theirsWins, "api")?.label).toBe("Theirs");
    expect(find(theirsWins, "fn")?.label).toBe("Only mine");
  });

  it("is no conflict when we both made the same change", () => {
    const both = set(base(), "api", "label", "Same");
    expect(threeWayMerge(base(), both, both).conflicts).toEqual([]);
  });

  it("asks when I edited what they removed, and when I removed what they edited", () => {
    const removed = applyOp(base(), { type: "remove_component", id: "fn" });
    const edited = set(base(), "fn", "label", "Edited");
    const mineEdited = threeWayMerge(base(), edited, removed);
    expect(mineEdited.conflicts.map((c) => [c.key, c.mine, c.theirs])).toEqual([["component:fn", "edited (keep it)", "removed"]]);
    expect(find(mineEdited.merged(), "fn")?.label).toBe("Edited");
    expect(find(mineEdited.merged({ "component:fn": "theirs" }), "fn")).toBeUndefined();
    const mineRemoved = threeWayMerge(base(), removed, edited);
    expect(mineRemoved.conflicts.map((c) => c.key)).toEqual(["component:fn"]);
    expect(find(mineRemoved.merged(), "fn")).toBeUndefined();
    expect(find(mineRemoved.merged({ "component:fn": "theirs" }), "fn")?.label).toBe("Edited");
  });

  it("keeps both when we each added an item under the same id, mine renamed with its connections", () => {
    const queue = (label: string) => loose<Component>({ id: "queue_1", type: "sqs_queue", label });
    const add = (design: Design, label: string): Design => ({
      ...design,
      components: [...design.components, queue(label)],
      connections: [...design.connections, loose<Connection>({ id: `c_${label}`, source: "fn", target: "queue_1", kind: "send" })],
    });
    const merged = threeWayMerge(base(), add(base(), "mine"), add(base(), "theirs")).merged();
    expect(merged.components.map((c) => `${c.id}:${c.label}`)).toEqual(["api:API", "fn:Fn", "queue_1:theirs", "queue_1_2:mine"]);
    expect(merged.connections.find((c) => c.id === "c_mine")?.target).toBe("queue_1_2");
  });
});
