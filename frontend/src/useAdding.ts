import type { OnConnect, ReactFlowInstance } from "@xyflow/react";
import { useCallback, useState, type DragEvent, type RefObject } from "react";
import type { Catalog, ComponentType, ConnectionKind, Design, Point } from "./types";
import type { Commit } from "./useHistory";

// A connection drawn between two cards, waiting for the person to choose its kind.
export interface PendingConnection {
  source: string;
  target: string;
  kinds: ConnectionKind[];
}
interface Options {
  designRef: RefObject<Design | null>;
  lockedRef: RefObject<boolean>;
  catalog: Catalog | null;
  types: Record<string, ComponentType>;
  commit: Commit;
  selectAfter: RefObject<string | string[] | null>;
  say: (text: string) => void;
  rememberType: (type: string) => void;
  reveal: (position: Point, size: { width: number; height: number }) => void;
  flow: Pick<ReactFlowInstance, "screenToFlowPosition">;
}
import { NODE_HEIGHT, NODE_WIDTH, addComponent, addConnection, exclusionReason, validKinds } from "./design";
import { DRAG_TYPE } from "./components/Palette";

// Adding components (from the palette, by click or drop) and connections (drawn between two cards; when
// more than one kind fits, `pending` waits for the person to choose).
export function useAdding({ designRef, lockedRef, catalog, types, commit, selectAfter, say, rememberType, reveal, flow }: Options) {
  const [pending, setPending] = useState<PendingConnection | null>(null);

  const add = useCallback(
    (ctype: ComponentType, position?: Point) => {
      if (lockedRef.current || !designRef.current) return;
      const { design: next, id } = addComponent(designRef.current, ctype, position);
      selectAfter.current = id;
      commit(next);
      rememberType(ctype.type);
      say(`Added ${ctype.label} as ${id}.`);
      // A card added from the palette lands right of its lane's others: bring it into view.
      const added = next.components.find((c) => c.id === id);
      if (!position && added?.position) reveal(added.position, { width: NODE_WIDTH, height: NODE_HEIGHT });
    },
    [designRef, lockedRef, selectAfter, commit, say, rememberType, reveal],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const ctype = types[event.dataTransfer.getData(DRAG_TYPE)];
      if (!ctype) return;
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      add(ctype, { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 });
    },
    [add, flow, types],
  );

  const onConnect: OnConnect = useCallback(
    ({ source, target }) => {
      const d = designRef.current;
      if (!d || !catalog) return;
      const from = d.components.find((c) => c.id === source);
      const to = d.components.find((c) => c.id === target);
      if (!from || !to || source === target) return;
      const kinds = validKinds(catalog, from.type, to.type);
      const names = `${types[from.type]?.label || from.type} → ${types[to.type]?.label || to.type}`;
      if (!kinds.length) {
        const why = exclusionReason(catalog, from.type, to.type);
        say(why ? `${names} cannot be connected: ${why}.` : `${names}: no connection kind fits this pair, so they cannot be connected.`);
      } else if (kinds.length === 1) {
        commit((doc) => addConnection(doc, source, target, kinds[0].kind));
        say(`Connected ${names} (${kinds[0].label}).`);
      } else {
        setPending({ source, target, kinds });
      }
    },
    [designRef, catalog, commit, say, types],
  );

  const choose = (kind: string) => {
    if (!pending) return;
    commit((d) => addConnection(d, pending.source, pending.target, kind));
    setPending(null);
  };
  const cancel = useCallback(() => setPending(null), []);

  return { add, onDrop, onConnect, pending, choose, cancel };
}
