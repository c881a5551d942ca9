import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { Lane } from "../canvas";

// A horizontal band for one tier; components snap into it. Not selectable, not draggable.
function TierLane({ data }: NodeProps<Lane>) {
  return (
    <div className={`tier-lane tier-${data.tier}`} data-tier-lane={data.tier} style={{ width: data.width, height: data.height }}>
      <span className="tier-lane-label">{data.label}</span>
    </div>
  );
}

export default memo(TierLane);
