import { describe, expect, test } from "vitest";
import { laneLayout } from "./design";
import { crossings, elkGraph, layeredLayout } from "./layout";
import { loose } from "./testing";
import type { Component, Connection, Design, Point } from "./types";

const component = (id: string, tier: string, group?: string) =>
  loose<Component>({ id, type: "lambda_function", tier, ...(group ? { group } : {}) });
const connect = (source: string, target: string) => loose<Connection>({ id: `${source}-${target}`, source, target, kind: "invoke" });
// Where layeredLayout put each card (it gives every card a position).
const positionsOf = (design: Design): Record<string, Point> =>
  Object.fromEntries(design.components.map((c) => [c.id, c.position as Point]));
const find = (design: Design, id: string) => design.components.find((c) => c.id === id) as Component;

// Two chains, presentation → logic → data, written in an order that crosses them in the lanes.
const tangled = loose<Design>({
  components: [
    component("web_a", "presentation"),
    component("web_b", "presentation"),
    component("api_b", "logic"),
    component("api_a", "logic"),
    component("db_a", "data"),
    component("db_b", "data"),
  ],
  connections: [connect("web_a", "api_a"), connect("web_b", "api_b"), connect("api_a", "db_a"), connect("api_b", "db_b")],
  groups: [],
});

describe("layeredLayout", () => {
  test("untangles connections that the document order crosses", async () => {
    expect(crossings(tangled, laneLayout(tangled))).toBeGreaterThan(0);
    const laid = await layeredLayout(tangled);
    expect(crossings(laid, positionsOf(laid))).toBe(0);
  });

  test("keeps every card in its tier's lane, in one row, a column apart", async () => {
    const laid = await layeredLayout(tangled);
    const byTier: Record<string, Point[]> = {};
    for (const c of laid.components) (byTier[c.tier] ||= []).push(c.position as Point);
    for (const [tier, positions] of Object.entries(byTier)) {
      expect(new Set(positions.map((p) => p.y)).size, tier).toBe(1);
      const xs = positions.map((p) => p.x).sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i += 1) expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(300);
    }
    expect(find(laid, "web_a").position?.y).toBeLessThan(
      find(laid, "api_a").position?.y ?? NaN,
    );
  });

  test("keeps a group's members together, outside the ungrouped cards", async () => {
    const design = loose<Design>({
      components: [
        component("fn_in", "logic", "vpc"),
        component("web", "presentation"),
        component("fn_out", "logic"),
        component("db_in", "data", "vpc"),
      ],
      connections: [connect("web", "fn_in"), connect("web", "fn_out"), connect("fn_in", "db_in")],
      groups: [{ id: "vpc", kind: "vpc", label: "VPC" }],
    });
    const laid = positionsOf(await layeredLayout(design));
    const outside = Math.max(laid.web.x, laid.fn_out.x);
    expect(Math.min(laid.fn_in.x, laid.db_in.x)).toBeGreaterThan(outside);
  });

  test("gives ELK every component with its tier as partition and no self-loop", () => {
    const graph = elkGraph({ ...tangled, connections: [...tangled.connections, connect("api_a", "api_a")] });
    expect(graph.children?.map((n) => n.layoutOptions?.["elk.partitioning.partition"])).toEqual(["0", "0", "1", "1", "2", "2"]);
    expect(graph.edges).toHaveLength(4);
  });

  test("an empty design stays as it is", async () => {
    const empty = loose<Design>({ components: [], connections: [], groups: [] });
    expect(await layeredLayout(empty)).toBe(empty);
  });
});
