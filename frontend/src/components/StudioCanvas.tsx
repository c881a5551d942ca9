import {
  Background,
  ControlButton,
  Controls,
  ReactFlow,
  type OnConnect,
  type OnEdgesChange,
  type OnNodeDrag,
  type OnNodesChange,
  type OnSelectionChangeFunc,
} from "@xyflow/react";
import type { DragEvent, MouseEvent } from "react";
import type { ConnectionEdge, StudioNode } from "../canvas";
import type { useJobs } from "../useJobs";
import type { Live } from "../useLive";
import ComponentNode from "./ComponentNode";
import FloatingEdge from "./FloatingEdge";
import GroupNode from "./GroupNode";
import { JobsTray } from "./JobButtons";
import OverflowMiniMap from "./OverflowMiniMap";
import { PresenceLayer } from "./Presence";
import TierLane from "./TierLane";

const nodeTypes = { component: ComponentNode, tierLane: TierLane, group: GroupNode };
const edgeTypes = { floating: FloatingEdge };

interface Props {
  nodes: StudioNode[];
  edges: ConnectionEdge[];
  onNodesChange: OnNodesChange<StudioNode>;
  onEdgesChange: OnEdgesChange<ConnectionEdge>;
  onSelectionChange: OnSelectionChangeFunc<StudioNode, ConnectionEdge>;
  onPaneClick: () => void;
  drag: { onNodeDragStart: OnNodeDrag<StudioNode>; onNodeDrag: OnNodeDrag<StudioNode>; onNodeDragStop: OnNodeDrag<StudioNode> };
  onConnect: OnConnect;
  onDrop: (event: DragEvent) => void;
  onPointer: (event: MouseEvent) => void;
  onPointerLeave: () => void;
  onFit: () => void;
  locked: boolean;
  large: boolean;
  ready: boolean;
  live: Live;
  jobs: ReturnType<typeof useJobs>;
}

// The canvas: React Flow with the studio's cards, group boxes, lanes and connections, its controls (the
// fit button fits legibly), the minimap, the others' presence in a live session and the jobs tray.
export default function StudioCanvas({ nodes, edges, onNodesChange, onEdgesChange, onSelectionChange, onPaneClick, drag, onConnect,
  onDrop, onPointer, onPointerLeave, onFit, locked, large, ready, live, jobs }: Props) {
  return (
    <div className="canvas" data-canvas-ready={ready ? "true" : undefined} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop}
      onMouseMove={onPointer} onMouseLeave={onPointerLeave}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={{ type: "floating" }}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onPaneClick={onPaneClick}
        onNodeDragStart={drag.onNodeDragStart}
        onNodeDrag={drag.onNodeDrag}
        onNodeDragStop={drag.onNodeDragStop}
        onConnect={onConnect}
        nodesDraggable={!locked}
        nodesConnectable={!locked}
        deleteKeyCode={null}
        multiSelectionKeyCode="Shift"
        onlyRenderVisibleElements={large}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton className="react-flow__controls-fitview" onClick={onFit}
            title="Fit the design (F)" aria-label="Fit the design">
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" fill="none" stroke="currentColor" strokeWidth="1.8" />
            </svg>
          </ControlButton>
        </Controls>
        <OverflowMiniMap />
        {live.status === "live" && <PresenceLayer peers={live.peers} me={live.me} nodes={nodes} />}
      </ReactFlow>
      <JobsTray jobs={jobs} />
    </div>
  );
}
