import { useCallback, useState } from "react";
import { messageOf, waitForJob, type Api } from "./api";
import type { Job } from "./types";

export interface JobAction {
  key: string;
  label: string;
  doing: string;
  body: { kind: string; params: Record<string, string> };
}
// The newest run of an action: the job as last seen, or what is known before there is one.
export type Run = Partial<Job> & {
  status: Job["status"];
  action: JobAction;
  revision: number | null;
  since: number;
  dismissed: boolean;
};

export const JOB_ACTIONS: JobAction[] = [
  { key: "render-svg", label: "Render SVG", doing: "Rendering", body: { kind: "render", params: { format: "svg" } } },
  { key: "export-sam", label: "Export SAM", doing: "Exporting SAM", body: { kind: "export", params: { format: "sam" } } },
  { key: "export-cdk", label: "Export CDK", doing: "Exporting CDK", body: { kind: "export", params: { format: "cdk-python" } } },
];

// Render and export jobs of the studio: the newest run of each action (its revision, status, progress,
// artifacts or error), kept apart from the header so that nothing there grows while jobs run.
export function useJobs({ api, projectId }: { api: Api; projectId: number }) {
  const [runs, setRuns] = useState<Record<string, Run>>({});
  const run = useCallback(
    async (action: JobAction, revision: number | null) => {
      const since = Date.now();
      const update = (state: Partial<Job> & Pick<Job, "status">) =>
        setRuns((all) => ({ ...all, [action.key]: { ...state, action, revision, since, dismissed: false } }));
      update({ status: "queued", progress: 0 });
      try {
        const { data } = await api.requestJob(projectId, { ...action.body, revision });
        const done = await waitForJob(api, data, (job) => update(job));
        update(done);
      } catch (error) {
        update({ status: "failed", error: messageOf(error) });
      }
    },
    [api, projectId],
  );
  const dismiss = useCallback((key: string) => setRuns((all) => ({ ...all, [key]: { ...all[key], dismissed: true } })), []);
  return { runs, run, dismiss };
}
