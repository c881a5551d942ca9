import { describe, expect, it } from "vitest";
import { sittings, type Sitting } from "./sittings";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 16, minute)).toISOString();
const rev = (number: number, minute: number, { message = "", author = "alice" as string | null } = {}) => ({
  number,
  message,
  author: author ? { username: author } : null,
  created_at: at(minute),
});
const numbers = (entries: Sitting[]) => entries.map((e) => e.revisions.map((r) => r.number));

describe("sittings", () => {
  it("collapses one author's autosaves a few minutes apart into one entry", () => {
    const entries = sittings([rev(4, 9), rev(3, 6), rev(2, 2), rev(1, 0, { message: "Created the project" })]);
    expect(numbers(entries)).toEqual([[4, 3, 2], [1]]);
    expect(entries[0].newest.number).toBe(4);
    expect(entries[0].oldest.number).toBe(2);
  });

  it("keeps a revision with a message on its own, even between autosaves", () => {
    const entries = sittings([rev(5, 8), rev(4, 7, { message: "Restored revision 1" }), rev(3, 6), rev(2, 5)]);
    expect(numbers(entries)).toEqual([[5], [4], [3, 2]]);
  });

  it("starts a new sitting after a pause longer than the gap, measured between neighbours", () => {
    // 0, 10, 20, 30: each 10 minutes after the last, so one sitting of 30 minutes; then a 40-minute pause.
    const entries = sittings([rev(5, 70), rev(4, 30), rev(3, 20), rev(2, 10), rev(1, 0)]);
    expect(numbers(entries)).toEqual([[5], [4, 3, 2, 1]]);
  });

  it("does not mix authors", () => {
    const entries = sittings([rev(4, 3, { author: "bob" }), rev(3, 2), rev(2, 1, { author: "bob" }), rev(1, 0, { author: null })]);
    expect(numbers(entries)).toEqual([[4], [3], [2], [1]]);
  });

  it("reads an empty history", () => {
    expect(sittings([])).toEqual([]);
  });
});
