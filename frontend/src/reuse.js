// Keeping the objects React Flow already has: a canvas rebuilt from the document after one edit hands back
// the very node and edge objects that did not change, so React Flow skips them and their memoised
// components do not render again. At 1,000 components that is the difference between redrawing one card
// and redrawing them all.

function sameValue(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((value, index) => value === b[index]);
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

// One level deeper than shallow: a node's `data`, `position` and `style` (and an edge's `markerEnd`) are
// rebuilt as new objects every time, so they are compared by their fields; everything inside them by identity.
export function sameItem(previous, next) {
  if (previous === next) return true;
  const keys = Object.keys(next).filter((key) => key !== "measured");
  if (keys.length !== Object.keys(previous).filter((key) => key !== "measured" && key !== "dragging").length) {
    return false;
  }
  return keys.every((key) => previous[key] === next[key] || sameValue(previous[key], next[key]));
}

// `next` with each item that equals the previous item of the same id replaced by that previous object.
export function keepUnchanged(previous, next) {
  if (!previous.length) return next;
  const before = new Map(previous.map((item) => [item.id, item]));
  let kept = 0;
  const merged = next.map((item) => {
    const old = before.get(item.id);
    if (old && sameItem(old, item)) {
      kept += 1;
      return old;
    }
    return item;
  });
  return kept === previous.length && merged.length === previous.length && merged.every((item, i) => item === previous[i])
    ? previous
    : merged;
}
