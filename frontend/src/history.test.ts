import { describe, expect, it } from "vitest";
import { FOLD_MS, HISTORY_LIMIT, emptyHistory, recordEdit, recordReplacement, step } from "./history";
import { loose } from "./testing";
import type { Design, Op } from "./types";

const doc = (n: number | string) => loose<Design>({ n });
const op = (name: string) => loose<Op>({ type: name });

describe("history", () => {
  it("records each edit and undoes and redoes it", () => {
    const h = emptyHistory();
    recordEdit(h, { before: doc(0), after: doc(1), now: 0 });
    recordEdit(h, { before: doc(1), after: doc(2), now: 10_000 });
    expect(step(h, "past")).toMatchObject({ back: true, entry: { before: doc(1), after: doc(2) } });
    expect(h.future).toHaveLength(1);
    expect(step(h, "future")).toMatchObject({ back: false, entry: { after: doc(2) } });
    expect(h.past).toHaveLength(2);
  });

  it("folds edits with the same key made within a moment into one", () => {
    const h = emptyHistory();
    recordEdit(h, { before: doc(0), after: doc(1), key: "label", now: 0 });
    recordEdit(h, { before: doc(1), after: doc(2), key: "label", now: FOLD_MS - 1 });
    expect(h.past).toEqual([{ before: doc(0), after: doc(2), forward: null, inverse: null }]);
    recordEdit(h, { before: doc(2), after: doc(3), key: "label", now: 2 * FOLD_MS + 1 });
    expect(h.past).toHaveLength(2);
  });

  it("keeps the operations of folded live edits in order, the inverse backwards", () => {
    const h = emptyHistory();
    recordEdit(h, { before: doc(0), after: doc(1), forward: [op("a")], inverse: [op("-a")], key: "k", now: 0 });
    recordEdit(h, { before: doc(1), after: doc(2), forward: [op("b")], inverse: [op("-b")], key: "k", now: 1 });
    expect(h.past[0].forward).toEqual([op("a"), op("b")]);
    expect(h.past[0].inverse).toEqual([op("-b"), op("-a")]);
  });

  it("does not fold after an undo", () => {
    const h = emptyHistory();
    recordEdit(h, { before: doc(0), after: doc(1), key: "k", now: 0 });
    recordEdit(h, { before: doc(1), after: doc(2), key: "other", now: 1 });
    step(h, "past");
    recordEdit(h, { before: doc(1), after: doc(3), key: "other", now: 2 });
    expect(h.past.map((e) => e.after)).toEqual([doc(1), doc(3)]);
  });

  it("forgets the redo stack on a new edit and keeps a bounded past", () => {
    const h = emptyHistory();
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) recordEdit(h, { before: doc(i), after: doc(i + 1), now: i * 10_000 });
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0].before).toEqual(doc(5));
    step(h, "past");
    recordEdit(h, { before: doc(0), after: doc(99), now: 1e9 });
    expect(h.future).toEqual([]);
  });

  it("keeps mine one undo away when a document replaces it", () => {
    const h = emptyHistory();
    recordReplacement(h, doc("mine"), doc("theirs"));
    expect(step(h, "past")?.entry.before).toEqual(doc("mine"));
  });

  it("has nothing to step when a stack is empty", () => {
    expect(step(emptyHistory(), "past")).toBeNull();
    expect(step(emptyHistory(), "future")).toBeNull();
  });
});
