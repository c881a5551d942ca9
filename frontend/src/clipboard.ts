import { useCallback, useRef, type RefObject } from "react";
import { duplicate, type Clip } from "./design";
import type { Design } from "./types";
import type { Commit } from "./useHistory";

// Where copies are kept: localStorage, or a stand-in in tests.
export type ClipStorage = Pick<Storage, "getItem" | "setItem">;

// Copies go to localStorage as well, so they paste in another tab or another project's editor.
const CLIPBOARD_KEY = "tierplan.clipboard";
const SCHEMA = "tierplan.clipboard/v1";
// Each paste of the same copy steps this far further right and down, so pastes do not pile up.
export const PASTE_STEP = 40;

function browserStorage(): ClipStorage | null {
  return typeof window === "undefined" ? null : window.localStorage;
}

// The components with these ids and the connections between them.
export function copyOf(design: Design, ids: string[]): Clip {
  const wanted = new Set(ids);
  return {
    components: design.components.filter((c) => wanted.has(c.id)),
    connections: design.connections.filter((c) => wanted.has(c.source) && wanted.has(c.target)),
  };
}

// A clipboard over a storage (localStorage in the browser). Reading gives the same object while the stored
// copy has not changed, so repeated pastes keep stepping aside.
export function makeClipboard(storage: ClipStorage | null = browserStorage()) {
  let lastText: string | null = null;
  let last: Clip | null = null;
  return {
    write(clip: Clip): void {
      try {
        lastText = JSON.stringify({ schema: SCHEMA, ...clip });
        last = clip;
        storage?.setItem(CLIPBOARD_KEY, lastText);
      } catch {
        /* storage full or disabled: the copy still pastes in this tab */
      }
    },
    read(): Clip | null {
      try {
        const text = storage?.getItem(CLIPBOARD_KEY);
        if (!text) return null;
        if (text === lastText) return last;
        const clip = JSON.parse(text);
        if (clip?.schema !== SCHEMA || !Array.isArray(clip.components) || !Array.isArray(clip.connections)) return null;
        lastText = text;
        last = { components: clip.components, connections: clip.connections };
        return last;
      } catch {
        return null;
      }
    },
  };
}

const shared = makeClipboard();
const plural = (n: number) => `${n} component${n === 1 ? "" : "s"}`;

// Copy and paste of components (Ctrl+C, Ctrl+V). A paste is one edit and selects what it added.
interface Options {
  designRef: RefObject<Design | null>;
  commit: Commit;
  selectAfter: RefObject<string | string[] | null>;
  say: (text: string) => void;
}

export function useClipboard({ designRef, commit, selectAfter, say }: Options) {
  const clipboard = useRef<Clip | null>(null);
  const pasteCount = useRef(0);

  const copy = useCallback(
    (ids: string[]) => {
      if (!ids.length || !designRef.current) return;
      clipboard.current = copyOf(designRef.current, ids);
      shared.write(clipboard.current);
      pasteCount.current = 0;
      say(`Copied ${plural(ids.length)}.`);
    },
    [designRef, say],
  );

  // False when there is nothing to paste.
  const paste = useCallback((): boolean => {
    // The newest copy from any tab of this site (another project's editor included).
    const clip = shared.read() || clipboard.current;
    if (!clip || !designRef.current) return false;
    if (clip !== clipboard.current) {
      clipboard.current = clip;
      pasteCount.current = 0;
    }
    pasteCount.current += 1;
    const offset = PASTE_STEP * pasteCount.current;
    const { design: next, ids } = duplicate(designRef.current, clip, { x: offset, y: offset });
    selectAfter.current = ids;
    commit(next);
    say(`Pasted ${plural(ids.length)}.`);
    return true;
  }, [designRef, commit, selectAfter, say]);

  return { copy, paste };
}
