import type { RevisionSummary } from "./types";

// The revision history as a person reads it: the autosaves of one sitting (one author saving without a
// message, each save within SITTING_GAP_MS of the one before) make one entry; a revision with a message
// (a restore, an insert, a script's save) stands alone. Every revision stays reachable inside its entry.

export const SITTING_GAP_MS = 15 * 60 * 1000;

// `revisions` newest first, as the API lists them; returns entries newest first, each
// {newest, oldest, revisions} with its revisions newest first.
export interface Sitting {
  newest: RevisionSummary;
  oldest: RevisionSummary;
  revisions: RevisionSummary[];
}

export function sittings(revisions: RevisionSummary[], gapMs = SITTING_GAP_MS): Sitting[] {
  const entries: (Sitting & { autosave: boolean; author: string | null; oldestAt: number })[] = [];
  let current: (typeof entries)[number] | null = null;
  for (const revision of revisions) {
    const autosave = !revision.message;
    const author = revision.author?.username ?? null;
    const at = Date.parse(revision.created_at);
    const joins =
      current !== null &&
      autosave &&
      current.autosave &&
      current.author === author &&
      Number.isFinite(at) &&
      current.oldestAt - at <= gapMs;
    if (joins && current) {
      current.revisions.push(revision);
      current.oldest = revision;
      current.oldestAt = at;
      continue;
    }
    current = { newest: revision, oldest: revision, revisions: [revision], autosave, author, oldestAt: at };
    entries.push(current);
  }
  return entries.map(({ newest, oldest, revisions: members }) => ({ newest, oldest, revisions: members }));
}
