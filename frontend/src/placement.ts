import type { Node, OnNodeDrag } from "@xyflow/react";
import { useCallback, useRef, type Dispatch, type RefObject, type SetStateAction } from "react";
import type { GroupBox, StudioNode } from "./canvas";
import { NODE_HEIGHT, NODE_WIDTH, groupAt, groupBoxes, groupFamily, moveGroup, snapIntoLane, tierAt } from "./design";
import type { Box, Design, Group, Point } from "./types";
import type { Commit } from "./useHistory";

export type Moved = Record<string, Point>;
// Who joined a group (or left one: group null).
export type Joined = { id: string; group: string | null }[];

// Components moved to new places (`moved`: id → position, from a drop or arrow keys) snap into the lane
// under their centre (and move to that tier), and join the innermost group box their centre is in, or
// none. A multi-selection holding every member of a group moves the group: those members stay in it (the
// box follows them). `boxes` are the group boxes as drawn before the move. Returns the new document and
// who joined or left a group.
export function placeMoved(d: Design, moved: Moved, boxes: Record<string, Box>): { design: Design; joined: Joined } {
  const count = Object.keys(moved).length;
  const wholeGroups = new Set(
    (d.groups || [])
      .filter((g) => {
        const members = d.components.filter((c) => c.group === g.id);
        return count > 1 && members.length > 0 && members.every((c) => moved[c.id]);
      })
      .map((g) => g.id),
  );
  const joined: Joined = [];
  const components = d.components.map((c) => {
    if (!moved[c.id]) return c;
    const tier = tierAt(moved[c.id].y + NODE_HEIGHT / 2);
    const position = snapIntoLane(moved[c.id], tier);
    let group = c.group ?? null;
    if (group === null || !wholeGroups.has(group)) {
      const centre = { x: moved[c.id].x + NODE_WIDTH / 2, y: moved[c.id].y + NODE_HEIGHT / 2 };
      group = groupAt(d, boxes, centre)?.id ?? null;
      if (group !== (c.group ?? null)) joined.push({ id: c.id, group });
    }
    return { ...c, tier, position, group };
  });
  // A group its last member left stays where it was drawn, so it can be filled again.
  const groups = (d.groups || []).map((g) =>
    boxes[g.id] && !components.some((c) => c.group === g.id) && !(d.groups || []).some((x) => x.parent === g.id)
      ? { ...g, position: { x: Math.round(boxes[g.id].x1), y: Math.round(boxes[g.id].y1) },
          size: { width: Math.round(boxes[g.id].x2 - boxes[g.id].x1), height: Math.round(boxes[g.id].y2 - boxes[g.id].y1) } }
      : g,
  );
  return { design: { ...d, components, groups }, joined };
}

// What to say about components that joined or left a group.
export function joinedMessage(joined: Joined, groups: Group[] | undefined): string {
  const name = (id: string) => (groups || []).find((g) => g.id === id)?.label || id;
  return joined.map((j) => (j.group ? `${j.id} is now in ${name(j.group)}.` : `${j.id} left its group.`)).join(" ");
}

// Moving things on the canvas: cards dropped or moved by keys are placed (one edit); dragging a group's
// label moves everything in it along, live, and the drop is one edit.
interface Options {
  designRef: RefObject<Design | null>;
  positionsRef: RefObject<Record<string, Point>>;
  nodesRef: RefObject<StudioNode[]>;
  setNodes: Dispatch<SetStateAction<StudioNode[]>>;
  commit: Commit;
  say: (text: string) => void;
}

export function useMoves({ designRef, positionsRef, nodesRef, setNodes, commit, say }: Options) {
  const groupDrag = useRef<{ id: string; origin: Point; start: Record<string, Point> } | null>(null);

  const place = useCallback(
    (moved: Moved) => {
      const before = designRef.current;
      if (!before) return;
      const boxes = groupBoxes(before, positionsRef.current);
      let joined: Joined = [];
      commit((d) => {
        const placed = placeMoved(d, moved, boxes);
        joined = placed.joined;
        return placed.design;
      });
      if (joined.length) say(joinedMessage(joined, before.groups));
    },
    [designRef, positionsRef, commit, say],
  );

  const onNodeDragStart: OnNodeDrag<StudioNode> = useCallback(
    (_event, dragged) => {
      const d = designRef.current;
      if (dragged.type !== "group" || !d) return;
      const node = dragged as GroupBox;
      const family = groupFamily(d, node.data.id);
      const moving = new Set(d.components.filter((c) => c.group && family.has(c.group)).map((c) => c.id));
      for (const id of family) if (id !== node.data.id) moving.add(`group:${id}`);
      const start = Object.fromEntries(nodesRef.current.filter((n) => moving.has(n.id)).map((n) => [n.id, n.position]));
      groupDrag.current = { id: node.data.id, origin: node.position, start };
    },
    [designRef, nodesRef],
  );
  const onNodeDrag: OnNodeDrag<StudioNode> = useCallback(
    (_event, node) => {
      const drag = groupDrag.current;
      if (!drag || node.type !== "group") return;
      const dx = node.position.x - drag.origin.x;
      const dy = node.position.y - drag.origin.y;
      setNodes((ns) =>
        ns.map((n) => (drag.start[n.id] ? { ...n, position: { x: drag.start[n.id].x + dx, y: drag.start[n.id].y + dy } } : n)),
      );
    },
    [setNodes],
  );
  const onNodeDragStop: OnNodeDrag<StudioNode> = useCallback(
    (_event, node, dragged) => {
      if (node.type === "group") {
        const drag = groupDrag.current;
        groupDrag.current = null;
        if (!drag) return;
        const delta = { x: node.position.x - drag.origin.x, y: node.position.y - drag.origin.y };
        if (delta.x || delta.y) commit((d) => moveGroup(d, drag.id, delta, positionsRef.current));
        return;
      }
      place(Object.fromEntries(dragged.filter((n: Node) => n.type === "component").map((n: Node) => [n.id, n.position])));
    },
    [commit, place, positionsRef],
  );

  return { place, onNodeDragStart, onNodeDrag, onNodeDragStop };
}
