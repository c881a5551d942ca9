import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { LiveSession, type ServerMessage } from "./liveSession";
import type { Design, Op, Point } from "./types";

export type LiveStatus = "connecting" | "live" | "offline" | "unavailable";
export interface LiveUser {
  id?: number;
  username: string;
  role?: string;
}
export interface Peer {
  user: LiveUser;
  selection: string[];
  cursor: Point | null;
}
interface Hello {
  type: "hello";
  connection: string;
  user: LiveUser;
  role: string;
  can_write: boolean;
  members: LiveUser[];
  document: Design;
  seq: number;
  revision: number | null;
  limits?: { rate_burst?: number; rate_per_second?: number; max_message_bytes?: number };
}
// Who is here and what they point at (the session's own messages, besides the operations).
type PresenceMessage =
  | { type: "join" | "leave"; connection: string; user: LiveUser }
  | { type: "presence"; connection: string; user: LiveUser; selection?: string[]; cursor?: Point | null }
  | { type: "pong" }
  | { type: "error"; code?: string; message?: string; client_op_id?: string };
export interface PresenceChange {
  selection?: string[];
  cursor?: Point | null;
}
interface Options {
  projectId: number;
  onDocument?: (doc: Design) => void;
  onNotice?: (text: string) => void;
}

// The project's live session over its WebSocket: edits as operations, others' edits as they happen,
// who is here and what they point at. Status:
//   connecting   the first connection is being made (the editor saves as before meanwhile)
//   live         connected: edits go as operations
//   offline      was live and lost the connection: edits wait locally and go when it is back
//   unavailable  never connected (a server without WebSockets, a refused socket): the REST autosave stays
// A reconnect gets a hello with the server's document; pending edits are rebased on it and sent again.

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
const CURSOR_INTERVAL_MS = 120; // presence shares the socket's rate with edits: cursors take a little of it
const GAP_SYNC_MS = 1000;
const ANNOUNCE_MS = 4000;
const WHOLESALE_OPS = 40; // one edit with more operations than this goes as one replace when it can
// Kept a little under the server's limits (its clock and ours do not tick together).
const RATE_MARGIN = 0.8;

function socketUrl(projectId: number): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/ws/projects/${projectId}/`;
}

function newClientId() {
  return window.crypto?.randomUUID?.() || `c${Date.now()}${Math.random().toString(36).slice(2)}`;
}

// A colour per person, the same in every browser.
export function colourOf(username: string): string {
  let hash = 0;
  for (const ch of String(username)) hash = (hash * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${hash}, 70%, 42%)`;
}

export function useLive({ projectId, onDocument, onNotice }: Options) {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [pending, setPending] = useState(0);
  const [hello, setHello] = useState<Hello | null>(null);
  const [peers, setPeers] = useState(() => new Map<string, Peer>()); // by connection
  const [announcement, setAnnouncement] = useState("");
  const [revision, setRevision] = useState<number | null>(null);
  const session = useRef<LiveSession | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const everLive = useRef(false);
  const callbacks = useRef({ onDocument, onNotice });
  callbacks.current = { onDocument, onNotice };
  const bucket = useRef({ tokens: 0, capacity: 0, rate: 0, at: 0, maxBytes: 0 });
  const pump = useRef(() => {});
  const presence = useRef<{ wanted: PresenceChange | null; lastCursorAt: number; timer: ReturnType<typeof setTimeout> | null }>({
    wanted: null,
    lastCursorAt: 0,
    timer: null,
  });

  if (session.current === null) session.current = new LiveSession(newClientId());
  const sessionNow = session.current;

  const takeToken = useCallback((reserve = 0) => {
    const b = bucket.current;
    const now = performance.now();
    b.tokens = Math.min(b.capacity, b.tokens + ((now - b.at) / 1000) * b.rate);
    b.at = now;
    if (b.tokens - 1 < reserve) return false;
    b.tokens -= 1;
    return true;
  }, []);

  useEffect(() => {
    let closed = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let pumpTimer: ReturnType<typeof setTimeout> | undefined;
    let gapTimer: ReturnType<typeof setTimeout> | undefined;
    let announceTimer: ReturnType<typeof setTimeout> | undefined;
    const live = sessionNow;
    const cursorState = presence.current;

    const announce = (text: string) => {
      setAnnouncement(text);
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => setAnnouncement(""), ANNOUNCE_MS);
    };
    const show = () => {
      setPending(live.pending.length);
      if (live.local) callbacks.current.onDocument?.(live.local);
    };
    // Sends what is waiting, within the rate the server allows; the rest a moment later.
    const send = () => {
      clearTimeout(pumpTimer);
      const ws = socket.current;
      if (!ws || ws.readyState !== WebSocket.OPEN || !greeted) return;
      while (live.unsent && takeToken()) {
        for (const message of live.outbox(1)) ws.send(JSON.stringify(message));
      }
      const p = presence.current;
      if (p.wanted && takeToken(bucket.current.capacity / 2)) {
        ws.send(JSON.stringify({ type: "presence", ...p.wanted }));
        p.wanted = null;
      }
      if (live.unsent || p.wanted) pumpTimer = setTimeout(send, 1000 / Math.max(1, bucket.current.rate));
    };
    let greeted = false; // the hello of the current connection has come
    let unavailable = false; // the first connection failed: this server has no live sessions
    pump.current = send;

    const onMessage = (event: MessageEvent) => {
      let message: Hello | PresenceMessage | ServerMessage;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      switch (message.type) {
        case "hello": {
          greeted = true;
          everLive.current = true;
          attempt = 0;
          const limits = message.limits || {};
          const capacity = Math.max(4, Math.floor((limits.rate_burst || 60) * RATE_MARGIN));
          bucket.current = {
            tokens: capacity,
            capacity,
            rate: (limits.rate_per_second || 20) * RATE_MARGIN,
            at: performance.now(),
            maxBytes: limits.max_message_bytes || 256 * 1024,
          };
          live.reset(message);
          setHello(message);
          setRevision(message.revision);
          setPeers(new Map());
          setStatus("live");
          show();
          send();
          return;
        }
        case "join":
          setPeers((previous) => new Map(previous).set(message.connection, { user: message.user, selection: [], cursor: null }));
          announce(`${message.user.username} joined`);
          return;
        case "leave":
          setPeers((previous) => {
            const next = new Map(previous);
            next.delete(message.connection);
            return next;
          });
          announce(`${message.user.username} left`);
          return;
        case "presence":
          setPeers((previous) =>
            new Map(previous).set(message.connection, { user: message.user, selection: message.selection || [], cursor: message.cursor || null }),
          );
          return;
        case "pong":
          return;
        case "error":
          if (message.code === "read_only") setHello((h) => (h ? { ...h, can_write: false } : h));
          if (message.code === "rate_limited") {
            // Which edit was refused is not said: send every unacknowledged one again (duplicates are
            // recognised by the server).
            live.resendAll();
            pumpTimer = setTimeout(send, 1000);
            return;
          }
          if (!message.client_op_id) {
            callbacks.current.onNotice?.(message.message ?? "");
            return;
          }
          break;
        default:
          break;
      }
      const result = live.receive(message as ServerMessage);
      if (result.changed) show();
      else setPending(live.pending.length);
      for (const text of result.notices) callbacks.current.onNotice?.(text);
      if (result.revision) setRevision(result.revision);
      clearTimeout(gapTimer);
      if (live.gap) {
        // An operation from another web process overtook one that has not come yet: ask for what is
        // missing if the gap does not close by itself.
        gapTimer = setTimeout(() => {
          if (live.gap && socket.current?.readyState === WebSocket.OPEN) {
            socket.current.send(JSON.stringify({ type: "sync", since: live.seq }));
          }
        }, GAP_SYNC_MS);
      }
    };

    const connect = () => {
      if (closed) return;
      if (navigator.onLine === false) {
        if (everLive.current) setStatus("offline");
        return; // the `online` event connects
      }
      greeted = false;
      const ws = new WebSocket(socketUrl(projectId));
      socket.current = ws;
      ws.onmessage = onMessage;
      ws.onclose = (event: CloseEvent) => {
        if (socket.current !== ws) return;
        socket.current = null;
        greeted = false;
        if (closed) return;
        if (!everLive.current) {
          // Never connected (a server without WebSockets, or a refused socket): REST autosave stays.
          unavailable = true;
          setStatus("unavailable");
          return;
        }
        setStatus("offline");
        setPeers(new Map());
        if (event.code === 4401 || event.code === 4404) return; // signed out or no longer a member
        if (navigator.onLine === false) return; // the `online` event reconnects
        const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** attempt) * (0.75 + Math.random() / 2);
        attempt += 1;
        retry = setTimeout(connect, delay);
      };
    };
    const goOffline = () => {
      // Chromium keeps an open socket through a network change it only emulates; treat the browser's
      // own word as the truth and close it.
      const ws = socket.current;
      socket.current = null;
      if (ws) ws.close();
      if (everLive.current) {
        setStatus("offline");
        setPeers(new Map());
      }
    };
    const goOnline = () => {
      clearTimeout(retry);
      attempt = 0;
      if (!socket.current && !unavailable) connect();
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      clearTimeout(pumpTimer);
      clearTimeout(gapTimer);
      clearTimeout(announceTimer);
      clearTimeout(cursorState.timer ?? undefined);
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      const ws = socket.current;
      socket.current = null;
      if (ws) ws.close();
    };
  }, [projectId, takeToken, sessionNow]);

  // One local edit as operations; `next` is the design the editor shows with them applied.
  const submit = useCallback((ops: Op[] | null, next: Design) => {
    if (!ops?.length) return;
    const live = sessionNow;
    const document = ops.length > WHOLESALE_OPS && !live.pending.length ? JSON.stringify(next) : "";
    if (document && document.length < bucket.current.maxBytes * 0.9) {
      // A layout of the whole design is one replace rather than hundreds of operations paced by the rate
      // limit; if someone edits meanwhile it is refused as stale and goes field by field after all.
      live.submit([{ type: "replace", document: next }], next, { fallback: ops });
    } else {
      live.submit(ops, next);
    }
    setPending(live.pending.length);
    pump.current();
  }, [sessionNow]);

  // What I have selected and where my pointer is (flow coordinates, or null when it left the canvas).
  // Cursors are thinned out; the newest position always goes in the end.
  const share = useCallback((change: PresenceChange) => {
    const p = presence.current;
    p.wanted = { ...(p.wanted || {}), ...change };
    if ("selection" in change) {
      clearTimeout(p.timer ?? undefined);
      p.timer = null;
      pump.current();
      return;
    }
    const wait = p.lastCursorAt + CURSOR_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      p.lastCursorAt = performance.now();
      pump.current();
    } else if (!p.timer) {
      p.timer = setTimeout(() => {
        p.timer = null;
        p.lastCursorAt = performance.now();
        pump.current();
      }, wait);
    }
  }, []);

  const active = status === "live" || status === "offline";
  return useMemo(
    () => ({
      status,
      active,
      pending,
      revision,
      me: hello?.user || null,
      role: hello?.role || null,
      canWrite: hello ? hello.can_write : true,
      members: hello?.members || [],
      peers,
      announcement,
      submit,
      share,
      // The design the server has confirmed (with nothing of mine pending on it).
      confirmed: () => sessionNow.confirmed,
    }),
    [status, active, pending, revision, hello, peers, announcement, submit, share, sessionNow],
  );
}

export type Live = ReturnType<typeof useLive>;
