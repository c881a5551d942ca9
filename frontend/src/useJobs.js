import { useCallback, useState } from "react";
import { waitForJob } from "./api.js";

export const JOB_ACTIONS = [
  { key: "render-svg", label: "Render SVG", doing: "Rendering", body: { kind: "render", params: { format: "svg" } } },
  { key: "export-sam", label: "Export SAM", doing: "Exporting SAM", body: { kind: "export", params: { format: "sam" } } },
  { key: "export-cdk", label: "Export CDK", doing: "Exporting CDK", body: { kind: "export", params: { format: "cdk-python" } } },
];

// Render and export jobs of the studio: the newest run of each action (its revision, status, progress,
// artifacts or error), kept apart from the header so that nothing there grows while jobs run.
export function useJobs({ api, projectId }) {
  const [runs, setRuns] = useState({});
  const run = useCallback(
    async (action, revision) => {
      const since = Date.now();
      const update = (state) =>
        setRuns((all) => ({ ...all, [action.key]: { ...state, action, revision, since, dismissed: false } }));
      update({ status: "queued", progress: 0 });
      try {
        const { data } = await api.requestJob(projectId, { ...action.body, revision });
        const done = await waitForJob(api, data, (job) => update(job));
        update(done);
      } catch (error) {
        update({ status: "failed", error: error.message });
      }
    },
    [api, projectId],
  );
  const dismiss = useCallback((key) => setRuns((all) => ({ ...all, [key]: { ...all[key], dismissed: true } })), []);
  return { runs, run, dismiss };
}
