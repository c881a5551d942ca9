import { useCallback, useState } from "react";

// The component types this browser added last, newest first, for the palette's "Recently used" group.
// Kept in localStorage so that they follow the user from design to design.
const RECENT_KEY = "tierplan.palette.recent";
export const RECENT_LIMIT = 6;

function readRecent(): string[] {
  try {
    const stored = JSON.parse(window.localStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(stored) ? stored.filter((t) => typeof t === "string").slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

export function useRecentTypes() {
  const [recent, setRecent] = useState(readRecent);
  const remember = useCallback((type: string) => {
    setRecent((before) => {
      const next = [type, ...before.filter((t) => t !== type)].slice(0, RECENT_LIMIT);
      try {
        window.localStorage.setItem(RECENT_KEY, JSON.stringify(next));
      } catch {
        /* storage full or disabled: the list still works in this tab */
      }
      return next;
    });
  }, []);
  return { recent, remember };
}
