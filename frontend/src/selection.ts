import type { Edge, Node } from "@xyflow/react";
import { useCallback, useRef, useState, type Dispatch, type SetStateAction } from "react";
import type { ConnectionEdge, StudioNode } from "./canvas";

// What React Flow's selection means for the side panel: one component, else one connection, else none.
type Picked = Pick<Node, "id" | "type" | "selected">;
type PickedEdge = Pick<Edge, "id" | "selected">;

export function panelSelection(nodes: Picked[], edges: PickedEdge[]) {
  const components = nodes.filter((n) => n.type === "component");
  return {
    component: components.length === 1 ? components[0].id : null,
    connection: !components.length && edges.length === 1 ? edges[0].id : null,
    any: components.length > 0 || edges.length > 0,
  };
}

// The ids of the selected cards and connections on the canvas (what Delete, Copy and presence act on).
export function selectedOnCanvas(nodes: Picked[], edges: PickedEdge[]): { nodes: string[]; edges: string[] } {
  return {
    nodes: nodes.filter((n) => n.selected && n.type === "component").map((n) => n.id),
    edges: edges.filter((e) => e.selected).map((e) => e.id),
  };
}

const unselect = <T extends { selected?: boolean }>(items: T[]): T[] => (items.some((i) => i.selected) ? items.map((i) => (i.selected ? { ...i, selected: false } : i)) : items);

// The selected component, connection or group. React Flow's own selection is for components and
// connections; a group is selected by clicking its label. `selectAfter` holds the ids an edit is about to
// add, for the next redraw to select.
interface Options {
  setNodes: Dispatch<SetStateAction<StudioNode[]>>;
  setEdges: Dispatch<SetStateAction<ConnectionEdge[]>>;
  setSide: (side: "properties") => void;
}

export function useSelection({ setNodes, setEdges, setSide }: Options) {
  const [componentId, setComponentId] = useState<string | null>(null);
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [groupId, setGroupId] = useState<string | null>(null);
  const selectAfter = useRef<string | string[] | null>(null);

  const selectGroup = useCallback(
    (id: string) => {
      setGroupId(id);
      setComponentId(null);
      setConnectionId(null);
      setSide("properties");
      setNodes(unselect);
      setEdges(unselect);
    },
    [setNodes, setEdges, setSide],
  );

  const onSelectionChange = useCallback(({ nodes, edges }: { nodes: Node[]; edges: Edge[] }) => {
    const picked = panelSelection(nodes, edges);
    setComponentId(picked.component);
    setConnectionId(picked.connection);
    if (picked.any) setGroupId(null);
  }, []);

  // The redraw selected these components (after an add or a paste).
  const focused = useCallback((ids: Set<string>) => {
    setComponentId(ids.size === 1 ? [...ids][0] : null);
    setConnectionId(null);
  }, []);

  const clear = useCallback(() => {
    setComponentId(null);
    setConnectionId(null);
  }, []);

  return {
    componentId,
    connectionId,
    groupId,
    setConnectionId,
    setGroupId,
    selectGroup,
    onSelectionChange,
    selectAfter,
    focused,
    clear,
  };
}
