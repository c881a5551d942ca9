import { describe, expect, test } from "vitest";
import { keepUnchanged, sameItem } from "./reuse";

const component = { id: "fn", type: "lambda_function" };
const node = (over = {}) => ({
  id: "fn",
  type: "component",
  position: { x: 10, y: 20 },
  data: { component, cost: 1.5, findings: [] },
  selected: false,
  ...over,
});

describe("keepUnchanged", () => {
  test("an equal rebuilt node is the previous object, measured size and all", () => {
    const old = { ...node(), measured: { width: 200, height: 80 } };
    const [kept] = keepUnchanged([old], [node({ data: { component, cost: 1.5, findings: old.data.findings } })]);
    expect(kept).toBe(old);
  });

  test("the whole list is the previous array when nothing changed", () => {
    const previous = [node(), node({ id: "db" })];
    const rebuilt = previous.map((n) => ({ ...n, data: { ...n.data }, position: { ...n.position } }));
    expect(keepUnchanged(previous, rebuilt)).toBe(previous);
  });

  test("a moved, re-selected, re-costed or edited component is the new object", () => {
    const old = node();
    for (const changed of [
      node({ position: { x: 11, y: 20 } }),
      node({ selected: true }),
      node({ data: { component, cost: 2, findings: old.data.findings } }),
      node({ data: { component: { ...component, label: "x" }, cost: 1.5, findings: old.data.findings } }),
    ]) {
      const [result] = keepUnchanged([old], [changed]);
      expect(result).toBe(changed);
    }
  });

  test("a field added or removed is a change", () => {
    expect(sameItem(node(), node({ hidden: true }))).toBe(false);
    const { selected: _, ...without } = node();
    expect(sameItem(node(), without)).toBe(false);
  });

  test("new items, removed items and a new order give a new list", () => {
    const a = node();
    const b = node({ id: "db" });
    expect(keepUnchanged([a, b], [a])).toEqual([a]);
    expect(keepUnchanged([a], [a, b])).toEqual([a, b]);
    const swapped = keepUnchanged([a, b], [b, a]);
    expect(swapped[0]).toBe(b);
    expect(swapped).not.toBe([a, b]);
  });
});
