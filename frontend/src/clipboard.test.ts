import { describe, expect, it } from "vitest";
import { copyOf, makeClipboard } from "./clipboard";
import { loose } from "./testing";
import type { Design } from "./types";

const design = loose<Design>({
  components: [{ id: "api" }, { id: "fn" }, { id: "table" }],
  connections: [
    { id: "c1", source: "api", target: "fn" },
    { id: "c2", source: "fn", target: "table" },
  ],
});

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe("clipboard", () => {
  it("copies the components and only the connections between them", () => {
    const clip = copyOf(design, ["api", "fn"]);
    expect(clip.components.map((c) => c.id)).toEqual(["api", "fn"]);
    expect(clip.connections.map((c) => c.id)).toEqual(["c1"]);
  });

  it("reads back what was written, the same object while it has not changed", () => {
    const board = makeClipboard(memoryStorage());
    const clip = copyOf(design, ["fn"]);
    board.write(clip);
    expect(board.read()).toBe(clip);
    expect(board.read()).toBe(board.read());
  });

  it("reads a copy another tab wrote", () => {
    const storage = memoryStorage();
    makeClipboard(storage).write(copyOf(design, ["api", "fn"]));
    const other = makeClipboard(storage);
    const read = other.read();
    expect(read?.components).toHaveLength(2);
    expect(other.read()).toBe(read);
  });

  it("ignores what is not one of its copies", () => {
    const storage = memoryStorage();
    const board = makeClipboard(storage);
    expect(board.read()).toBeNull();
    storage.setItem("tierplan.clipboard", "not json");
    expect(board.read()).toBeNull();
    storage.setItem("tierplan.clipboard", JSON.stringify({ schema: "other/v1", components: [], connections: [] }));
    expect(board.read()).toBeNull();
    storage.setItem("tierplan.clipboard", JSON.stringify({ schema: "tierplan.clipboard/v1", components: {} }));
    expect(board.read()).toBeNull();
  });

  it("still works when storage refuses", () => {
    const board = makeClipboard({ getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("full"); } });
    expect(() => board.write(copyOf(design, ["api"]))).not.toThrow();
    expect(board.read()).toBeNull();
  });
});
