import { MiniMap, useStore, type ReactFlowState } from "@xyflow/react";

// True while some card or group lies (partly) outside the visible part of the canvas. Lanes do not
// count: they span the whole design and only frame it.
function somethingOffScreen(state: ReactFlowState): boolean {
  const [x, y, zoom] = state.transform;
  const left = -x / zoom;
  const top = -y / zoom;
  const right = left + state.width / zoom;
  const bottom = top + state.height / zoom;
  for (const node of state.nodeLookup.values()) {
    if (node.type === "tierLane" || node.hidden) continue;
    const { x: nx, y: ny } = node.internals.positionAbsolute;
    const width = node.measured?.width ?? 0;
    const height = node.measured?.height ?? 0;
    if (nx < left || ny < top || nx + width > right || ny + height > bottom) return true;
  }
  return false;
}

// The minimap, shown only when it helps: while part of the design is off screen. When everything is in
// view it would only cover the canvas (the data lane, in its corner).
export default function OverflowMiniMap() {
  const needed = useStore(somethingOffScreen);
  if (!needed) return null;
  return (
    <MiniMap pannable zoomable ariaLabel="Map of the whole design" style={{ width: 160, height: 110 }}
      nodeColor={(n) => (n.type === "tierLane" ? "transparent" : "#2563eb")} />
  );
}
