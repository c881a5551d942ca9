// The studio talks to the same HTTP API as everyone else, with the session cookie and Django's CSRF token.
import type {
  Catalog, Comment, Design, DesignDiff, ErrorBody, Estimate, Finding, ImportResult, Job, PatternDetail, PatternSummary,
  RevisionDetail, RevisionSummary, ShareLink, ShareLinkRequest,
} from "./types";

export class ApiError extends Error {
  status: number;
  body: ErrorBody | null;
  etag: string | null;

  constructor(status: number, body: ErrorBody | null, etag: string | null) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.etag = etag;
  }
}

// An answer: its JSON (the type the endpoint documents) and ETag.
export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}
interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}
// What a save answers: the stored design and the revision it made.
interface Saved {
  design: Design;
  revision: { number: number };
  created?: boolean;
}

export function makeApi({ base, csrfToken }: { base: string; csrfToken?: string }) {
  async function call<T>(method: string, path: string, { body, headers = {} }: CallOptions = {}): Promise<Answer<T>> {
    const sent: Record<string, string> = { Accept: "application/json", ...headers };
    const init: RequestInit = { method, credentials: "same-origin", headers: sent };
    if (method !== "GET" && csrfToken) sent["X-CSRFToken"] = csrfToken;
    if (body instanceof FormData) {
      init.body = body; // the browser writes the multipart Content-Type with its boundary
    } else if (body !== undefined) {
      sent["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path.startsWith("/") ? path : `${base}${path}`, init);
    const etag = response.headers.get("ETag");
    const text = await response.text();
    let data;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    if (!response.ok) throw new ApiError(response.status, data, etag);
    return { data, etag, status: response.status };
  }
  return {
    catalog: () => call<Catalog>("GET", "catalog/"),
    design: (projectId: number) => call<Design>("GET", `projects/${projectId}/design/`),
    saveDesign: (projectId: number, design: Design, etag: string | null, message = "") =>
      call<Saved>("PUT", `projects/${projectId}/design/`, { body: { design, message }, headers: { "If-Match": String(etag) } }),
    requestJob: (projectId: number, body: { kind: string; revision: number | null; params?: Record<string, string> }) =>
      call<Job>("POST", `projects/${projectId}/jobs/`, { body }),
    job: (jobId: number) => call<Job>("GET", `jobs/${jobId}/`),
    artifactJson: (url: string) => call<Estimate>("GET", url),
    revisions: (projectId: number) =>
      call<RevisionSummary[] | { results: RevisionSummary[] }>("GET", `projects/${projectId}/revisions/?limit=500`),
    revision: (projectId: number, number: number) => call<RevisionDetail>("GET", `projects/${projectId}/revisions/${number}/`),
    // What changed from revision `from` to revision `to` (components, connections, groups and cost).
    diff: (projectId: number, from: number, to: number) =>
      call<DesignDiff>("GET", `projects/${projectId}/revisions/${to}/diff/?against=${from}`),
    findings: (projectId: number, revision: number | null) =>
      call<Finding[]>("GET", `projects/${projectId}/findings/${revision ? `?revision=${revision}` : ""}`),
    comments: (projectId: number) => call<Comment[]>("GET", `projects/${projectId}/comments/`),
    reply: (projectId: number, commentId: number, body: string) =>
      call<Comment>("POST", `projects/${projectId}/comments/${commentId}/replies/`, { body: { body } }),
    resolve: (projectId: number, commentId: number, resolved: boolean) =>
      call<Comment>("PATCH", `projects/${projectId}/comments/${commentId}/`, { body: { resolved } }),
    shareLinks: (projectId: number) => call<ShareLink[]>("GET", `projects/${projectId}/share-links/`),
    createShareLink: (projectId: number, body: ShareLinkRequest) =>
      call<ShareLink>("POST", `projects/${projectId}/share-links/`, { body }),
    revokeShareLink: (projectId: number, linkId: number) => call<null>("DELETE", `projects/${projectId}/share-links/${linkId}/`),
    patterns: () => call<PatternSummary[]>("GET", "patterns/"),
    // A template as JSON ({template, name, team}) or FormData (file, name, team); preview creates nothing.
    importTemplate: (body: FormData | Record<string, unknown>, { preview = false } = {}) =>
      call<ImportResult>("POST", `projects/import/${preview ? "?preview=1" : ""}`, { body }),
    pattern: (slug: string) => call<PatternDetail>("GET", `patterns/${slug}/`),
    applyPattern: (projectId: number, pattern: string, mapping: Record<string, string>, etag: string | null) =>
      call<unknown>("POST", `projects/${projectId}/design/apply-pattern/`, {
        body: { pattern, mapping },
        headers: etag ? { "If-Match": etag } : {},
      }),
  };
}

export type Api = ReturnType<typeof makeApi>;

// A job still queued after this long has no worker free to take it (or none running): the UI says so.
export const WORKER_WAIT_MS = 8000;

// Polls a job until it finishes; onProgress sees every state. Resolves with the finished job.
export async function waitForJob(api: Api, job: Job, onProgress: (job: Job) => void = () => {}, interval = 400): Promise<Job> {
  let current = job;
  onProgress(current);
  while (current.status === "queued" || current.status === "running") {
    await new Promise((resolve) => setTimeout(resolve, interval));
    current = (await api.job(current.id)).data;
    onProgress(current);
  }
  return current;
}

// The message of anything thrown (an ApiError, a network failure, …).
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
