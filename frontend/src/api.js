// The studio talks to the same HTTP API as everyone else, with the session cookie and Django's CSRF token.

export class ApiError extends Error {
  constructor(status, body, etag) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.etag = etag;
  }
}

export function makeApi({ base, csrfToken }) {
  async function call(method, path, { body, headers = {} } = {}) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
    if (method !== "GET") init.headers["X-CSRFToken"] = csrfToken;
    if (body instanceof FormData) {
      init.body = body; // the browser writes the multipart Content-Type with its boundary
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
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
    catalog: () => call("GET", "catalog/"),
    design: (projectId) => call("GET", `projects/${projectId}/design/`),
    saveDesign: (projectId, design, etag, message = "") =>
      call("PUT", `projects/${projectId}/design/`, { body: { design, message }, headers: { "If-Match": etag } }),
    requestJob: (projectId, body) => call("POST", `projects/${projectId}/jobs/`, { body }),
    job: (jobId) => call("GET", `jobs/${jobId}/`),
    artifactJson: (url) => call("GET", url),
    revisions: (projectId) => call("GET", `projects/${projectId}/revisions/?limit=500`),
    revision: (projectId, number) => call("GET", `projects/${projectId}/revisions/${number}/`),
    // What changed from revision `from` to revision `to` (components, connections, groups and cost).
    diff: (projectId, from, to) => call("GET", `projects/${projectId}/revisions/${to}/diff/?against=${from}`),
    findings: (projectId, revision) =>
      call("GET", `projects/${projectId}/findings/${revision ? `?revision=${revision}` : ""}`),
    comments: (projectId) => call("GET", `projects/${projectId}/comments/`),
    reply: (projectId, commentId, body) => call("POST", `projects/${projectId}/comments/${commentId}/replies/`, { body: { body } }),
    resolve: (projectId, commentId, resolved) =>
      call("PATCH", `projects/${projectId}/comments/${commentId}/`, { body: { resolved } }),
    shareLinks: (projectId) => call("GET", `projects/${projectId}/share-links/`),
    createShareLink: (projectId, body) => call("POST", `projects/${projectId}/share-links/`, { body }),
    revokeShareLink: (projectId, linkId) => call("DELETE", `projects/${projectId}/share-links/${linkId}/`),
    patterns: () => call("GET", "patterns/"),
    // A template as JSON ({template, name, team}) or FormData (file, name, team); preview creates nothing.
    importTemplate: (body, { preview = false } = {}) =>
      call("POST", `projects/import/${preview ? "?preview=1" : ""}`, { body }),
    pattern: (slug) => call("GET", `patterns/${slug}/`),
    applyPattern: (projectId, pattern, mapping, etag) =>
      call("POST", `projects/${projectId}/design/apply-pattern/`, { body: { pattern, mapping }, headers: etag ? { "If-Match": etag } : {} }),
  };
}

// A job still queued after this long has no worker free to take it (or none running): the UI says so.
export const WORKER_WAIT_MS = 8000;

// Polls a job until it finishes; onProgress sees every state. Resolves with the finished job.
export async function waitForJob(api, job, onProgress = () => {}, interval = 400) {
  let current = job;
  onProgress(current);
  while (current.status === "queued" || current.status === "running") {
    await new Promise((resolve) => setTimeout(resolve, interval));
    current = (await api.job(current.id)).data;
    onProgress(current);
  }
  return current;
}
