import { useEffect, useState } from "react";
import { messageOf, type Api } from "../api";
import type { Design, PatternDetail, PatternSummary } from "../types";

// Insert a pattern from the library into the current design, each pattern component either added or
// mapped onto an existing component of the same type.
export default function PatternDialog({ api, design, onApply, onCancel }: {
  api: Api;
  design: Design;
  onApply: (slug: string, mapping: Record<string, string>) => Promise<void>;
  onCancel: () => void;
}) {
  const [patterns, setPatterns] = useState<PatternSummary[] | null>(null);
  const [slug, setSlug] = useState("");
  const [detail, setDetail] = useState<PatternDetail | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.patterns().then(({ data }) => setPatterns(data)).catch((e) => setError(messageOf(e)));
  }, [api]);
  useEffect(() => {
    setDetail(null);
    setMapping({});
    if (!slug) return;
    api.pattern(slug).then(({ data }) => setDetail(data)).catch((e) => setError(messageOf(e)));
  }, [api, slug]);
  const apply = async () => {
    setBusy(true);
    setError("");
    try {
      await onApply(slug, Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="pattern-title" data-dialog="pattern">
      <div className="dialog wide">
        <h2 id="pattern-title">Insert a pattern</h2>
        {!patterns && !error && <p className="muted">Loading the pattern library…</p>}
        {patterns && (
          <div className="field">
            <label htmlFor="pattern-slug">Pattern</label>
            <select id="pattern-slug" name="pattern" value={slug} onChange={(e) => setSlug(e.target.value)}>
              <option value="">Choose a pattern…</option>
              {patterns.map((p) => <option key={p.slug} value={p.slug}>{p.name}</option>)}
            </select>
          </div>
        )}
        {detail && (
          <>
            <p className="small">{detail.summary}</p>
            <table className="mapping">
              <thead><tr><th>Pattern component</th><th>Becomes</th></tr></thead>
              <tbody>
                {detail.design.components.map((c) => {
                  const same = design.components.filter((x) => x.type === c.type);
                  return (
                    <tr key={c.id}>
                      <td>{c.label || c.id} <span className="muted small">({c.type})</span></td>
                      <td>
                        <select name={`map-${c.id}`} value={mapping[c.id] || ""} disabled={!same.length}
                          onChange={(e) => setMapping((m) => ({ ...m, [c.id]: e.target.value }))}>
                          <option value="">a new component</option>
                          {same.map((x) => <option key={x.id} value={x.id}>existing: {x.label || x.id}</option>)}
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
        {error && <p className="field-error" role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
          <button type="button" data-action="apply-pattern" disabled={!detail || busy} onClick={apply}>Insert</button>
        </div>
      </div>
    </div>
  );
}
