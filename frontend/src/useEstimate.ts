import { useCallback, useRef, useState } from "react";
import { WORKER_WAIT_MS, waitForJob, type Api } from "./api";

export interface Costs {
  byId: Record<string, number>;
  total: number | null;
  revision: number | null;
  status: "idle" | "running" | "waiting" | "done" | "failed";
}

// Asks for a cost estimate of a revision (an estimate job), waits for it and reads its JSON artifact.
// Only the newest request's answer is kept.
export function useEstimate({ api, projectId }: { api: Api; projectId: number }) {
  const [costs, setCosts] = useState<Costs>({ byId: {}, total: null, revision: null, status: "idle" });
  const latest = useRef(0);
  const request = useCallback(
    async (revision: number | null) => {
      const ticket = ++latest.current;
      setCosts((c) => ({ ...c, status: "running" }));
      try {
        const { data } = await api.requestJob(projectId, { kind: "estimate", revision });
        const since = Date.now();
        const job = await waitForJob(api, data, (current) => {
          // Queued for long: no worker is taking jobs; say so rather than spin.
          if (ticket === latest.current && current.status === "queued" && Date.now() - since > WORKER_WAIT_MS) {
            setCosts((c) => (c.status === "waiting" ? c : { ...c, status: "waiting" }));
          }
        });
        if (ticket !== latest.current) return;
        const artifact = job.artifacts?.find((a) => a.content_type.includes("json")) || job.artifacts?.[0];
        if (job.status !== "succeeded" || !artifact) throw new Error(job.error || "no estimate");
        const { data: estimate } = await api.artifactJson(artifact.download_url);
        if (ticket !== latest.current) return;
        setCosts({
          byId: Object.fromEntries(estimate.components.map((c) => [c.id, c.monthly_usd])),
          total: estimate.total_monthly_usd,
          revision,
          status: "done",
        });
      } catch {
        if (ticket === latest.current) setCosts((c) => ({ ...c, status: "failed" }));
      }
    },
    [api, projectId],
  );
  return { costs, request };
}
