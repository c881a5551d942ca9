import { createContext, useCallback, useContext, useState } from "react";
import type { Design } from "./types";

// What was typed, and why it is not valid (empty while it is still being checked).
export interface Draft {
  text: string;
  message: string;
}
export type Drafts = Map<string, Draft>;
export interface DraftScope {
  scope: string;
  drafts: Drafts;
  setDraft: (key: string, draft: Draft | null) => void;
}

// Field drafts: text typed into a properties field that is not (yet) a valid value, so it was not put in
// the design. Kept by the studio (not the field), so a draft survives the panel closing and opening again,
// and counted in the header ("Not saved: 1 invalid field") until it is fixed or replaced.
//
// Keys are "<scope>\u0000<field name>", the scope naming the item whose panel shows the field
// ("component:orders_fn", "connection:c1", "group:vpc_a").

export const DraftContext = createContext<DraftScope | null>(null);

export function draftKey(scope: string, name: string): string {
  return `${scope}\u0000${name}`;
}

// [the field's draft or undefined, a setter (null drops it)] for the field `name` of the panel's item.
export function useDraft(name: string): [Draft | undefined, (draft: Draft | null) => void] {
  const context = useContext(DraftContext);
  if (!context) return [undefined, () => {}];
  const key = draftKey(context.scope, name);
  return [context.drafts.get(key), (draft) => context.setDraft(key, draft)];
}

// The drafts that belong to items still in `design` (a deleted item's draft no longer matters).
export function liveDrafts(drafts: Drafts, design: Design): [string, Draft][] {
  const scopes = new Set([
    ...design.components.map((c) => `component:${c.id}`),
    ...design.connections.map((c) => `connection:${c.id}`),
    ...(design.groups || []).map((g) => `group:${g.id}`),
  ]);
  return [...drafts.entries()].filter(([key]) => scopes.has(key.split("\u0000")[0]));
}

// The studio's drafts and their setter, for DraftContext.
export function useDrafts() {
  const [drafts, setDrafts] = useState<Drafts>(() => new Map());
  const setDraft = useCallback((key: string, draft: Draft | null) => {
    setDrafts((previous) => {
      if (!draft && !previous.has(key)) return previous;
      const next = new Map(previous);
      if (draft) next.set(key, draft);
      else next.delete(key);
      return next;
    });
  }, []);
  return { drafts, setDraft };
}
