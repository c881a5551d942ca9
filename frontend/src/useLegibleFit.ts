import { useNodesInitialized, useReactFlow, useStore } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Point, Size } from "./types";

interface Rect extends Point, Size {}

// Below this zoom the cards' text (13 px) is too small to read.
export const LEGIBLE_ZOOM = 0.75;
const MAX_ZOOM = 1.25;
const PADDING = 32;

// The viewport that shows `bounds` in a `width` × `height` pane: the whole design when it fits at a legible
// zoom (centred); else at the legible zoom, from its left (and top) edge, the rest a pan or the minimap away.
export function legibleViewport(bounds: Rect, width: number, height: number) {
  const roomX = width - 2 * PADDING;
  const roomY = height - 2 * PADDING;
  const zoom = Math.min(MAX_ZOOM, Math.max(LEGIBLE_ZOOM, Math.min(roomX / bounds.width, roomY / bounds.height)));
  const x = bounds.width * zoom <= roomX ? (width - bounds.width * zoom) / 2 - bounds.x * zoom : PADDING - bounds.x * zoom;
  const y = bounds.height * zoom <= roomY ? (height - bounds.height * zoom) / 2 - bounds.y * zoom : PADDING - bounds.y * zoom;
  return { x, y, zoom };
}

// Fits the design legibly once its cards are measured, and returns the fit for the F key, the fit button,
// Layout and Insert pattern, and `reveal(position, size)` to bring one card into view.
export function useLegibleFit() {
  const flow = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const fit = useCallback(
    (duration = 0) => {
      // The cards and group boxes; the tier lanes only frame them (they stretch to whatever is shown).
      const nodes = flow.getNodes().filter((n) => !n.hidden && n.type !== "tierLane");
      if (!nodes.length || !width || !height) return;
      flow.setViewport(legibleViewport(flow.getNodesBounds(nodes), width, height), { duration });
    },
    [flow, width, height],
  );
  // Pans (keeping the zoom) so that the box at `position` (flow coordinates) is in view, if it is not.
  const reveal = useCallback(
    (position: Point, size: Size, duration = 200) => {
      const { x, y, zoom } = flow.getViewport();
      const left = position.x * zoom + x;
      const top = position.y * zoom + y;
      const right = left + size.width * zoom;
      const bottom = top + size.height * zoom;
      if (left >= PADDING && top >= PADDING && right <= width - PADDING && bottom <= height - PADDING) return;
      // When the design, the card included, fits at a legible zoom, show all of it; else the smallest pan
      // that brings the whole card in, so that as much as possible of the rest stays in view.
      const cards = flow.getNodes().filter((n) => !n.hidden && n.type !== "tierLane");
      const bounds = cards.length ? flow.getNodesBounds(cards) : { x: position.x, y: position.y, width: 0, height: 0 };
      const x0 = Math.min(bounds.x, position.x);
      const y0 = Math.min(bounds.y, position.y);
      const all = {
        x: x0,
        y: y0,
        width: Math.max(bounds.x + bounds.width, position.x + size.width) - x0,
        height: Math.max(bounds.y + bounds.height, position.y + size.height) - y0,
      };
      const whole = legibleViewport(all, width, height);
      if (all.width * whole.zoom <= width - 2 * PADDING && all.height * whole.zoom <= height - 2 * PADDING) {
        flow.setViewport(whole, { duration });
        return;
      }
      const dx = left < PADDING ? PADDING - left : right > width - PADDING ? width - PADDING - right : 0;
      const dy = top < PADDING ? PADDING - top : bottom > height - PADDING ? height - PADDING - bottom : 0;
      if (dx || dy) flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration });
    },
    [flow, width, height],
  );
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  // True once the first fit is done: the canvas shows what it will show (the editor marks it for tests and
  // the editor benchmark).
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (initialized && width && !fitted.current) {
      fitted.current = true;
      fit();
      setReady(true);
    }
  }, [initialized, width, fit]);
  return useMemo(() => ({ fit, reveal, ready }), [fit, reveal, ready]);
}
