import { describe, expect, it } from "vitest";
import {
  LANE_HEIGHT,
  duplicate,
  NODE_WIDTH,
  addComponent,
  addConnection,
  errorsByComponent,
  freeSpot,
  laneLayout,
  newId,
  removeItems,
  snapIntoLane,
  tierAt,
} from "./design";
import { loose } from "./testing";
import type { Component, ComponentType, Design } from "./types";

const fn: ComponentType = { type: "lambda_function", label: "Lambda function", tier: "logic" };
const table: ComponentType = { type: "dynamodb_table", label: "DynamoDB table", tier: "data" };
const add = (design: Design, ctype: ComponentType) => addComponent(design, ctype).design;
const empty = (): Design => ({ schema: "tierplan.design/v1", name: "t", components: [], connections: [], groups: [] });

describe("ids and lanes", () => {
  it("gives the smallest free number and keeps ids slugs", () => {
    expect(newId("lambda_function", ["lambda_function_1", "lambda_function_3"])).toBe("lambda_function_2");
    expect(newId("Weird-Type!", [])).toBe("_eird__ype__1");
    expect(newId("a".repeat(80), [])).toHaveLength(60);
  });

  it("maps heights to tiers and keeps cards inside their lane", () => {
    expect(tierAt(-10)).toBe("presentation");
    expect(tierAt(LANE_HEIGHT + 1)).toBe("logic");
    expect(tierAt(10 * LANE_HEIGHT)).toBe("data");
    const snapped = snapIntoLane({ x: 10.4, y: 10_000 }, "logic");
    expect(snapped.x).toBe(10);
    expect(snapped.y).toBeLessThan(2 * LANE_HEIGHT);
    expect(snapped.y).toBeGreaterThanOrEqual(LANE_HEIGHT);
  });
});

describe("editing", () => {
  it("adds cards side by side in their tier, never on top of each other", () => {
    let design = empty();
    for (let n = 0; n < 3; n += 1) design = add(design, fn);
    design = add(design, table);
    const logic = design.components.filter((c) => c.tier === "logic").map((c) => c.position?.x ?? NaN);
    expect(new Set(logic).size).toBe(3);
    for (let i = 1; i < logic.length; i += 1) expect(logic[i] - logic[i - 1]).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(design.components.at(-1)?.tier).toBe("data");
    expect(freeSpot(design, "logic").x).toBeGreaterThan(Math.max(...logic));
  });

  it("removing a component removes its connections, and only those", () => {
    let design = add(add(add(empty(), fn), table), fn);
    design = addConnection(design, "lambda_function_1", "dynamodb_table_1", "read_write");
    design = addConnection(design, "lambda_function_2", "dynamodb_table_1", "read");
    const after = removeItems(design, ["lambda_function_1"], []);
    expect(after.components.map((c) => c.id)).toEqual(["dynamodb_table_1", "lambda_function_2"]);
    expect(addComponent(design, fn).id).toBe("lambda_function_3");
    expect(after.connections.map((c) => c.source)).toEqual(["lambda_function_2"]);
    expect(design.connections).toHaveLength(2); // pure: the original is untouched
  });
});

describe("layout", () => {
  it("lays a group's members out together, right of the ungrouped cards", () => {
    const design = loose<Design>({
      ...empty(),
      groups: [{ id: "vpc", kind: "vpc" }],
      components: [
        { id: "a", tier: "logic", group: "vpc" },
        { id: "b", tier: "logic", group: null },
        { id: "c", tier: "data", group: "vpc" },
      ],
    });
    const positions = laneLayout(design);
    expect(positions.b.x).toBeLessThan(positions.a.x);
    expect(positions.a.x).toBe(positions.c.x);
  });
});

describe("errors from a 400", () => {
  it("sorts JSON-pointer details by the item and field they name", () => {
    const sent = loose<Design>({ components: [{ id: "fn" }], connections: [{ id: "c1" }], groups: [] });
    const errors = errorsByComponent(
      [
        { pointer: "/design/components/0/props/memory_mb", message: "too big" },
        { pointer: "/design/connections/0/props/route", message: "bad route" },
        { pointer: "/design/components/0/props/properties/Tags/0/Key", message: "required" },
        { pointer: "/design/name", message: "too long" },
      ],
      sent,
    );
    expect(errors.byComponent.fn["props.memory_mb"]).toBe("too big");
    expect(errors.byComponent.fn["props.properties"]).toBe("Tags/0/Key: required");
    expect(errors.byConnection.c1["props.route"]).toBe("bad route");
    expect(errors.general).toEqual(["/design/name: too long"]);
  });
});

describe("legible fit", async () => {
  const { LEGIBLE_ZOOM, legibleViewport } = await import("./useLegibleFit");
  it("centres a design that fits at a legible zoom", () => {
    const view = legibleViewport({ x: 0, y: 0, width: 400, height: 200 }, 1000, 600);
    expect(view.zoom).toBe(1.25);
    expect(view.x).toBeCloseTo((1000 - 400 * 1.25) / 2);
  });
  it("never zooms out past legible: a wide design starts at its left edge", () => {
    const view = legibleViewport({ x: 80, y: 0, width: 4000, height: 660 }, 750, 760);
    expect(view.zoom).toBe(LEGIBLE_ZOOM);
    expect(view.x).toBeCloseTo(32 - 80 * LEGIBLE_ZOOM);
  });
});

describe("copy and paste", () => {
  it("gives copies new ids and leaves an imported component's kept CloudFormation with the original", () => {
    const original: Component = {
      id: "orders_fn",
      type: "lambda_function",
      tier: "logic",
      props: { memory_mb: 512 },
      usage: {},
      group: null,
      position: { x: 80, y: 280 },
      cloudformation: { logical_id: "OrdersFunction", properties: { CodeUri: "src/orders" } },
    };
    const design = { ...empty(), components: [original] };
    const { design: next, ids } = duplicate(design, { components: [original], connections: [] });
    const copy = next.components.find((c) => c.id === ids[0]) as Component;
    expect(copy.id).toBe("lambda_function_1");
    expect(copy.props).toEqual({ memory_mb: 512 });
    expect(copy).not.toHaveProperty("cloudformation");
    expect(next.components[0].cloudformation).toMatchObject({ logical_id: "OrdersFunction" });
  });
});
