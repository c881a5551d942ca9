// Undo and redo of my own edits, as plain data: a stack of {before, after, forward, inverse} entries.
// In a live session an entry also carries its operations, so that an undo sends back only what I changed
// and a teammate's edits made since stay.

import type { Design, Op } from "./types";

export interface Entry {
  before: Design;
  after: Design;
  // Live sessions only: the operations forward (redo) and back (undo).
  forward?: Op[] | null;
  inverse?: Op[] | null;
}
export interface History {
  past: Entry[];
  future: Entry[];
  lastKey: string | null;
  lastAt: number;
}
type Stack = "past" | "future";

export const HISTORY_LIMIT = 200;
// Typing into one field within this long counts as one edit.
export const FOLD_MS = 1500;

export function emptyHistory(): History {
  return { past: [], future: [], lastKey: null, lastAt: 0 };
}

// Records an edit from `before` to `after`. An edit with the same key as the last one, soon after it,
// folds into it (one undo takes back a whole word typed).
export function recordEdit(
  h: History,
  { before, after, forward = null, inverse = null, key = null, now = Date.now() }: Entry & { key?: string | null; now?: number },
): void {
  const last = h.past[h.past.length - 1];
  if (key && h.lastKey === key && now - h.lastAt < FOLD_MS && last) {
    last.after = after;
    last.forward = forward && last.forward ? [...last.forward, ...forward] : null;
    last.inverse = inverse && last.inverse ? [...inverse, ...last.inverse] : null;
  } else {
    h.past.push({ before, after, forward, inverse });
    if (h.past.length > HISTORY_LIMIT) h.past.shift();
  }
  h.future = [];
  h.lastKey = key;
  h.lastAt = now;
}

// A document that replaced mine wholesale (their revision, a merge, a restore): mine stays one undo away.
export function recordReplacement(h: History, before: Design, after: Design): void {
  h.past.push({ before, after });
  h.future = [];
}

// Moves the newest entry of `from` ("past" or "future") to the other stack and returns it with the
// direction taken, or null when there is nothing to move.
export function step(h: History, from: Stack): { entry: Entry; back: boolean } | null {
  const entry = h[from].pop();
  if (!entry) return null;
  h[from === "past" ? "future" : "past"].push(entry);
  h.lastKey = null;
  return { entry, back: from === "past" };
}
