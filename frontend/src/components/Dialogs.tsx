import type { PendingConnection } from "../useAdding";

// Small modal pieces of the editor: the connection-kind chooser and the help overlay (the save conflict
// has its own, MergeDialog).

export function KindChooser({ pending, onChoose, onCancel }: {
  pending: PendingConnection;
  onChoose: (kind: string) => void;
  onCancel: () => void;
}) {
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="kind-title" data-dialog="kind">
      <div className="dialog">
        <h2 id="kind-title">
          How does <code>{pending.source}</code> talk to <code>{pending.target}</code>?
        </h2>
        <div className="kind-options">
          {pending.kinds.map((k) => (
            <button key={k.kind} type="button" data-kind={k.kind} title={k.description} onClick={() => onChoose(k.kind)}>
              {k.label}
              <small>{k.description}</small>
            </button>
          ))}
        </div>
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
        </div>
      </div>
    </div>
  );
}

export const SHORTCUTS = [
  ["Click a palette entry", "add the service to its tier lane (or drag it onto a lane)"],
  ["Drag from a handle", "connect two components"],
  ["Delete / Backspace", "delete the selection"],
  ["Tab, then arrow keys (Shift: farther)", "focus a component and move the selection; it changes lane or group like a drop"],
  ["Shift + click, Shift + drag", "select several"],
  ["Click a connection", "edit its label, kind and settings"],
  ["Drop a component on a VPC or account box", "put it in that group (drop it outside every box to take it out)"],
  ["Click or drag a group's label", "edit the group (CIDR, zones, NAT gateways, team, domain) or move it with its members"],
  ["Ctrl + C, Ctrl + V", "copy and paste the selected components (with the connections among them), in any tab or project"],
  ["L", "lay the design out by tier (also the Layout button)"],
  ["H", "show or hide the revision history"],
  ["Ctrl + Z", "undo"],
  ["Ctrl + Shift + Z, Ctrl + Y", "redo"],
  ["Mouse wheel, drag the background", "zoom, pan"],
  ["F", "fit the design to the screen"],
  ["?", "show or hide this help"],
  ["Escape", "close a dialog"],
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" data-dialog="help" onClick={onClose}>
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}><th><kbd>{keys}</kbd></th><td>{what}</td></tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Changes save themselves a moment after you make them.</p>
        <div className="dialog-actions"><button type="button" autoFocus onClick={onClose}>Close</button></div>
      </div>
    </div>
  );
}
