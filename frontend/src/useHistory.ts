import { useCallback, useRef, useState, type RefObject } from "react";
import { applyOps, opsBetween } from "./liveOps";
import { emptyHistory, recordEdit, recordReplacement, step } from "./history";
import type { Design } from "./types";
import type { Live } from "./useLive";

// An edit: the next design, or how to make it from the current one (null or the same: nothing to do).
export type Update = Design | ((current: Design) => Design | null);
export type Commit = (update: Update, key?: string | null) => void;
// The parts of the autosave and the live session an edit goes to.
interface Options {
  designRef: RefObject<Design | null>;
  lockedRef: RefObject<boolean>;
  liveRef: RefObject<Pick<Live, "active" | "submit"> | null>;
  save: { changed: () => void };
}

// The design on screen (kept in `designRef` too, for callbacks) and every edit to it: each edit is a
// snapshot for undo, then an autosave (or, in a live session, operations sent to it). `show` puts a
// document on screen without an edit of mine (the live session's, the loaded head).
export function useHistory({ designRef, lockedRef, liveRef, save }: Options) {
  const [design, setDesign] = useState<Design | null>(null);
  const history = useRef(emptyHistory());
  const [, setTick] = useState(0);

  const show = useCallback(
    (doc: Design) => {
      designRef.current = doc;
      setDesign(doc);
    },
    [designRef],
  );

  const commit: Commit = useCallback(
    (update, key = null) => {
      const previous = designRef.current;
      const live = liveRef.current;
      if (lockedRef.current || !previous || !live) return;
      const next = typeof update === "function" ? update(previous) : update;
      if (!next || next === previous) return;
      const isLive = live.active;
      const forward = isLive ? opsBetween(previous, next) : null;
      const inverse = isLive ? opsBetween(next, previous) : null;
      recordEdit(history.current, { before: previous, after: next, forward, inverse, key });
      show(next);
      setTick((t) => t + 1);
      if (isLive) live.submit(forward, next);
      else save.changed();
    },
    [designRef, lockedRef, liveRef, save, show],
  );

  const travel = useCallback(
    (from: "past" | "future") => {
      const live = liveRef.current;
      const current = designRef.current;
      if (lockedRef.current || !live || !current) return;
      const moved = step(history.current, from);
      if (!moved) return;
      const { entry, back } = moved;
      let next;
      if (live.active) {
        const ops = (back ? entry.inverse : entry.forward) ||
          (back ? opsBetween(entry.after, entry.before) : opsBetween(entry.before, entry.after));
        next = applyOps(current, ops);
        live.submit(ops, next);
      } else {
        next = back ? entry.before : entry.after;
        save.changed();
      }
      show(next);
      setTick((t) => t + 1);
    },
    [designRef, lockedRef, liveRef, save, show],
  );
  const undo = useCallback(() => travel("past"), [travel]);
  const redo = useCallback(() => travel("future"), [travel]);

  // A document from elsewhere that replaces mine (their revision, a merge, a restore).
  const replace = useCallback(
    (doc: Design) => {
      if (designRef.current) recordReplacement(history.current, designRef.current, doc);
      show(doc);
    },
    [designRef, show],
  );

  return {
    design,
    show,
    commit,
    undo,
    redo,
    replace,
    canUndo: history.current.past.length > 0,
    canRedo: history.current.future.length > 0,
  };
}
