import { useStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { memo, useCallback } from "react";
import type { Lane } from "../canvas";

// Room kept for the label at the lane's right end.
const LABEL_ROOM = 240;

// A horizontal band for one tier; components snap into it. Not selectable, not draggable. Its label stays
// at the left edge of the view while the lane reaches past it (a legible fit of a wide design starts
// panned to the right), so the tier of the cards in view is always named.
function TierLane({ data, positionAbsoluteX }: NodeProps<Lane>) {
  const inView = useCallback(
    (s: ReactFlowState) => {
      const [x, , zoom] = s.transform;
      return Math.round(Math.min(Math.max(0, -x / zoom - positionAbsoluteX), Math.max(0, data.width - LABEL_ROOM)));
    },
    [positionAbsoluteX, data.width],
  );
  const offset = useStore(inView);
  return (
    <div className={`tier-lane tier-${data.tier}`} data-tier-lane={data.tier} style={{ width: data.width, height: data.height }}>
      <span className="tier-lane-label" style={offset ? { transform: `translateX(${offset}px)` } : undefined}>{data.label}</span>
    </div>
  );
}

export default memo(TierLane);
