import { sittings } from "../sittings";
import type { RevisionSummary } from "../types";

interface RowActions {
  head: number | null;
  viewing: number | undefined;
  canRestore: boolean;
  onOpen: (number: number) => void;
  onCompare: (number: number) => void;
  onRestore: (number: number) => void;
}

function RevisionRow({ r, head, viewing, canRestore, onOpen, onCompare, onRestore }: RowActions & { r: RevisionSummary }) {
  return (
    <li data-revision-number={r.number} className={`${r.number === head ? "head" : ""}${viewing === r.number ? " viewing" : ""}`}>
      <div>
        <strong>r{r.number}</strong> {r.number === head && <span className="tag small">current</span>}
        <span className="muted small"> · {r.author?.username || "someone"} · {new Date(r.created_at).toLocaleString()}</span>
      </div>
      <div className="message">{r.message || <span className="muted">(autosave)</span>}</div>
      {r.number !== head && (
        <div className="revision-actions">
          <button type="button" className="secondary" data-action="open-revision" onClick={() => onOpen(r.number)}>Open</button>
          <button type="button" className="secondary" data-action="compare-revision" onClick={() => onCompare(r.number)}>Compare</button>
          {canRestore && (
            <button type="button" className="secondary" data-action="restore-revision" onClick={() => onRestore(r.number)}>Restore</button>
          )}
        </div>
      )}
    </li>
  );
}

// The history of the design, newest first: each sitting's autosaves as one entry (its newest revision,
// with the earlier ones a click away), revisions with a message on their own. Any revision opens
// read-only, compares with the current one, or is restored as a new revision.
export default function RevisionsPanel({ revisions, error, head, viewing, canRestore, onOpen, onCompare, onRestore, onRefresh }: RowActions & {
  revisions: RevisionSummary[] | null;
  error: string;
  onRefresh: () => void;
}) {
  const rowProps = { head, viewing, canRestore, onOpen, onCompare, onRestore };
  return (
    <aside className="properties-panel revisions-panel" aria-label="Revisions" data-revisions-panel>
      <h2>History <button type="button" className="link small" onClick={onRefresh}>refresh</button></h2>
      {error && <p className="field-error">{error}</p>}
      {!revisions && !error && <p className="muted">Loading…</p>}
      <ol className="revisions">
        {sittings(revisions || []).map(({ newest, oldest, revisions: members }) => (
          <li key={newest.number} className="sitting" data-sitting={`${oldest.number}-${newest.number}`}>
            <ol className="sitting-revisions">
              <RevisionRow r={newest} {...rowProps} />
            </ol>
            {members.length > 1 && (
              <details open={members.some((r) => r.number === viewing) || undefined}>
                <summary className="small">
                  {members.length} autosaves in this sitting (r{oldest.number}–r{newest.number},{" "}
                  {new Date(oldest.created_at).toLocaleTimeString()} to {new Date(newest.created_at).toLocaleTimeString()})
                </summary>
                <ol className="sitting-revisions">
                  {members.slice(1).map((r) => <RevisionRow key={r.number} r={r} {...rowProps} />)}
                </ol>
              </details>
            )}
          </li>
        ))}
      </ol>
    </aside>
  );
}
