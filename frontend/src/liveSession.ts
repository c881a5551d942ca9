// The client's half of a live session, without the socket: what the server confirmed, my edits it has not
// acknowledged yet, and the design I see (the confirmed one with my pending edits on top).
//
// The server puts every operation in one order (its `seq`). Operations are applied to `confirmed` in that
// order only; one that arrives early waits in `early` until the gap before it closes (or a `sync` fills
// it). My own edits are shown at once and kept as pending until their ack; each remote operation is
// applied under them and they are applied again on top (a rebase), so the two never fight.
import { applyOp, applyOps, same } from "./liveOps";
import type { Design, Op } from "./types";

// One of my edits until the server acknowledges it.
interface PendingEdit {
  id: string;
  op: Op;
  baseSeq: number;
  sent: boolean;
  // For a replace: the field-level operations to send instead if its base is stale.
  fallback: Op[] | null;
}
// An operation in the server's order.
interface SequencedOp {
  seq: number;
  op: Op;
  client_id?: string;
  client_op_id?: string;
}
// What the server sends the session (see apps/live/consumers.py).
export type ServerMessage =
  | ({ type: "op" } & SequencedOp)
  | { type: "ack"; seq: number; op: Op; client_op_id: string }
  | { type: "ack"; seq: null; client_op_id: string; dropped: string }
  | { type: "ops"; since?: number; seq?: number; ops?: SequencedOp[] }
  | { type: "snapshot"; document: Design; seq: number; revision?: number }
  | { type: "error"; client_op_id?: string; code?: string; message?: string }
  | { type: "revision"; number: number; seq: number };
export interface OutgoingOp {
  type: "op";
  client_id: string;
  client_op_id: string;
  base_seq: number;
  op: Op;
}
export interface Received {
  changed: boolean;
  notices: string[];
  revision?: number;
}

export class LiveSession {
  clientId: string;
  confirmed: Design | null;
  seq: number;
  revision: number | null;
  pending: PendingEdit[];
  early: Map<number, SequencedOp>;
  local: Design | null;
  nextId: number;

  constructor(clientId: string) {
    this.clientId = clientId;
    this.confirmed = null;
    this.seq = 0;
    this.revision = null;
    this.pending = []; // {id, op, baseSeq, sent, fallback}
    this.early = new Map(); // seq → op message that came before its turn
    this.local = null;
    this.nextId = 0;
  }

  // The server's document at `seq` (a hello on each connection, or a snapshot): my pending edits go on
  // top and are all sent again (the server recognises the ones it already has by their ids).
  reset({ document, seq, revision }: { document: Design; seq: number; revision?: number | null }): Design | null {
    this.confirmed = document;
    this.seq = seq;
    if (revision !== undefined) this.revision = revision;
    this.early.clear();
    for (const entry of this.pending) entry.sent = false;
    return this.rebase();
  }

  // One local edit: its operations (and the design the editor already shows with them applied). A
  // wholesale change goes as one `replace` with field-level operations to fall back on if it is stale.
  submit(ops: Op[], local?: Design | null, { fallback = null }: { fallback?: Op[] | null } = {}): Design | null {
    for (const op of ops) {
      this.nextId += 1;
      this.pending.push({ id: String(this.nextId), op, baseSeq: this.seq, sent: false, fallback });
    }
    this.local = local ?? (this.local && applyOps(this.local, ops));
    return this.local;
  }

  // What to send now, in order: {client_id, client_op_id, base_seq, op}. A replace keeps the seq it was
  // built on (the server refuses it when that is stale); the others are based on what I have now.
  outbox(limit = Infinity): OutgoingOp[] {
    const out: OutgoingOp[] = [];
    for (const entry of this.pending) {
      if (out.length >= limit) break;
      if (entry.sent) continue;
      entry.sent = true;
      const baseSeq = entry.op.type === "replace" ? entry.baseSeq : this.seq;
      out.push({ type: "op", client_id: this.clientId, client_op_id: entry.id, base_seq: baseSeq, op: entry.op });
    }
    return out;
  }

  // Everything not acknowledged goes out again (after a refusal that names no edit, such as a rate limit).
  resendAll() {
    for (const entry of this.pending) entry.sent = false;
  }

  get unsent(): number {
    return this.pending.filter((entry) => !entry.sent).length;
  }

  // A message from the server. Returns {changed, notices, revision?}: whether the design I see changed,
  // what to tell the person, and the revision a REST save or the session itself made.
  receive(message: ServerMessage): Received {
    const result: Received = { changed: false, notices: [] };
    const before = this.local;
    if (message.type === "op") {
      this.early.set(message.seq, message);
    } else if (message.type === "ack") {
      if (message.seq === null || message.seq === undefined) {
        this.forget(message.client_op_id);
        result.notices.push(`An edit of yours was dropped: ${message.dropped}.`);
      } else {
        // Stays pending (and shown) until its turn comes, then is part of the confirmed design.
        this.early.set(message.seq, { seq: message.seq, op: message.op, client_id: this.clientId, client_op_id: message.client_op_id });
      }
    } else if (message.type === "ops") {
      for (const op of message.ops || []) this.early.set(op.seq, op);
    } else if (message.type === "snapshot") {
      this.reset(message);
    } else if (message.type === "revision") {
      // The session's edits became a revision (a pause, or a writer left): its number, costs and
      // findings are what the header shows now. Never back to an older one announced late.
      if (this.revision === null || message.number > this.revision) result.revision = this.revision = message.number;
    } else if (message.type === "error" && message.client_op_id) {
      const entry = this.pending.find((p) => p.id === message.client_op_id);
      if (entry?.fallback && message.code === "stale_base") {
        // Someone edited while my whole-design change was on its way: send it field by field instead.
        const index = this.pending.indexOf(entry);
        const replacement = entry.fallback.map((op) => {
          this.nextId += 1;
          return { id: String(this.nextId), op, baseSeq: this.seq, sent: false, fallback: null };
        });
        this.pending.splice(index, 1, ...replacement);
      } else {
        this.forget(message.client_op_id);
        result.notices.push(message.message || "The server refused an edit.");
      }
    }
    this.drain(result);
    this.rebase();
    result.changed = before !== this.local;
    return result;
  }

  // Applies the operations whose turn has come; drops those already applied.
  drain(result: Received): void {
    for (const [seq, message] of [...this.early]) {
      if (seq > this.seq) continue;
      // Already applied (a resend after a lost ack is acknowledged with its first seq).
      this.early.delete(seq);
      if (message.client_id === this.clientId) this.forget(message.client_op_id);
    }
    while (this.early.has(this.seq + 1)) {
      const message = this.early.get(this.seq + 1) as SequencedOp;
      this.early.delete(this.seq + 1);
      this.confirmed = this.confirmed && applyOp(this.confirmed, message.op);
      this.seq += 1;
      // Mine (an ack, or from a sync after a lost ack): part of the confirmed design now.
      if (message.client_id === this.clientId) this.forget(message.client_op_id);
      // A REST save reaches the session as a replace named after its revision.
      const saved = /^revision-(\d+)$/.exec(message.client_op_id || "");
      if (saved) result.revision = this.revision = Number(saved[1]);
    }
  }

  // True while operations wait for one that has not arrived.
  get gap(): boolean {
    return this.early.size > 0;
  }

  forget(id: string | undefined): void {
    this.pending = this.pending.filter((entry) => entry.id !== id);
  }

  rebase(): Design | null {
    const next = this.confirmed && applyOps(this.confirmed, this.pending.map((entry) => entry.op));
    // Keep the object the editor has when nothing changed, so the canvas is not redrawn for nothing.
    if (!same(next, this.local)) this.local = next;
    return this.local;
  }
}
