// Keeping the objects React Flow already has: a canvas rebuilt from the document after one edit hands back
// the very node and edge objects that did not change, so React Flow skips them and their memoised
// components do not render again. At 1,000 components that is the difference between redrawing one card
// and redrawing them all.

type Fields = Record<string, unknown>;

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((value, index) => value === b[index]);
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => (a as Fields)[key] === (b as Fields)[key]);
}

// One level deeper than shallow: a node's `data`, `position` and `style` (and an edge's `markerEnd`) are
// rebuilt as new objects every time, so they are compared by their fields; everything inside them by identity.
export function sameItem<T extends object>(previous: T, next: T): boolean {
  if (previous === next) return true;
  const was = previous as Fields;
  const now = next as Fields;
  const keys = Object.keys(next).filter((key) => key !== "measured");
  if (keys.length !== Object.keys(previous).filter((key) => key !== "measured" && key !== "dragging").length) {
    return false;
  }
  return keys.every((key) => was[key] === now[key] || sameValue(was[key], now[key]));
}

// `next` with each item that equals the previous item of the same id replaced by that previous object.
export function keepUnchanged<T extends { id: string }>(previous: T[], next: T[]): T[] {
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
