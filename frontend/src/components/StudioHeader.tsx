import type { Viewing } from "../canvas";
import { formatUsd } from "../design";
import type { useAutosave } from "../useAutosave";
import type { Costs } from "../useEstimate";
import type { useJobs } from "../useJobs";
import type { Live } from "../useLive";
import { JobButtons } from "./JobButtons";
import { PresenceBar } from "./Presence";

// What the header says about saving: the autosave's state, or the live session's.
export type ShownSaveState = "saved" | "saving" | "error" | "conflict" | "offline";

const SAVE_LABELS: Record<Exclude<ShownSaveState, "offline">, string> = { saved: "All changes saved", saving: "Saving…", error: "Not saved", conflict: "Conflict" };

export function saveLabel(state: ShownSaveState, pending: number): string {
  if (state !== "offline") return SAVE_LABELS[state];
  return pending ? `Offline — ${pending} edit${pending === 1 ? "" : "s"} will sync` : "Offline";
}

// The studio's header: the design's name, save state, the revision shown, its cost, and the tools.
interface Props {
  name: string;
  projectUrl?: string;
  locked: boolean;
  readOnly: boolean;
  saveState: ShownSaveState;
  invalidFields: number;
  live: Live;
  save: Pick<ReturnType<typeof useAutosave>, "state" | "retry">;
  revision: number | null;
  shownRevision: number | null;
  viewing: Viewing | null;
  costs: Costs;
  total: number | null;
  history: { canUndo: boolean; canRedo: boolean; undo: () => void; redo: () => void };
  side: string;
  jobs: ReturnType<typeof useJobs>;
  onLayout: () => void;
  onPattern: () => void;
  onHistory: () => void;
  onShare: () => void;
  onHelp: () => void;
}

export default function StudioHeader({ name, projectUrl, locked, readOnly, saveState, invalidFields, live, save, revision,
  shownRevision, viewing, costs, total, history, side, jobs, onLayout, onPattern, onHistory, onShare, onHelp }: Props) {
  return (
    <header className="studio-header">
      <div className="studio-title">
        <a href={projectUrl} className="back" title="Back to the project page">←</a>
        <h1>{name}</h1>
        <span className={`save-state ${invalidFields && !locked ? "error" : saveState}`} data-save-state={saveState}
          data-pending-edits={live.active ? live.pending : ""} data-invalid-fields={invalidFields} role="status">
          {locked ? "Read only"
            : invalidFields ? `Not saved: ${invalidFields} invalid field${invalidFields > 1 ? "s" : ""}`
            : saveLabel(saveState, live.pending)}
        </span>
        <span className="revision-number" data-shown-revision={shownRevision ?? ""} data-head-revision={revision ?? ""}
          title={viewing ? `Viewing revision ${viewing.number}; the newest is ${revision}` : "The newest revision"}>
          {shownRevision ? `r${shownRevision} of ${revision}` : ""}
        </span>
        {save.state === "error" && !readOnly && !live.active && (
          <button type="button" className="link" onClick={save.retry}>Retry</button>
        )}
        <PresenceBar live={live} />
      </div>
      <div className="studio-tools">
        <span className="total-cost" data-total-cost={total ?? ""} data-cost-status={costs.status} data-cost-revision={costs.revision ?? ""}
          title={costs.status === "waiting"
            ? "The estimate is queued and no worker has taken it yet; is a Celery worker running?"
            : costs.revision ? `Estimate of revision ${costs.revision}, free tier off` : ""}>
          {total === null ? "Cost: …" : `${formatUsd(total)}/month`}
        </span>
        {!locked && (
          <>
            <button type="button" className="secondary" disabled={!history.canUndo} onClick={history.undo} title="Undo (Ctrl+Z)">Undo</button>
            <button type="button" className="secondary" disabled={!history.canRedo} onClick={history.redo} title="Redo (Ctrl+Shift+Z)">Redo</button>
            <button type="button" className="secondary" data-action="auto-layout" title="Lay out by tier (L)"
              onClick={onLayout}>Layout</button>
            <button type="button" className="secondary" data-action="insert-pattern" onClick={onPattern}>Insert pattern</button>
          </>
        )}
        <button type="button" className={`secondary${side === "history" ? " active" : ""}`} data-action="history"
          title="Revisions (H)" onClick={onHistory}>History</button>
        <JobButtons jobs={jobs} revision={shownRevision} disabled={!shownRevision} />
        {!readOnly && (
          <button type="button" className="secondary" data-action="share" onClick={onShare}
            title="Review links: share this design read-only">Share</button>
        )}
        <button type="button" className="secondary" onClick={onHelp} title="Keyboard shortcuts (?)">?</button>
      </div>
    </header>
  );
}
