import { describe, expect, it } from "vitest";
import { LANE_HEIGHT, groupBoxes } from "./design";
import { joinedMessage, placeMoved } from "./placement";
import { loose } from "./testing";
import type { Component, Design } from "./types";

const at = (x: number, y: number) => ({ x, y });
const design = () =>
  loose<Design>({
  components: [
    { id: "api", tier: "logic", group: null, position: at(0, 260) },
    { id: "fn", tier: "logic", group: "vpc", position: at(400, 260) },
    { id: "db", tier: "data", group: "vpc", position: at(400, 480) },
  ],
  connections: [],
  groups: [{ id: "vpc", kind: "vpc", label: "Private network" }],
  });
const positions = (d: Design) => Object.fromEntries(d.components.map((c) => [c.id, c.position]));

describe("placing moved components", () => {
  it("snaps a card into the lane under its centre and takes that tier", () => {
    const d = design();
    const { design: next } = placeMoved(d, { api: at(0, 2 * LANE_HEIGHT + 1) }, groupBoxes(d, positions(d)));
    const api = next.components.find((c) => c.id === "api") as Component;
    expect(api.tier).toBe("data");
    expect(api.position?.y).toBeGreaterThanOrEqual(2 * LANE_HEIGHT);
  });

  it("joins the group box the card is dropped in, and says so", () => {
    const d = design();
    const { design: next, joined } = placeMoved(d, { api: at(400, 300) }, groupBoxes(d, positions(d)));
    expect(next.components.find((c) => c.id === "api")?.group).toBe("vpc");
    expect(joined).toEqual([{ id: "api", group: "vpc" }]);
    expect(joinedMessage(joined, d.groups)).toBe("api is now in Private network.");
  });

  it("leaves the group when dropped outside it, the empty box staying where it was", () => {
    const d = design();
    d.components[2].group = null;
    const boxes = groupBoxes(d, positions(d));
    const { design: next, joined } = placeMoved(d, { fn: at(-400, 260) }, boxes);
    expect(joined).toEqual([{ id: "fn", group: null }]);
    expect(joinedMessage(joined, d.groups)).toBe("fn left its group.");
    expect(next.groups?.[0].position).toEqual({ x: Math.round(boxes.vpc.x1), y: Math.round(boxes.vpc.y1) });
    expect(next.groups?.[0].size?.width).toBeGreaterThan(0);
  });

  it("moves a whole group when every member is moved together", () => {
    const d = design();
    const { design: next, joined } = placeMoved(d, { fn: at(1400, 260), db: at(1400, 480) }, groupBoxes(d, positions(d)));
    expect(joined).toEqual([]);
    expect(next.components.filter((c) => c.group === "vpc").map((c) => c.id)).toEqual(["fn", "db"]);
  });
});
