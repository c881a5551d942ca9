import { useCallback, useState, type RefObject } from "react";
import { messageOf, type Api, ApiError } from "./api";
import type { Comparison, Viewing } from "./canvas";
import type { Design, RevisionSummary } from "./types";
import type { Live } from "./useLive";

// The revision number in an ETag ("W/\"12\"" → 12).
export function etagNumber(etag: string | null): number {
  return Number(String(etag).replace(/\D/g, ""));
}

// What a comparison marks on the canvas: components and connections added or changed, by id.
export function diffMarks(diff: Comparison | null): { components: Record<string, string>; connections: Record<string, string> } {
  const components: Record<string, string> = {};
  const connections: Record<string, string> = {};
  if (!diff) return { components, connections };
  // (Components are listed as objects or, from older servers, as bare ids.)
  for (const c of diff.data.components.added) components[typeof c === "string" ? c : c.id] = "added";
  for (const c of diff.data.components.changed) components[typeof c === "string" ? c : c.id] = "changed";
  if (diff.data.connections) {
    for (const c of diff.data.connections.added) connections[c.id] = "added";
    for (const c of diff.data.connections.changed) connections[c.id] = "changed";
  }
  return { components, connections };
}

// The total cost to show: the estimate's, once it is of the revision on screen.
export function shownTotal(costs: { total: number | null; revision: number | null }, viewing: Pick<Viewing, "number"> | null): number | null {
  return !viewing || costs.revision === viewing.number ? costs.total : null;
}

// The history side panel and what it opens: an old revision shown read only (its number, author, design;
// costs and findings follow it), or a comparison of one with the head. `follow(number)` asks for a
// revision's costs and findings; `adoptHead(doc, etag)` takes a new head from the server.
interface ViewOptions {
  api: Api;
  projectId: number;
  head: number | null;
  say: (text: string) => void;
  follow: (number: number | null, options?: { estimate?: boolean }) => void;
  clearSelection: () => void;
  adoptHead: (doc: Design, etag: string | null) => void;
  headEtag: () => Promise<string | null>;
  saveState: string;
}

export function useRevisionView({ api, projectId, head, say, follow, clearSelection, adoptHead, headEtag, saveState }: ViewOptions) {
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const [diff, setDiff] = useState<Comparison | null>(null);

  const open = async (number: number) => {
    try {
      const { data } = await api.revision(projectId, number);
      setDiff(null);
      clearSelection();
      setViewing({ number, design: data.design, author: data.author?.username, created_at: data.created_at });
      follow(number);
    } catch (error) {
      say(`Could not open revision ${number}: ${messageOf(error)}`);
    }
  };
  const close = () => {
    setViewing(null);
    follow(head);
  };
  const compare = async (number: number) => {
    if (head === null) return;
    try {
      const [{ data }, old] = await Promise.all([api.diff(projectId, number, head), api.revision(projectId, number)]);
      const wasViewing = Boolean(viewing);
      setViewing(null);
      setDiff({ from: number, to: head, data, oldDesign: old.data.design });
      follow(head, { estimate: wasViewing });
    } catch (error) {
      say(`Could not compare with revision ${number}: ${messageOf(error)}`);
    }
  };
  const restore = async (number: number, { reload }: { reload: () => void }) => {
    if (saveState !== "saved") {
      say("Wait until your changes are saved, then restore.");
      return;
    }
    try {
      const old = viewing?.number === number ? viewing.design : (await api.revision(projectId, number)).data.design;
      const { data, etag } = await api.saveDesign(projectId, old, await headEtag(), `Restored revision ${number}`);
      setViewing(null);
      setDiff(null);
      adoptHead(data.design, etag);
      say(`Restored revision ${number} as revision ${data.revision.number}.`);
      reload();
    } catch (error) {
      say(error instanceof ApiError && error.status === 412
        ? "A teammate saved first: reload the design, then restore."
        : `Could not restore revision ${number}: ${messageOf(error)}`);
    }
  };
  const closeDiff = useCallback(() => setDiff(null), []);

  return { viewing, diff, open, close, compare, restore, closeDiff };
}

// The project's revisions for the history panel. In a live session the session's edits since its last
// revision become one first (reading the design does that), so the list ends with what everyone sees now;
// `newHead(number)` hears of that head when it is new.
interface ListOptions {
  api: Api;
  projectId: number;
  liveRef: RefObject<Pick<Live, "active"> | null>;
  headRef: RefObject<number | null>;
  newHead: (number: number) => void;
}

export function useRevisionList({ api, projectId, liveRef, headRef, newHead }: ListOptions) {
  const [revisions, setRevisions] = useState<RevisionSummary[] | null>(null);
  const [error, setError] = useState("");
  const load = useCallback(async () => {
    try {
      if (liveRef.current?.active) {
        const number = etagNumber((await api.design(projectId)).etag);
        if (number !== headRef.current) newHead(number);
      }
      const { data } = await api.revisions(projectId);
      setRevisions(Array.isArray(data) ? data : data.results);
      setError("");
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [api, projectId, liveRef, headRef, newHead]);
  return { revisions, error, load };
}
