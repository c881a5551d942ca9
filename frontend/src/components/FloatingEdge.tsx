import { BaseEdge, EdgeLabelRenderer, Position, getSmoothStepPath, useInternalNode, type EdgeProps, type InternalNode } from "@xyflow/react";
import type { ConnectionEdge } from "../canvas";

// A card's box: its top left corner, width and height.
export interface CardBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

function box(node: InternalNode): CardBox {
  const { x, y } = node.internals.positionAbsolute;
  return { x, y, w: node.measured?.width ?? 0, h: node.measured?.height ?? 0 };
}

// The side of `from` that faces `to`: left or right when `to` lies more beside it than above or below
// (measured against the two boxes' sizes), else top or bottom.
// Cards in different rows (tiers) connect top to bottom; cards side by side in one row, left to right.
export function facingSide(from: CardBox, to: CardBox): Position {
  const dx = to.x + to.w / 2 - (from.x + from.w / 2);
  const dy = to.y + to.h / 2 - (from.y + from.h / 2);
  const apart = to.y >= from.y + from.h || to.y + to.h <= from.y;
  if (!apart) return dx > 0 ? Position.Right : Position.Left;
  return dy > 0 ? Position.Bottom : Position.Top;
}

export function anchor(b: CardBox, side: Position): { x: number; y: number } {
  switch (side) {
    case Position.Right:
      return { x: b.x + b.w, y: b.y + b.h / 2 };
    case Position.Left:
      return { x: b.x, y: b.y + b.h / 2 };
    case Position.Top:
      return { x: b.x + b.w / 2, y: b.y };
    default:
      return { x: b.x + b.w / 2, y: b.y + b.h };
  }
}

// A connection that leaves its source on the side facing its target and enters the target on the side
// facing the source (or, past cards between them in one row, goes over the row), drawn with right angles;
// so it never loops back into its own card. Its label is drawn
// in the label layer above the cards, never behind one.
export default function FloatingEdge({ id, source, target, markerEnd, style, label, data, selected }: EdgeProps<ConnectionEdge>) {
  const sourceNode = useInternalNode(source);
  const targetNode = useInternalNode(target);
  if (!sourceNode || !targetNode) return null;
  const from = box(sourceNode);
  const to = box(targetNode);
  // A detour (cards of the row between the two) goes over the row: out of the top and into the top.
  const sourcePosition = data?.detour ? Position.Top : facingSide(from, to);
  const targetPosition = data?.detour ? Position.Top : facingSide(to, from);
  const start = anchor(from, sourcePosition);
  const end = anchor(to, targetPosition);
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: start.x,
    sourceY: start.y,
    sourcePosition,
    targetX: end.x,
    targetY: end.y,
    targetPosition,
    borderRadius: 8,
    offset: data?.detour ? 28 : 20,
  });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={16} />
      {label && (
        <EdgeLabelRenderer>
          <div className={`edge-label nodrag nopan${selected ? " selected" : ""}${data?.invalid ? " invalid" : ""}`}
            data-edge-label={id} data-source-side={sourcePosition} data-target-side={targetPosition}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
