// @vitest-environment jsdom
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { PASTE_STEP, useClipboard } from "./clipboard";
import type { Design } from "./types";

const design = (): Design => ({
  schema: "tierplan.design/v1",
  name: "Orders",
  components: [
    { id: "api", type: "api_gateway_rest", tier: "logic", props: {}, usage: {}, position: { x: 100, y: 260 } },
    { id: "fn", type: "lambda_function", tier: "logic", props: {}, usage: {}, position: { x: 400, y: 260 } },
  ],
  connections: [{ id: "c1", source: "api", target: "fn", kind: "invoke", props: {} }],
  groups: [],
});

function setUp() {
  window.localStorage.clear();
  const designRef = { current: design() as Design | null };
  const selectAfter = { current: null as string | string[] | null };
  const say = vi.fn();
  // Each pasted design becomes the current one, as the editor's commit does.
  const commit = vi.fn((next) => {
    designRef.current = next;
  });
  const { result } = renderHook(() => useClipboard({ designRef, commit, selectAfter, say }));
  return { result, designRef, selectAfter, say, commit };
}

describe("useClipboard", () => {
  it("pastes copies a step further aside each time and selects them", () => {
    const { result, designRef, selectAfter, say } = setUp();
    act(() => result.current.copy(["api", "fn"]));
    expect(say).toHaveBeenLastCalledWith("Copied 2 components.");
    act(() => void result.current.paste());
    expect(selectAfter.current).toEqual(["api_gateway_rest_1", "lambda_function_1"]);
    expect(designRef.current?.connections).toHaveLength(2);
    act(() => void result.current.paste());
    const xs = designRef.current?.components.filter((c) => c.type === "lambda_function").map((c) => c.position?.x);
    expect(xs).toEqual([400, 400 + PASTE_STEP, 400 + 2 * PASTE_STEP]);
    expect(say).toHaveBeenLastCalledWith("Pasted 2 components.");
  });

  it("has nothing to paste before a copy, and copies nothing from an empty selection", () => {
    const { result, commit, say } = setUp();
    let pasted = true;
    act(() => {
      pasted = result.current.paste();
    });
    expect(pasted).toBe(false);
    act(() => result.current.copy([]));
    expect(commit).not.toHaveBeenCalled();
    expect(say).not.toHaveBeenCalled();
  });
});
