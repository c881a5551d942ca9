import { memo } from "react";

// A VPC or account drawn as a labelled rectangle behind its members (not selectable, not draggable).
function GroupNode({ data }) {
  return (
    <div className={`group-box group-${data.kind}`} data-group-id={data.id} data-group-kind={data.kind}
      style={{ width: data.width, height: data.height }}>
      <span className="group-label">{data.kindLabel}: {data.label || data.id}</span>
    </div>
  );
}

export default memo(GroupNode);
