import { useEffect, useRef, type RefObject } from "react";
import type { Node } from "@xyflow/react";
import type { Point } from "./types";

export type Shortcut = "close" | "delete" | "copy" | "paste" | "layout" | "history" | "undo" | "redo" | "help" | "fit";
type Press = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey">;

// Whether a key press goes to a field rather than to the canvas.
export function typing(target: EventTarget | null): boolean {
  return (
    typeof HTMLElement !== "undefined" &&
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))
  );
}

// The studio's shortcut for a key press, or null. Escape counts inside fields too (it closes dialogs);
// the others only outside them. `locked` (read only) leaves the ones that edit out.
export function shortcutFor(event: Press, { locked = false, inField = false } = {}): Shortcut | null {
  if (event.key === "Escape") return "close";
  if (inField) return null;
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if ((event.key === "Delete" || event.key === "Backspace") && !mod) return locked ? null : "delete";
  if (mod && key === "c") return "copy";
  if (mod && key === "v") return locked ? null : "paste";
  if (!mod && key === "l") return locked ? null : "layout";
  if (!mod && key === "h") return "history";
  if (mod && key === "z") return event.shiftKey ? "redo" : "undo";
  if (mod && key === "y") return "redo";
  if (event.key === "?") return "help";
  if (!mod && key === "f") return "fit";
  return null;
}

// Calls `handlers[shortcut](event)` for the studio's shortcuts. The handlers may change every render;
// the listener stays. Delete is handled here rather than by xyflow's key tracking, which can miss a key
// after modifier chords.
export function useShortcuts(handlers: Partial<Record<Shortcut, (event: KeyboardEvent) => void>>, lockedRef: RefObject<boolean>) {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event, { locked: lockedRef.current, inField: typing(event.target) });
      if (action) current.current[action]?.(event);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [lockedRef]);
}

// Arrow keys on a focused card move the selection (React Flow moves the cards: 5 px, Shift 20 px); the
// moves of one burst of key presses are placed like a drop, as one edit, once the keys rest.
export const ARROW_REST_MS = 350;

interface ArrowOptions {
  nodesRef: RefObject<Node[]>;
  lockedRef: RefObject<boolean>;
  place: (moved: Record<string, Point>) => void;
}

export function useArrowMoves({ nodesRef, lockedRef, place }: ArrowOptions) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const onArrow = (event: KeyboardEvent) => {
      if (!event.key.startsWith("Arrow") || lockedRef.current) return;
      if (!(event.target instanceof Element) || !event.target.closest(".react-flow__node-component, .react-flow__nodesselection")) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const moved = Object.fromEntries(
          nodesRef.current.filter((n) => n.type === "component" && n.selected).map((n) => [n.id, n.position]),
        );
        if (Object.keys(moved).length) place(moved);
      }, ARROW_REST_MS);
    };
    window.addEventListener("keydown", onArrow);
    return () => {
      window.removeEventListener("keydown", onArrow);
      clearTimeout(timer.current);
    };
  }, [nodesRef, lockedRef, place]);
}
