import type { Comparison, Viewing } from "../canvas";
import { formatUsd } from "../design";
import type { useAutosave } from "../useAutosave";
import type { Costs } from "../useEstimate";

// The banner over the canvas while an old revision is shown read only.
export function ViewingBanner({ viewing, readOnly, onRestore, onCompare, onClose }: {
  viewing: Viewing;
  readOnly: boolean;
  onRestore: () => void;
  onCompare: () => void;
  onClose: () => void;
}) {
  return (
    <div className="mode-banner viewing" data-banner="viewing" role="status">
      <strong>Viewing revision {viewing.number} (read only)</strong>
      <span className="muted small"> · {viewing.author} · {new Date(viewing.created_at).toLocaleString()}</span>
      {!readOnly && <button type="button" data-action="restore-viewing" onClick={onRestore}>Restore as new revision</button>}
      <button type="button" className="secondary" onClick={onCompare}>Compare with current</button>
      <button type="button" className="secondary" data-action="close-viewing" onClick={onClose}>Back to current</button>
    </div>
  );
}

// The banner over the canvas during a comparison: what changed between two revisions, and the cost.
export function DiffBanner({ diff, onClose }: { diff: Comparison; onClose: () => void }) {
  const costDelta = diff.data.cost;
  return (
    <div className="mode-banner diff" data-banner="diff" role="status">
      <strong>Changes from r{diff.from} to r{diff.to}:</strong>{" "}
      <span className="diff-tag diff-added">+{diff.data.summary.components.added} added</span>{" "}
      <span className="diff-tag diff-removed">−{diff.data.summary.components.removed} removed</span>{" "}
      <span className="diff-tag diff-changed">~{diff.data.summary.components.changed} changed</span>
      {diff.data.summary.connections && (
        <span className="muted small" data-diff-connections>
          {" "}· connections +{diff.data.summary.connections.added} −{diff.data.summary.connections.removed} ~{diff.data.summary.connections.changed}
        </span>
      )}
      {costDelta && (
        <span className="cost-delta" data-cost-delta={costDelta.total_delta_usd}>
          {" "}· cost {formatUsd(costDelta.old_total_monthly_usd)} → {formatUsd(costDelta.new_total_monthly_usd)}/month (
          {costDelta.total_delta_usd >= 0 ? "+" : "−"}{formatUsd(Math.abs(costDelta.total_delta_usd))})
        </span>
      )}
      <button type="button" className="secondary" data-action="close-diff" onClick={onClose}>Close comparison</button>
    </div>
  );
}

// Notices, save failures and the waiting-for-a-worker hint, between the header and the canvas.
export function StudioMessages({ notice, save, costs }: {
  notice: string;
  save: Pick<ReturnType<typeof useAutosave>, "failure" | "errors">;
  costs: Costs;
}) {
  if (!(notice || save.failure || save.errors.general.length > 0 || costs.status === "waiting")) return null;
  return (
    <div className="studio-messages">
      {notice && <p className="notice" data-message role="status">{notice}</p>}
      {costs.status === "waiting" && (
        <p className="notice" data-notice="waiting-for-worker" role="status">
          Jobs are queued but no worker has taken them yet, so costs, renders and exports are waiting for a
          worker. Is a Celery worker running (<code>make run</code> starts one)? They finish by themselves once
          one does.
        </p>
      )}
      {save.failure && <p className="notice error" role="alert">{save.failure}</p>}
      {save.errors.general.map((text) => <p key={text} className="notice error">{text}</p>)}
    </div>
  );
}
