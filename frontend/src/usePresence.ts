import type { ReactFlowInstance } from "@xyflow/react";
import { useCallback, useEffect, type MouseEvent } from "react";
import type { Live } from "./useLive";

// Presence: what I have selected, and my pointer in flow coordinates, for the others in the session.
export function usePresence({ live, flow, selection }: {
  live: Pick<Live, "share" | "status">;
  flow: Pick<ReactFlowInstance, "screenToFlowPosition">;
  selection: string[];
}) {
  const { share, status } = live;
  // A key, so that the same selection in a new array is not shared again.
  const selectionKey = selection.join(" ");
  useEffect(() => {
    if (status === "live") share({ selection: selectionKey ? selectionKey.split(" ") : [] });
  }, [selectionKey, status, share]);
  const shareCursor = useCallback(
    (event: MouseEvent) => {
      if (status !== "live") return;
      share({ cursor: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }) });
    },
    [flow, status, share],
  );
  const hideCursor = useCallback(() => {
    if (status === "live") share({ cursor: null });
  }, [status, share]);
  return { shareCursor, hideCursor };
}
