import { useCallback, useEffect, useState, type FormEvent } from "react";
import { messageOf, type Api } from "../api";
import type { ShareLink, ShareLinkRequest } from "../types";

const EXPIRIES = [
  ["", "Never"],
  ["1", "In 1 day"],
  ["7", "In 7 days"],
  ["30", "In 30 days"],
  ["90", "In 90 days"],
];

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an http origin, an old browser): select the text for Ctrl+C instead.
    input?.select();
    return false;
  }
}

function describe(link: ShareLink): string {
  const what = link.follows_latest ? "follows the newest revision" : `pinned to r${link.revision}`;
  const expiry = link.expires_at ? `expires ${new Date(link.expires_at).toLocaleDateString()}` : "no expiry";
  return `${what} · ${expiry}${link.allow_downloads ? " · downloads allowed" : ""}`;
}

// Review links from the editor: create one (label, the revision on screen or always the newest, expiry,
// downloads), copy its address (shown once: only a hash of the token is kept), list and revoke.
export default function ShareDialog({ api, projectId, revision, onClose }: {
  api: Api;
  projectId: number;
  revision: number | null;
  onClose: () => void;
}) {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [error, setError] = useState("");
  const [label, setLabel] = useState("");
  const [pin, setPin] = useState(false);
  const [expiry, setExpiry] = useState("30");
  const [downloads, setDownloads] = useState(false);
  const [created, setCreated] = useState<ShareLink | null>(null);
  const [copied, setCopied] = useState("");
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const { data } = await api.shareLinks(projectId);
      setLinks(data);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [api, projectId]);
  useEffect(() => {
    load();
  }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    setCopied("");
    try {
      const body: ShareLinkRequest = { label, allow_downloads: downloads };
      if (pin) body.revision = revision;
      if (expiry) body.expires_in_days = Number(expiry);
      const { data } = await api.createShareLink(projectId, body);
      setCreated(data);
      setLabel("");
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (link: ShareLink) => {
    setError("");
    try {
      await api.revokeShareLink(projectId, link.id);
      if (created?.id === link.id) setCreated(null);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const active = (links || []).filter((l) => !l.revoked);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="share-title" data-dialog="share" onClick={onClose}>
      <div className="dialog wide" onClick={(e) => e.stopPropagation()}>
        <h2 id="share-title">Review links</h2>
        <p className="muted small">
          People with a link see the design read-only, with costs and findings, and can comment; they need no account.
        </p>
        <form className="share-form" onSubmit={create}>
          <div className="field">
            <label htmlFor="share-label">Label (for you: who or what the link is for)</label>
            <input id="share-label" name="label" maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
          <fieldset className="share-choice">
            <legend>Shows</legend>
            <label><input type="radio" name="pin" checked={!pin} onChange={() => setPin(false)} /> the newest revision, as it changes</label>
            <label><input type="radio" name="pin" value="pin" checked={pin} onChange={() => setPin(true)} disabled={!revision} /> revision r{revision} only</label>
          </fieldset>
          <div className="field">
            <label htmlFor="share-expiry">Expires</label>
            <select id="share-expiry" name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {EXPIRIES.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
            </select>
          </div>
          <div className="field field-check">
            <input id="share-downloads" type="checkbox" checked={downloads} onChange={(e) => setDownloads(e.target.checked)} />
            <label htmlFor="share-downloads">Reviewers may download the diagram and the SAM/CDK exports</label>
          </div>
          <button type="submit" data-action="create-share-link" disabled={busy}>Create link</button>
        </form>
        {created && (
          <div className="share-created" data-share-created={created.id}>
            <label htmlFor="share-url">Link (shown this once: copy it now)</label>
            <div className="share-url-row">
              <input id="share-url" readOnly value={created.url} onFocus={(e) => e.target.select()} />
              <button type="button" data-action="copy-share-link"
                onClick={async (e) => {
                  const input = e.currentTarget.previousSibling;
                  setCopied((await copyText(created.url ?? "", input instanceof HTMLInputElement ? input : null)) ? "Copied." : "Selected: press Ctrl+C to copy.");
                }}>
                Copy
              </button>
            </div>
            {copied && <p className="small" role="status" data-copied>{copied}</p>}
          </div>
        )}
        {error && <p className="field-error" role="alert">{error}</p>}
        <h3>Active links {links && <span className="muted small">{active.length}</span>}</h3>
        {!links && !error && <p className="muted">Loading…</p>}
        {links && active.length === 0 && <p className="muted small">No active links.</p>}
        <ul className="share-links">
          {active.map((link) => (
            <li key={link.id} data-share-link={link.id}>
              <div>
                <strong>{link.label || "(no label)"}</strong>
                <span className="muted small"> · created {new Date(link.created_at).toLocaleString()}</span>
              </div>
              <div className="small">{describe(link)}</div>
              <button type="button" className="secondary" data-action="revoke-share-link" onClick={() => revoke(link)}>Revoke</button>
            </li>
          ))}
        </ul>
        <div className="dialog-actions"><button type="button" className="secondary" onClick={onClose}>Close</button></div>
      </div>
    </div>
  );
}
