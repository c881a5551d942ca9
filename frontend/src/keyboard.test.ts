import { describe, expect, it } from "vitest";
import { shortcutFor } from "./keyboard";

const press = (key: string, mods = {}) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe("shortcuts", () => {
  it("maps keys to the studio's actions", () => {
    expect(shortcutFor(press("Delete"))).toBe("delete");
    expect(shortcutFor(press("Backspace"))).toBe("delete");
    expect(shortcutFor(press("c", { ctrlKey: true }))).toBe("copy");
    expect(shortcutFor(press("v", { metaKey: true }))).toBe("paste");
    expect(shortcutFor(press("l"))).toBe("layout");
    expect(shortcutFor(press("H"))).toBe("history");
    expect(shortcutFor(press("z", { ctrlKey: true }))).toBe("undo");
    expect(shortcutFor(press("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(press("y", { ctrlKey: true }))).toBe("redo");
    expect(shortcutFor(press("?"))).toBe("help");
    expect(shortcutFor(press("f"))).toBe("fit");
    expect(shortcutFor(press("x"))).toBeNull();
    expect(shortcutFor(press("c"))).toBeNull();
  });

  it("leaves editing shortcuts out when read only", () => {
    const locked = { locked: true };
    expect(shortcutFor(press("Delete"), locked)).toBeNull();
    expect(shortcutFor(press("v", { ctrlKey: true }), locked)).toBeNull();
    expect(shortcutFor(press("l"), locked)).toBeNull();
    expect(shortcutFor(press("c", { ctrlKey: true }), locked)).toBe("copy");
    expect(shortcutFor(press("f"), locked)).toBe("fit");
  });

  it("only closes dialogs while typing in a field", () => {
    const inField = { inField: true };
    expect(shortcutFor(press("Escape"), inField)).toBe("close");
    expect(shortcutFor(press("Backspace"), inField)).toBeNull();
    expect(shortcutFor(press("z", { ctrlKey: true }), inField)).toBeNull();
  });

  it("does not delete on a modifier chord", () => {
    expect(shortcutFor(press("Delete", { ctrlKey: true }))).toBeNull();
  });
});
