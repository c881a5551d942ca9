// @vitest-environment jsdom
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { updateComponent } from "./design";
import type { Design, Op } from "./types";
import { useHistory } from "./useHistory";

const start = (): Design => ({
  schema: "tierplan.design/v1",
  name: "Orders",
  components: [
    { id: "api", type: "api_gateway_rest", tier: "logic", label: "API", props: {}, usage: {} },
    { id: "fn", type: "lambda_function", tier: "logic", label: "Fn", props: {}, usage: {} },
  ],
  connections: [],
  groups: [],
});
const relabel = (id: string, label: string) => (d: Design) => updateComponent(d, id, (c) => ({ ...c, label }));
const labels = (d: Design | null) => d?.components.map((c) => c.label);

// The hook with a stand-in autosave and live session; `live` switches the session on.
function setUp({ live = false, locked = false } = {}) {
  const save = { changed: vi.fn() };
  const submitted: Op[][] = [];
  const session = { active: live, submit: (ops: Op[] | null) => void submitted.push(ops ?? []) };
  // The editor's refs live as long as it does: made once, not on every render.
  const refs = { designRef: { current: null }, lockedRef: { current: locked }, liveRef: { current: session } };
  const { result } = renderHook(() => useHistory({ ...refs, save }));
  act(() => result.current.show(start()));
  return { result, save, submitted };
}

describe("useHistory", () => {
  it("undoes and redoes my edits, saving after each", () => {
    const { result, save } = setUp();
    act(() => result.current.commit(relabel("fn", "Worker")));
    expect(labels(result.current.design)).toEqual(["API", "Worker"]);
    expect(result.current.canUndo).toBe(true);
    act(() => result.current.undo());
    expect(labels(result.current.design)).toEqual(["API", "Fn"]);
    expect(result.current.canRedo).toBe(true);
    act(() => result.current.redo());
    expect(labels(result.current.design)).toEqual(["API", "Worker"]);
    expect(save.changed).toHaveBeenCalledTimes(3);
  });

  it("ignores an edit that changes nothing, and every edit while read only", () => {
    const { result, save } = setUp();
    act(() => result.current.commit((d) => d));
    expect(save.changed).not.toHaveBeenCalled();
    const locked = setUp({ locked: true });
    act(() => locked.result.current.commit(relabel("fn", "Worker")));
    expect(labels(locked.result.current.design)).toEqual(["API", "Fn"]);
    expect(locked.result.current.canUndo).toBe(false);
  });

  it("in a live session sends operations, and an undo takes back only mine", () => {
    const { result, save, submitted } = setUp({ live: true });
    act(() => result.current.commit(relabel("fn", "Mine")));
    expect(submitted).toEqual([[{ type: "set_component", id: "fn", field: "label", value: "Mine" }]]);
    // A teammate's edit arrives from the session.
    act(() => result.current.show(relabel("api", "Theirs")(result.current.design as Design)));
    act(() => result.current.undo());
    expect(labels(result.current.design)).toEqual(["Theirs", "Fn"]);
    expect(submitted[1]).toEqual([{ type: "set_component", id: "fn", field: "label", value: "Fn" }]);
    expect(save.changed).not.toHaveBeenCalled();
  });

  it("keeps mine one undo away when a document replaces it", () => {
    const { result } = setUp();
    const theirs = relabel("api", "Theirs")(start());
    act(() => result.current.replace(theirs));
    expect(labels(result.current.design)).toEqual(["Theirs", "Fn"]);
    act(() => result.current.undo());
    expect(labels(result.current.design)).toEqual(["API", "Fn"]);
  });
});
