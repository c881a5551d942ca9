import { Background, Controls, ReactFlow, ReactFlowProvider, useEdgesState, useNodesState } from "@xyflow/react";
import { useEffect, useMemo } from "react";
import type { Catalog, Design } from "../types";
import { previewGraph } from "../previewGraph";
import { useLegibleFit } from "../useLegibleFit";
import ComponentNode from "./ComponentNode";
import FloatingEdge from "./FloatingEdge";
import GroupNode from "./GroupNode";
import OverflowMiniMap from "./OverflowMiniMap";
import TierLane from "./TierLane";

const nodeTypes = { component: ComponentNode, tierLane: TierLane, group: GroupNode };
const edgeTypes = { floating: FloatingEdge };

function Canvas({ design, catalog }: { design: Design; catalog: Catalog }) {
  const graph = useMemo(() => previewGraph(design, catalog), [design, catalog]);
  // Held in state, not passed straight through: React Flow reports the cards' measured sizes as changes,
  // and the fit waits for them.
  const [nodes, setNodes, onNodesChange] = useNodesState(graph.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState(graph.edges);
  useEffect(() => {
    setNodes(graph.nodes);
    setEdges(graph.edges);
  }, [graph, setNodes, setEdges]);
  useLegibleFit();
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      // The page scrolls over the diagram; zoom with the buttons or a pinch, pan by dragging.
      zoomOnScroll={false}
      preventScrolling={false}
      minZoom={0.1}
      maxZoom={2}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} />
      <Controls showInteractive={false} />
      <OverflowMiniMap />
    </ReactFlow>
  );
}

// The imported design drawn as the editor draws it, read-only: what the new project will open with.
export default function ImportPreview({ design, catalog }: { design: Design; catalog: Catalog }) {
  return (
    <div className="import-canvas studio" data-import-preview
      role="region" aria-label={`Diagram of ${design.name}: ${design.components.length} components, ${design.connections.length} connections`}>
      <ReactFlowProvider>
        <Canvas design={design} catalog={catalog} />
      </ReactFlowProvider>
    </div>
  );
}
