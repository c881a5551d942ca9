import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { GroupBox } from "../canvas";

// A VPC or account drawn as a labelled rectangle behind its members. The box lets clicks through to the
// canvas; its label is the handle: click it to edit the group, drag it to move the group with its members.
function GroupNode({ data }: NodeProps<GroupBox>) {
  return (
    <div className={`group-box group-${data.kind}${data.selected ? " selected" : ""}${data.empty ? " empty" : ""}`}
      data-group-id={data.id} data-group-kind={data.kind} style={{ width: data.width, height: data.height }}>
      <button type="button" className="group-label" data-group-handle={data.id}
        title={data.readOnly ? "Show this group" : "Click to edit, drag to move with its members"}
        onClick={() => data.onSelect?.(data.id)}>
        {data.kindLabel}: {data.label || data.id}
      </button>
      {data.empty && <span className="group-empty muted small">Drop components here</span>}
    </div>
  );
}

export default memo(GroupNode);
