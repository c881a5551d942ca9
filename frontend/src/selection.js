import { useCallback, useRef, useState } from "react";

// What React Flow's selection means for the side panel: one component, else one connection, else none.
export function panelSelection(nodes, edges) {
  const components = nodes.filter((n) => n.type === "component");
  return {
    component: components.length === 1 ? components[0].id : null,
    connection: !components.length && edges.length === 1 ? edges[0].id : null,
    any: components.length > 0 || edges.length > 0,
  };
}

// The ids of the selected cards and connections on the canvas (what Delete, Copy and presence act on).
export function selectedOnCanvas(nodes, edges) {
  return {
    nodes: nodes.filter((n) => n.selected && n.type === "component").map((n) => n.id),
    edges: edges.filter((e) => e.selected).map((e) => e.id),
  };
}

const unselect = (items) => (items.some((i) => i.selected) ? items.map((i) => (i.selected ? { ...i, selected: false } : i)) : items);

// The selected component, connection or group. React Flow's own selection is for components and
// connections; a group is selected by clicking its label. `selectAfter` holds the ids an edit is about to
// add, for the next redraw to select.
export function useSelection({ setNodes, setEdges, setSide }) {
  const [componentId, setComponentId] = useState(null);
  const [connectionId, setConnectionId] = useState(null);
  const [groupId, setGroupId] = useState(null);
  const selectAfter = useRef(null);

  const selectGroup = useCallback(
    (id) => {
      setGroupId(id);
      setComponentId(null);
      setConnectionId(null);
      setSide("properties");
      setNodes(unselect);
      setEdges(unselect);
    },
    [setNodes, setEdges, setSide],
  );

  const onSelectionChange = useCallback(({ nodes, edges }) => {
    const picked = panelSelection(nodes, edges);
    setComponentId(picked.component);
    setConnectionId(picked.connection);
    if (picked.any) setGroupId(null);
  }, []);

  // The redraw selected these components (after an add or a paste).
  const focused = useCallback((ids) => {
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
