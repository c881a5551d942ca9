import { describe, expect, it } from "vitest";
import { findingsByComponent, openCommentsByComponent } from "./review.js";

describe("review feedback", () => {
  it("files findings under every component they name", () => {
    const one = { rule: "a", components: ["api", "fn"] };
    const two = { rule: "b", components: ["fn"] };
    const whole = { rule: "c" };
    expect(findingsByComponent([one, two, whole])).toEqual({ api: [one], fn: [one, two] });
  });

  it("counts open comments by component, leaving out resolved and general ones", () => {
    const comments = [
      { component: "api", resolved: false },
      { component: "api", resolved: false },
      { component: "api", resolved: true },
      { component: null, resolved: false },
      { component: "fn", resolved: false },
    ];
    expect(openCommentsByComponent(comments)).toEqual({ api: 2, fn: 1 });
  });
});
