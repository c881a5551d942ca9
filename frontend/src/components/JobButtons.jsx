import { useState } from "react";
import { WORKER_WAIT_MS, waitForJob } from "../api.js";

const ACTIONS = [
  { key: "render-svg", label: "Render SVG", body: { kind: "render", params: { format: "svg" } } },
  { key: "export-sam", label: "Export SAM", body: { kind: "export", params: { format: "sam" } } },
  { key: "export-cdk", label: "Export CDK", body: { kind: "export", params: { format: "cdk-python" } } },
];

// Render and export the saved revision: a progress bar while the job runs, download links when done.
export default function JobButtons({ api, projectId, revision, disabled }) {
  const [jobs, setJobs] = useState({});
  const run = async (action) => {
    const since = Date.now();
    const update = (state) => setJobs((all) => ({ ...all, [action.key]: { ...state, since } }));
    update({ status: "queued", progress: 0 });
    try {
      const { data } = await api.requestJob(projectId, { ...action.body, revision });
      const done = await waitForJob(api, data, (job) => update(job));
      update(done);
    } catch (error) {
      update({ status: "failed", error: error.message });
    }
  };
  return (
    <div className="job-buttons">
      {ACTIONS.map((action) => {
        const job = jobs[action.key];
        const running = job && (job.status === "queued" || job.status === "running");
        const waiting = job?.status === "queued" && Date.now() - job.since > WORKER_WAIT_MS;
        return (
          <span key={action.key} className="job" data-job-action={action.key} data-job-status={job?.status || "idle"}
            data-waiting-worker={waiting || undefined}>
            <button type="button" disabled={disabled || running} onClick={() => run(action)}>{action.label}</button>
            {running && (
              <progress max="100" value={job.progress || 0} aria-label={`${action.label} progress`}
                title={waiting ? "Queued: waiting for a worker to take it" : `${job.progress || 0} %`} />
            )}
            {job?.status === "succeeded" &&
              job.artifacts?.map((a) => (
                <a key={a.id} href={a.download_url} data-artifact-id={a.id} download>{a.filename}</a>
              ))}
            {job?.status === "failed" && <span className="field-error">{job.error || "failed"}</span>}
          </span>
        );
      })}
    </div>
  );
}
