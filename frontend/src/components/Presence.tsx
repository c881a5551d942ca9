import { ViewportPortal, type Node } from "@xyflow/react";
import type { CSSProperties, ReactNode } from "react";
import { colourOf, type Live, type LiveStatus, type LiveUser, type Peer } from "../useLive";

const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Offline",
  unavailable: "Live editing unavailable",
};

// Everyone in the session once (someone with two tabs open counts once), me first.
function people(live: Live) {
  const seen = new Map<string, { username: string; me: boolean }>();
  if (live.me) seen.set(live.me.username, { username: live.me.username, me: true });
  for (const peer of live.peers.values()) {
    if (!seen.has(peer.user.username)) seen.set(peer.user.username, { username: peer.user.username, me: false });
  }
  const roles: Record<string, string | undefined> = Object.fromEntries(live.members.map((m) => [m.username, m.role]));
  return [...seen.values()].map((p) => ({ ...p, role: roles[p.username] }));
}

// The header's part of a live session: its state, who is here, and a word when someone comes or goes.
export function PresenceBar({ live }: { live: Live }) {
  const here = live.status === "live" ? people(live) : [];
  return (
    <div className="presence" data-live-status={live.status}>
      <span className={`live-status live-${live.status}`}
        title={live.status === "unavailable" ? "This server does not offer live sessions; changes are saved as revisions" : ""}>
        {LIVE_LABELS[live.status]}
      </span>
      {live.status === "live" && !live.canWrite && (
        <span className="live-watching" data-live-watching>Watching (viewer)</span>
      )}
      <ul className="presence-members" aria-label="In this session">
        {here.map((p) => (
          <li key={p.username} data-presence-member={p.username} title={`${p.username}${p.me ? " (you)" : ""}${p.role ? `, ${p.role}` : ""}`}
            style={{ "--presence-colour": colourOf(p.username) } as CSSProperties}>
            <span className="presence-initial" aria-hidden="true">{p.username.slice(0, 1).toUpperCase()}</span>
            <span className="presence-name">{p.me ? "you" : p.username}</span>
          </li>
        ))}
      </ul>
      {live.announcement && <span className="presence-event" data-presence-event role="status">{live.announcement}</span>}
    </div>
  );
}

// On the canvas, in flow coordinates: each other person's selected components outlined in their colour,
// and their pointer.
export function PresenceLayer({ peers, me, nodes }: { peers: Map<string, Peer>; me: LiveUser | null; nodes: Node[] }) {
  const byId = new Map(nodes.filter((n) => n.type === "component").map((n) => [n.id, n]));
  const outlines: ReactNode[] = [];
  const cursors: ReactNode[] = [];
  for (const [connection, peer] of peers) {
    const name = peer.user.username;
    if (me && name === me.username) continue; // my own other tab
    const colour = colourOf(name);
    for (const id of peer.selection) {
      const node = byId.get(id);
      if (!node) continue;
      const width = node.measured?.width ?? 180;
      const height = node.measured?.height ?? 72;
      outlines.push(
        <div key={`${connection}:${id}`} className="presence-outline" data-presence-user={name} data-presence-component={id}
          style={{ transform: `translate(${node.position.x - 4}px, ${node.position.y - 4}px)`, width: width + 8, height: height + 8,
            borderColor: colour }}>
          <span className="presence-tag" style={{ background: colour }}>{name}</span>
        </div>,
      );
    }
    if (peer.cursor) {
      cursors.push(
        <div key={connection} className="presence-cursor" data-presence-cursor={name}
          style={{ transform: `translate(${peer.cursor.x}px, ${peer.cursor.y}px)`, color: colour }}>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M1 1l5 14 2-6 6-2z" fill="currentColor" stroke="white" strokeWidth="1" />
          </svg>
          <span className="presence-tag" style={{ background: colour }}>{name}</span>
        </div>,
      );
    }
  }
  if (!outlines.length && !cursors.length) return null;
  return (
    <ViewportPortal>
      {outlines}
      {cursors}
    </ViewportPortal>
  );
}
