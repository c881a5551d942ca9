import { useCallback, useRef, useState } from "react";
import { applyOps, opsBetween } from "./liveOps.js";
import { emptyHistory, recordEdit, recordReplacement, step } from "./history.js";

// The design on screen (kept in `designRef` too, for callbacks) and every edit to it: each edit is a
// snapshot for undo, then an autosave (or, in a live session, operations sent to it). `show` puts a
// document on screen without an edit of mine (the live session's, the loaded head).
export function useHistory({ designRef, lockedRef, liveRef, save }) {
  const [design, setDesign] = useState(null);
  const history = useRef(emptyHistory());
  const [, setTick] = useState(0);

  const show = useCallback(
    (doc) => {
      designRef.current = doc;
      setDesign(doc);
    },
    [designRef],
  );

  const commit = useCallback(
    (update, key = null) => {
      if (lockedRef.current) return;
      const previous = designRef.current;
      const next = typeof update === "function" ? update(previous) : update;
      if (!next || next === previous) return;
      const isLive = liveRef.current.active;
      const forward = isLive ? opsBetween(previous, next) : null;
      const inverse = isLive ? opsBetween(next, previous) : null;
      recordEdit(history.current, { before: previous, after: next, forward, inverse, key });
      show(next);
      setTick((t) => t + 1);
      if (isLive) liveRef.current.submit(forward, next);
      else save.changed();
    },
    [designRef, lockedRef, liveRef, save, show],
  );

  const travel = useCallback(
    (from) => {
      if (lockedRef.current) return;
      const moved = step(history.current, from);
      if (!moved) return;
      const { entry, back } = moved;
      let next;
      if (liveRef.current.active) {
        const ops = (back ? entry.inverse : entry.forward) ||
          (back ? opsBetween(entry.after, entry.before) : opsBetween(entry.before, entry.after));
        next = applyOps(designRef.current, ops);
        liveRef.current.submit(ops, next);
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
    (doc) => {
      recordReplacement(history.current, designRef.current, doc);
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
