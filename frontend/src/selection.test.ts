import { describe, expect, it } from "vitest";
import { panelSelection, selectedOnCanvas } from "./selection";

const card = (id: string, selected = false) => ({ id, type: "component", selected });

describe("selection", () => {
  it("shows one component, else one connection, in the side panel", () => {
    expect(panelSelection([card("a")], [{ id: "c1" }])).toEqual({ component: "a", connection: null, any: true });
    expect(panelSelection([], [{ id: "c1" }])).toEqual({ component: null, connection: "c1", any: true });
    expect(panelSelection([card("a"), card("b")], [])).toEqual({ component: null, connection: null, any: true });
    expect(panelSelection([], [])).toEqual({ component: null, connection: null, any: false });
  });

  it("ignores lanes and groups in React Flow's selection", () => {
    expect(panelSelection([{ id: "group:vpc", type: "group" }], []).any).toBe(false);
  });

  it("lists the selected cards and connections", () => {
    const nodes = [card("a", true), card("b"), { id: "group:vpc", type: "group", selected: true }];
    const edges = [{ id: "c1", selected: true }, { id: "c2" }];
    expect(selectedOnCanvas(nodes, edges)).toEqual({ nodes: ["a"], edges: ["c1"] });
  });
});
