import { useEffect, useState, type RefObject } from "react";
import { messageOf, type Api } from "./api";
import { threeWayMerge, type Merge } from "./merge";
import { etagNumber } from "./revisionView";
import type { Design } from "./types";
import type { useAutosave } from "./useAutosave";

// Their revision and how mine goes on top of it.
export interface Conflict {
  theirs: Design;
  etag: string | null;
  number: number;
  result: Merge;
}
interface Options {
  api: Api;
  projectId: number;
  save: ReturnType<typeof useAutosave>;
  designRef: RefObject<Design | null>;
  replace: (doc: Design) => void;
  setHead: (number: number, options?: { follow?: boolean }) => void;
  say: (text: string) => void;
}

// A save refused because a teammate saved first (412): their revision, how mine goes on top of it
// (against the revision both started from), and the two ways out. Either way mine stays one undo away.
// `headLoaded(doc, etag)` takes their revision as the head; `replace(doc)` puts a document on screen.
export function useConflict({ api, projectId, save, designRef, replace, setHead, say }: Options) {
  const [merge, setMerge] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!save.conflict) {
      setMerge(null);
      return undefined;
    }
    let current = true;
    api.design(projectId).then(
      (head) => {
        const base = save.base.current;
        const mine = designRef.current;
        if (!current || !base || !mine) return;
        const result = threeWayMerge(base, mine, head.data);
        setMerge({ theirs: head.data, etag: head.etag, number: etagNumber(head.etag), result });
      },
      (error) => current && say(`Could not read their revision: ${messageOf(error)}`),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.conflict]);

  const reloadTheirs = async () => {
    setBusy(true);
    try {
      const head = await api.design(projectId);
      replace(head.data);
      setHead(etagNumber(head.etag));
      save.loaded(head.etag);
      say("Showing the newest revision; Ctrl+Z brings your version back.");
    } catch (error) {
      say(`Could not reload: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  };
  const keepMine = (choices: Record<string, "mine" | "theirs">) => {
    if (!merge) return;
    replace(merge.result.merged(choices));
    setHead(merge.number, { follow: false });
    save.rebase(merge.etag);
  };

  return { merge, busy, reloadTheirs, keepMine };
}
