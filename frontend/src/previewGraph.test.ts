import { describe, expect, it } from "vitest";
import { LANE_HEIGHT, laneLayout } from "./design";
import { previewGraph } from "./previewGraph";
import { loose } from "./testing";
import type { Catalog, ComponentType, Design } from "./types";

const catalog = loose<Catalog>({
  tiers: [{ id: "logic", label: "Logic tier" }],
  types: [{ type: "lambda_function", label: "Lambda function" }],
  group_kinds: [{ kind: "vpc", label: "VPC" }],
});
const design = loose<Design>({
  schema: "tierplan.design/v1",
  name: "Imported",
  groups: [{ id: "net", kind: "vpc", label: "Network" }],
  components: [
    { id: "fn", type: "lambda_function", tier: "logic", label: "Worker", group: "net", position: { x: 380, y: 280 } },
    { id: "table", type: "dynamodb_table", tier: "data", label: "" },
  ],
  connections: [{ id: "c1", source: "fn", target: "table", kind: "read_write", props: {} }],
});

describe("previewGraph", () => {
  const { nodes, edges } = previewGraph(design, catalog);
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));

  it("draws the three lanes, the group and every component, none of them movable or selectable", () => {
    expect(nodes.map((n) => n.id)).toEqual(["lane:presentation", "lane:logic", "lane:data", "group:net", "fn", "table"]);
    for (const node of nodes) {
      expect(node.draggable).toBe(false);
      expect(node.selectable).toBe(false);
      expect(node.connectable).toBe(false);
    }
    expect(byId["lane:logic"].data).toMatchObject({ label: "Logic tier", height: LANE_HEIGHT });
    expect(byId["lane:data"].data.label).toBe("data");
    expect(byId["group:net"].data).toMatchObject({ kindLabel: "VPC", label: "Network", readOnly: true });
  });

  it("keeps the positions the import laid out and lays out a component without one", () => {
    expect(byId.fn.position).toEqual({ x: 380, y: 280 });
    expect(byId.table.position).toEqual(laneLayout(design).table);
    expect((byId.fn.data.ctype as ComponentType).label).toBe("Lambda function");
    expect(byId.table.data.ctype).toBeUndefined();
  });

  it("draws each connection as the editor does, labelled with its kind", () => {
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ id: "c1", source: "fn", target: "table", type: "floating", label: "read_write" });
    expect(edges[0].selectable).toBe(false);
  });
});
