// The history of the design: each revision with its number, message, author and time; open one read-only,
// compare it with the current revision, or restore it as a new revision.
export default function RevisionsPanel({ revisions, error, head, viewing, canRestore, onOpen, onCompare, onRestore, onRefresh }) {
  return (
    <aside className="properties-panel revisions-panel" aria-label="Revisions" data-revisions-panel>
      <h2>History <button type="button" className="link small" onClick={onRefresh}>refresh</button></h2>
      {error && <p className="field-error">{error}</p>}
      {!revisions && !error && <p className="muted">Loading…</p>}
      <ol className="revisions">
        {(revisions || []).map((r) => (
          <li key={r.number} data-revision-number={r.number}
            className={`${r.number === head ? "head" : ""}${viewing === r.number ? " viewing" : ""}`}>
            <div>
              <strong>r{r.number}</strong> {r.number === head && <span className="tag small">current</span>}
              <span className="muted small"> · {r.author?.username || "someone"} · {new Date(r.created_at).toLocaleString()}</span>
            </div>
            <div className="message">{r.message || <span className="muted">(no message)</span>}</div>
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
        ))}
      </ol>
    </aside>
  );
}
