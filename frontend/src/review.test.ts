import { describe, expect, it } from "vitest";
import { findingsByComponent, openCommentsByComponent } from "./review";
import { loose } from "./testing";
import type { Comment, Finding } from "./types";

describe("review feedback", () => {
  it("files findings under every component they name", () => {
    const one = loose<Finding>({ rule: "a", components: ["api", "fn"] });
    const two = loose<Finding>({ rule: "b", components: ["fn"] });
    const whole = loose<Finding>({ rule: "c" });
    expect(findingsByComponent([one, two, whole])).toEqual({ api: [one], fn: [one, two] });
  });

  it("counts open comments by component, leaving out resolved and general ones", () => {
    const comments = loose<Comment[]>([
      { component: "api", resolved: false },
      { component: "api", resolved: false },
      { component: "api", resolved: true },
      { component: null, resolved: false },
      { component: "fn", resolved: false },
    ]);
    expect(openCommentsByComponent(comments)).toEqual({ api: 2, fn: 1 });
  });
});
