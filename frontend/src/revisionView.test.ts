import { describe, expect, it } from "vitest";
import type { Comparison } from "./canvas";
import { diffMarks, etagNumber, shownTotal } from "./revisionView";
import { loose } from "./testing";

describe("revision view", () => {
  it("reads the revision number from an ETag", () => {
    expect(etagNumber('W/"12"')).toBe(12);
    expect(etagNumber('"3"')).toBe(3);
  });

  it("marks what a comparison added and changed", () => {
    const diff = loose<Comparison>({
      data: {
        components: { added: [{ id: "fn" }, "queue"], changed: [{ id: "api" }], removed: [] },
        connections: { added: [{ id: "c2" }], changed: [{ id: "c1" }], removed: [] },
      },
    });
    expect(diffMarks(diff)).toEqual({
      components: { fn: "added", queue: "added", api: "changed" },
      connections: { c2: "added", c1: "changed" },
    });
  });

  it("marks nothing without a comparison or without connection changes", () => {
    expect(diffMarks(null)).toEqual({ components: {}, connections: {} });
    expect(diffMarks(loose<Comparison>({ data: { components: { added: [], changed: [] } } })).connections).toEqual({});
  });

  it("shows an old revision's total only once its estimate is in", () => {
    const costs = { total: 12.5, revision: 4 };
    expect(shownTotal(costs, null)).toBe(12.5);
    expect(shownTotal(costs, { number: 4 })).toBe(12.5);
    expect(shownTotal(costs, { number: 2 })).toBeNull();
  });
});
