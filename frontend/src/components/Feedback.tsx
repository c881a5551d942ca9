import { useState } from "react";
import { messageOf } from "../api";
import type { Comment as ReviewComment, Finding } from "../types";

type OnReply = (comment: ReviewComment, text: string) => Promise<void>;
type OnResolve = (comment: ReviewComment, resolved: boolean) => Promise<void>;

// Review findings and review comments, for one component or for the whole design. Every text here is
// rendered by React as text (escaped); nothing is ever set as HTML.

export const SEVERITY_ORDER = ["error", "warning", "info"];

export function worstSeverity(findings: Finding[]): string | null {
  return SEVERITY_ORDER.find((s) => findings.some((f) => f.severity === s)) || null;
}

export function FindingsList({ findings, title = "Review findings", showComponents = false }: {
  findings: Finding[] | undefined;
  title?: string;
  showComponents?: boolean;
}) {
  if (!findings?.length) return null;
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return (
    <section className="feedback findings" data-findings-list>
      <h3>{title} <span className="count">{findings.length}</span></h3>
      <ul>
        {sorted.map((f, i) => (
          <li key={`${f.rule}-${i}`} className={`finding sev-${f.severity}`} data-finding={f.rule} data-severity={f.severity}>
            <span className={`severity sev-${f.severity}`}>{f.severity}</span> {f.message}
            {showComponents && (f.components?.length ?? 0) > 0 && <span className="muted small"> ({f.components?.join(", ")})</span>}
            {f.fix && <p className="fix small"><strong>Fix:</strong> {f.fix}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString();
}

interface CommentProps {
  comment: ReviewComment;
  canReply?: boolean;
  canResolve?: boolean;
  onReply: OnReply;
  onResolve: OnResolve;
}

function Comment({ comment, canReply, canResolve, onReply, onResolve }: CommentProps) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError("");
    try {
      await action();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`comment${comment.resolved ? " resolved" : ""}`} data-comment-id={comment.id}
      data-resolved={comment.resolved ? "true" : "false"}>
      <div className="comment-head">
        <strong className="author">{comment.author_name}</strong>
        {!comment.member && <span className="muted small"> (reviewer)</span>}
        <span className="muted small"> · r{comment.revision} · {when(comment.created_at)}</span>
        {comment.resolved && <span className="tag small">resolved</span>}
      </div>
      <p className="comment-body" data-comment-body>{comment.body}</p>
      {comment.replies && comment.replies.length > 0 && (
        <ul className="replies">
          {comment.replies.map((r) => (
            <li key={r.id} className="reply" data-reply-id={r.id}>
              <strong className="author">{r.author_name}</strong>
              <span className="muted small"> · {when(r.created_at)}</span>
              <p className="comment-body">{r.body}</p>
            </li>
          ))}
        </ul>
      )}
      {(canReply || canResolve) && (
        <div className="comment-actions">
          {canReply && <form onSubmit={async (e) => {
            e.preventDefault();
            if (!text.trim()) return;
            if (await act(() => onReply(comment, text.trim()))) setText("");
          }}>
            <input type="text" value={text} maxLength={2000} placeholder="Reply…" aria-label="Reply"
              name="reply" onChange={(e) => setText(e.target.value)} disabled={busy} />
            <button type="submit" disabled={busy || !text.trim()} data-action="reply">Reply</button>
          </form>}
          {canResolve && <button type="button" className="secondary" disabled={busy} data-action={comment.resolved ? "reopen" : "resolve"}
            onClick={() => act(() => onResolve(comment, !comment.resolved))}>
            {comment.resolved ? "Reopen" : "Resolve"}
          </button>}
        </div>
      )}
      {error && <span className="field-error" role="alert">{error}</span>}
    </li>
  );
}

export function CommentsList({ comments, title = "Review comments", canReply, canResolve, onReply, onResolve, showComponent = false }:
  Omit<CommentProps, "comment"> & { comments: ReviewComment[]; title?: string; showComponent?: boolean }) {
  if (!comments?.length) return null;
  const open = comments.filter((c) => !c.resolved).length;
  return (
    <section className="feedback comments" data-comments-list>
      <h3>{title} <span className="count">{open} open</span></h3>
      <ul>
        {comments.map((c) => (
          <div key={c.id}>
            {showComponent && <div className="muted small">{c.component ? <>on <code>{c.component}</code></> : "on the design"}</div>}
            <Comment comment={c} canReply={canReply} canResolve={canResolve} onReply={onReply} onResolve={onResolve} />
          </div>
        ))}
      </ul>
    </section>
  );
}
