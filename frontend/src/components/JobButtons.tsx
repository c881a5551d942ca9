import { WORKER_WAIT_MS } from "../api";
import { JOB_ACTIONS, type Run, type useJobs } from "../useJobs";

type Jobs = ReturnType<typeof useJobs>;

const running = (job: Run | undefined): boolean => job !== undefined && (job.status === "queued" || job.status === "running");

// The header's job buttons: one per action, the same size whatever the job is doing (its progress and
// downloads are in the jobs tray).
export function JobButtons({ jobs, revision, disabled }: { jobs: Jobs; revision: number | null; disabled: boolean }) {
  return (
    <div className="job-buttons">
      {JOB_ACTIONS.map((action) => {
        const busy = running(jobs.runs[action.key]);
        return (
          <button key={action.key} type="button" data-job-button={action.key} disabled={disabled || busy}
            aria-busy={busy || undefined} onClick={() => jobs.run(action, revision)}>
            {action.label}
          </button>
        );
      })}
    </div>
  );
}

// The jobs tray, over the canvas's corner: each action's newest run with its revision, a progress bar
// while it runs, its download links when done, or its error (the whole message one click away).
export function JobsTray({ jobs }: { jobs: Jobs }) {
  const shown = JOB_ACTIONS.map((action) => jobs.runs[action.key]).filter((job): job is Run => Boolean(job) && !job.dismissed);
  if (!shown.length) return null;
  return (
    <section className="jobs-tray" aria-label="Jobs" data-jobs-tray>
      {shown.map((job) => {
        const { action } = job;
        const waiting = job.status === "queued" && Date.now() - job.since > WORKER_WAIT_MS;
        return (
          <div key={action.key} className={`job-run ${job.status}`} data-job-action={action.key}
            data-job-status={job.status} data-waiting-worker={waiting || undefined}>
            <div className="job-run-title">
              <strong>{action.label}</strong> <span className="muted small">r{job.revision}</span>
              {!running(job) && (
                <button type="button" className="link close" aria-label={`Dismiss ${action.label}`}
                  onClick={() => jobs.dismiss(action.key)}>×</button>
              )}
            </div>
            {running(job) && (
              <div className="job-run-progress">
                <progress max="100" value={job.progress || 0} aria-label={`${action.label} progress`} />
                <span className="small muted">
                  {waiting ? "Queued: waiting for a worker to take it" : `${action.doing}… ${job.progress || 0} %`}
                </span>
              </div>
            )}
            {job.status === "succeeded" &&
              job.artifacts?.map((a) => (
                <a key={a.id} href={a.download_url} data-artifact-id={a.id} download>{a.filename}</a>
              ))}
            {job.status === "failed" && (
              <details className="job-run-error">
                <summary className="field-error">Failed; show why</summary>
                <p className="small">{job.error || "The job failed without a message."}</p>
              </details>
            )}
          </div>
        );
      })}
    </section>
  );
}
