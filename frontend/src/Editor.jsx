import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import ComponentNode from "./components/ComponentNode.jsx";
import ConnectionPanel from "./components/ConnectionPanel.jsx";
import FloatingEdge from "./components/FloatingEdge.jsx";
import { HelpOverlay, KindChooser } from "./components/Dialogs.jsx";
import MergeDialog from "./components/MergeDialog.jsx";
import { DraftContext, liveDrafts } from "./drafts.js";
import { CommentsList, FindingsList, worstSeverity } from "./components/Feedback.jsx";
import GroupNode from "./components/GroupNode.jsx";
import GroupPanel from "./components/GroupPanel.jsx";
import OverflowMiniMap from "./components/OverflowMiniMap.jsx";
import PatternDialog from "./components/PatternDialog.jsx";
import ShareDialog from "./components/ShareDialog.jsx";
import RevisionsPanel from "./components/RevisionsPanel.jsx";
import { JobButtons, JobsTray } from "./components/JobButtons.jsx";
import { useJobs } from "./useJobs.js";
import { useLegibleFit } from "./useLegibleFit.js";
import Palette, { DRAG_TYPE } from "./components/Palette.jsx";
import { useRecentTypes } from "./recentTypes.js";
import { keepUnchanged } from "./reuse.js";
import { layeredLayout } from "./layout.js";
import PropertiesPanel from "./components/PropertiesPanel.jsx";
import TierLane from "./components/TierLane.jsx";
import {
  LANE_HEIGHT,
  LANE_LEFT,
  NODE_HEIGHT,
  detours,
  NODE_WIDTH,
  TIERS,
  addComponent,
  addConnection,
  addGroup as addGroupTo,
  duplicate,
  formatUsd,
  groupAt,
  groupBoxes,
  groupFamily,
  laneLayout,
  laneTop,
  moveGroup,
  possibleParents,
  removeGroup as removeGroupFrom,
  removeItems,
  snapIntoLane,
  tierAt,
  updateComponent,
  updateConnection,
  updateGroup,
  validKinds,
  exclusionReason,
} from "./design.js";
import { useAutosave } from "./useAutosave.js";
import { useEstimate } from "./useEstimate.js";
import { applyOps, opsBetween } from "./liveOps.js";
import { threeWayMerge } from "./merge.js";
import { useLive } from "./useLive.js";
import { PresenceBar, PresenceLayer } from "./components/Presence.jsx";

const nodeTypes = { component: ComponentNode, tierLane: TierLane, group: GroupNode };
const edgeTypes = { floating: FloatingEdge };
function etagNumber(etag) {
  return Number(String(etag).replace(/\D/g, ""));
}

// Copies go to localStorage as well, so they paste in another tab or another project's editor.
const CLIPBOARD_KEY = "tierplan.clipboard";
let lastClipboardText = null;
let lastClipboard = null;

function writeClipboard(clip) {
  try {
    lastClipboardText = JSON.stringify({ schema: "tierplan.clipboard/v1", ...clip });
    lastClipboard = clip;
    window.localStorage.setItem(CLIPBOARD_KEY, lastClipboardText);
  } catch {
    /* storage full or disabled: the copy still pastes in this tab */
  }
}

// The stored copy (the same object while it has not changed, so repeated pastes keep stepping aside).
function readClipboard() {
  try {
    const text = window.localStorage.getItem(CLIPBOARD_KEY);
    if (!text) return null;
    if (text === lastClipboardText) return lastClipboard;
    const clip = JSON.parse(text);
    if (clip?.schema !== "tierplan.clipboard/v1" || !Array.isArray(clip.components) || !Array.isArray(clip.connections)) {
      return null;
    }
    lastClipboardText = text;
    lastClipboard = { components: clip.components, connections: clip.connections };
    return lastClipboard;
  } catch {
    return null;
  }
}

const HISTORY_LIMIT = 200;
// Past this many components only the cards and connections in view are drawn (React Flow's
// onlyRenderVisibleElements). Cards out of view are never measured, so they get a card's size and
// handles up front: the first fit and the connections to them need no measuring.
const LARGE_DESIGN = 250;
const CARD_UNSEEN = {
  measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
  handles: [
    { type: "target", position: Position.Top, x: NODE_WIDTH / 2, y: 0, width: 1, height: 1 },
    { type: "source", position: Position.Bottom, x: NODE_WIDTH / 2, y: NODE_HEIGHT, width: 1, height: 1 },
  ],
};
const SAVE_LABELS = { saved: "All changes saved", saving: "Saving…", error: "Not saved", conflict: "Conflict" };

function saveLabel(state, pending) {
  if (state !== "offline") return SAVE_LABELS[state];
  return pending ? `Offline — ${pending} edit${pending === 1 ? "" : "s"} will sync` : "Offline";
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
}

function Studio({ api, projectId, readOnly, projectUrl }) {
  const flow = useReactFlow();
  const [catalog, setCatalog] = useState(null);
  const [design, setDesign] = useState(null);
  const [loadError, setLoadError] = useState("");
  const [revision, setRevision] = useState(null);
  const [nodes, setNodes] = useState([]);
  const [edges, setEdges] = useState([]);
  const [selectedId, setSelectedId] = useState(null);
  const [selectedEdgeId, setSelectedEdgeId] = useState(null);
  const [selectedGroupId, setSelectedGroupId] = useState(null);
  const [findings, setFindings] = useState({ revision: null, list: [] });
  const [comments, setComments] = useState([]);
  const [side, setSide] = useState("properties"); // or "history"
  const [revisions, setRevisions] = useState(null);
  const [revisionsError, setRevisionsError] = useState("");
  const [viewing, setViewing] = useState(null); // {number, design} of an old revision shown read-only
  const [diff, setDiff] = useState(null); // {from, to, data, oldDesign}
  const [patternDialog, setPatternDialog] = useState(false);
  const clipboard = useRef(null);
  const pasteCount = useRef(0);
  const [pending, setPending] = useState(null); // a connection waiting for its kind
  const [notice, setNotice] = useState("");
  const [help, setHelp] = useState(false);
  const [share, setShare] = useState(false);
  const [drafts, setDrafts] = useState(() => new Map());
  const setDraft = useCallback((key, draft) => {
    setDrafts((previous) => {
      if (!draft && !previous.has(key)) return previous;
      const next = new Map(previous);
      if (draft) next.set(key, draft);
      else next.delete(key);
      return next;
    });
  }, []);
  const [busy, setBusy] = useState(false);
  const designRef = useRef(null);
  const history = useRef({ past: [], future: [], lastKey: null, lastAt: 0 });
  const [, setHistoryTick] = useState(0);
  const selectAfter = useRef(null);
  // The live session: once it has connected, edits go to it as operations and others' edits come from it.
  const liveDocument = useRef(false);
  const live = useLive({
    projectId,
    onDocument: (doc) => {
      liveDocument.current = true;
      designRef.current = doc;
      setDesign(doc);
    },
    onNotice: setNotice,
  });
  const liveRef = useRef(live);
  liveRef.current = live;
  const locked = readOnly || Boolean(viewing) || (live.active && !live.canWrite);
  // The revision on screen: an old one being viewed, else the head. Number, costs, findings and jobs follow it.
  const shownRevision = viewing ? viewing.number : revision;
  const lockedRef = useRef(locked);
  lockedRef.current = locked;

  const { costs, request: requestEstimate } = useEstimate({ api, projectId });
  const jobs = useJobs({ api, projectId });
  const { fit: fitLegibly, reveal, ready: canvasReady } = useLegibleFit();
  const shownTotal = !viewing || costs.revision === viewing.number ? costs.total : null;
  const save = useAutosave({
    api,
    projectId,
    designRef,
    readOnly,
    onSaved: (number) => {
      setRevision(number);
      requestEstimate(number);
      loadFindings(number);
    },
  });

  // What the header says about saving: the live session's pending edits when it is on, else the autosave.
  const saveState = !live.active ? save.state : live.status === "offline" ? "offline" : live.pending ? "saving" : "saved";

  // Review findings of a revision (after each save), and the review comments of the project.
  const findingsTicket = useRef(0);
  const loadFindings = useCallback(
    async (number) => {
      const ticket = ++findingsTicket.current;
      try {
        const { data } = await api.findings(projectId, number);
        if (ticket === findingsTicket.current) setFindings({ revision: number, list: data });
      } catch {
        /* findings are advisory; the canvas works without them */
      }
    },
    [api, projectId],
  );
  const loadComments = useCallback(async () => {
    try {
      const { data } = await api.comments(projectId);
      setComments(data);
    } catch {
      /* as above */
    }
  }, [api, projectId]);
  const revisionRef = useRef(revision);
  revisionRef.current = revision;
  const loadRevisions = useCallback(async () => {
    try {
      if (liveRef.current.active) {
        // The session's edits since its last revision become one first (reading the design does that),
        // so the list ends with what everyone sees now and the head number is current.
        const head = await api.design(projectId);
        const number = etagNumber(head.etag);
        if (number !== revisionRef.current) {
          setRevision(number);
          requestEstimate(number);
          loadFindings(number);
        }
      }
      const { data } = await api.revisions(projectId);
      setRevisions(data.results || data);
      setRevisionsError("");
    } catch (error) {
      setRevisionsError(error.message);
    }
  }, [api, projectId, requestEstimate, loadFindings]);

  const types = useMemo(() => Object.fromEntries((catalog?.types || []).map((t) => [t.type, t])), [catalog]);

  // Load the catalog and the head revision (keeping its ETag for If-Match).
  useEffect(() => {
    Promise.all([api.catalog(), api.design(projectId)])
      .then(([cat, head]) => {
        setCatalog(cat.data);
        if (!liveDocument.current) {
          // (The live session's document, when it came first, is at least as new.)
          designRef.current = head.data;
          setDesign(head.data);
        }
        setRevision(etagNumber(head.etag));
        save.loaded(head.etag);
        requestEstimate(etagNumber(head.etag));
        loadFindings(etagNumber(head.etag));
        loadComments();
      })
      .catch((error) => setLoadError(error.message));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, projectId]);

  // Every edit goes through here: a snapshot for undo, then an autosave. Typing into one field within a
  // moment counts as one edit.
  const commit = useCallback(
    (update, key = null) => {
      if (lockedRef.current) return;
      const previous = designRef.current;
      const next = typeof update === "function" ? update(previous) : update;
      if (!next || next === previous) return;
      const h = history.current;
      const now = Date.now();
      // In a live session an undo sends back only what I changed (the inverse operations), so a
      // teammate's edits made since stay.
      const isLive = liveRef.current.active;
      const forward = isLive ? opsBetween(previous, next) : null;
      const inverse = isLive ? opsBetween(next, previous) : null;
      const last = h.past[h.past.length - 1];
      if (key && h.lastKey === key && now - h.lastAt < 1500 && last) {
        last.after = next;
        last.forward = forward && last.forward ? [...last.forward, ...forward] : null;
        last.inverse = inverse && last.inverse ? [...inverse, ...last.inverse] : null;
      } else {
        h.past.push({ before: previous, after: next, forward, inverse });
        if (h.past.length > HISTORY_LIMIT) h.past.shift();
      }
      h.future = [];
      h.lastKey = key;
      h.lastAt = now;
      designRef.current = next;
      setDesign(next);
      setHistoryTick((t) => t + 1);
      if (isLive) liveRef.current.submit(forward, next);
      else save.changed();
    },
    [save],
  );

  const travel = useCallback(
    (from, to) => {
      if (lockedRef.current) return;
      const h = history.current;
      if (!h[from].length) return;
      const entry = h[from].pop();
      h[to].push(entry);
      h.lastKey = null;
      const back = from === "past";
      let next;
      if (liveRef.current.active) {
        const ops = (back ? entry.inverse : entry.forward) ||
          (back ? opsBetween(entry.after, entry.before) : opsBetween(entry.before, entry.after));
        next = applyOps(designRef.current, ops);
        liveRef.current.submit(ops, next);
      } else {
        next = back ? entry.before : entry.after;
        save.changed();
      }
      designRef.current = next;
      setDesign(next);
      setHistoryTick((t) => t + 1);
    },
    [save],
  );
  const undo = useCallback(() => travel("past", "future"), [travel]);
  const redo = useCallback(() => travel("future", "past"), [travel]);

  const say = useCallback((text) => setNotice(text), []);
  useEffect(() => {
    if (!notice) return undefined;
    const timer = setTimeout(() => setNotice(""), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  // Findings and open comments by component.
  const findingsById = useMemo(() => {
    const by = {};
    for (const f of findings.list) for (const id of f.components || []) (by[id] ||= []).push(f);
    return by;
  }, [findings]);
  const openCommentsById = useMemo(() => {
    const by = {};
    for (const c of comments) if (c.component && !c.resolved) by[c.component] = (by[c.component] || 0) + 1;
    return by;
  }, [comments]);
  const diffById = useMemo(() => {
    if (!diff) return {};
    const by = {};
    for (const c of diff.data.components.added) by[c.id ?? c] = "added";
    for (const c of diff.data.components.changed) by[c.id ?? c] = "changed";
    return by;
  }, [diff]);
  const diffByConnection = useMemo(() => {
    if (!diff?.data.connections) return {};
    const by = {};
    for (const c of diff.data.connections.added) by[c.id] = "added";
    for (const c of diff.data.connections.changed) by[c.id] = "changed";
    return by;
  }, [diff]);

  // Clicking a group's label selects it (React Flow's own selection is for components and connections).
  const selectGroup = useCallback((id) => {
    setSelectedGroupId(id);
    setSelectedId(null);
    setSelectedEdgeId(null);
    setSide("properties");
    setNodes((ns) => (ns.some((n) => n.selected) ? ns.map((n) => (n.selected ? { ...n, selected: false } : n)) : ns));
    setEdges((es) => (es.some((e) => e.selected) ? es.map((e) => (e.selected ? { ...e, selected: false } : e)) : es));
  }, []);
  const positionsRef = useRef({});

  const shown = viewing ? viewing.design : design;
  const large = (shown?.components.length || 0) > LARGE_DESIGN;

  // The canvas is drawn from the document; selection survives a redraw.
  useEffect(() => {
    if (!shown || !catalog) return;

    const tierLabels = Object.fromEntries(catalog.tiers.map((t) => [t.id, t.label]));
    const groupKinds = Object.fromEntries((catalog.group_kinds || []).map((g) => [g.kind, g.label]));
    const focus = selectAfter.current;
    selectAfter.current = null;
    const focusSet = focus ? new Set(Array.isArray(focus) ? focus : [focus]) : null;
    // Components without a saved position get their place in the lane layout (groups kept together).
    const defaults = laneLayout(shown);
    const positions = Object.fromEntries(shown.components.map((c) => [c.id, c.position || defaults[c.id]]));
    positionsRef.current = positions;
    // The lanes reach past the rightmost card, wherever it stands (saved or laid out).
    const right = Math.max(0, ...Object.values(positions).map((p) => p?.x || 0));
    const width = Math.max(760, right + NODE_WIDTH + 160 - LANE_LEFT);
    const boxes = groupBoxes(shown, positions);
    const membered = new Set(shown.components.map((c) => c.group).concat((shown.groups || []).map((g) => g.parent)));
    setNodes((previous) => {
      const selected = new Set(previous.filter((n) => n.selected).map((n) => n.id));
      const lanes = TIERS.map((tier) => ({
        id: `lane:${tier}`,
        type: "tierLane",
        position: { x: LANE_LEFT, y: laneTop(tier) },
        data: { tier, label: tierLabels[tier] || tier, width, height: LANE_HEIGHT },
        ...(large ? { measured: { width, height: LANE_HEIGHT } } : {}),
        draggable: false,
        selectable: false,
        deletable: false,
        connectable: false,
        focusable: false,
        zIndex: -2,
      }));
      const groups = (shown.groups || []).filter((g) => boxes[g.id]).map((g) => ({
        id: `group:${g.id}`,
        type: "group",
        position: { x: boxes[g.id].x1, y: boxes[g.id].y1 },
        data: { id: g.id, kind: g.kind, kindLabel: groupKinds[g.kind] || g.kind, label: g.label,
          width: boxes[g.id].x2 - boxes[g.id].x1, height: boxes[g.id].y2 - boxes[g.id].y1,
          selected: g.id === selectedGroupId, empty: !membered.has(g.id), readOnly: locked, onSelect: selectGroup },
        ...(large ? { measured: { width: boxes[g.id].x2 - boxes[g.id].x1, height: boxes[g.id].y2 - boxes[g.id].y1 } } : {}),
        // Dragged by its label only; the box itself lets clicks and selection drags through to the canvas.
        draggable: !locked,
        dragHandle: ".group-label",
        style: { pointerEvents: "none" },
        selectable: false,
        deletable: false,
        connectable: false,
        focusable: false,
        zIndex: -1,
      }));
      const components = shown.components.map((c) => {
        const found = findingsById[c.id] || [];
        return {
          id: c.id,
          type: "component",
          position: positions[c.id],
          data: {
            component: c,
            ctype: types[c.type],
            cost: !viewing || costs.revision === viewing.number ? costs.byId[c.id] : undefined,
            problems: viewing ? undefined : save.errors.byComponent[c.id],
            findings: found,
            severity: worstSeverity(found),
            openComments: openCommentsById[c.id] || 0,
            diff: diffById[c.id],
          },
          selected: focusSet ? focusSet.has(c.id) : selected.has(c.id),
          ariaLabel: c.label || c.id,
          ...(large ? CARD_UNSEEN : {}),
        };
      });
      const ghosts = diff
        ? diff.oldDesign.components
            .filter((c) => !shown.components.some((x) => x.id === c.id))
            .map((c, index) => ({
              id: `removed:${c.id}`,
              type: "component",
              position: c.position || { x: 80 + index * 200, y: laneTop(c.tier) + 60 },
              data: { component: c, ctype: types[c.type], diff: "removed", findings: [], openComments: 0 },
              draggable: false,
              selectable: false,
              connectable: false,
              deletable: false,
            }))
        : [];
      // Keep what React Flow measured: a rebuilt node without its size is hidden until measured again,
      // and a rebuild that lands in the same render as a measurement would leave it hidden for good.
      const measured = new Map(previous.filter((n) => n.measured).map((n) => [n.id, n.measured]));
      return keepUnchanged(
        previous,
        [...lanes, ...groups, ...components, ...ghosts].map((n) =>
          measured.has(n.id) ? { ...n, measured: measured.get(n.id) } : n,
        ),
      );
    });
    const overRow = detours(shown.connections, positions);
    setEdges((previous) => {
      const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
      const drawn = shown.connections.map((c) => {
        const invalid = !viewing && save.errors.byConnection?.[c.id];
        const changed = diffByConnection[c.id];
        return {
          id: c.id,
          source: c.source,
          target: c.target,
          label: c.label || [c.kind, c.props?.route].filter(Boolean).join(" · "),
          selected: selected.has(c.id),
          type: "floating",
          markerEnd: { type: MarkerType.ArrowClosed },
          data: { kind: c.kind, invalid: Boolean(invalid), detour: overRow.has(c.id) },
          className: `connection kind-${c.kind}${invalid ? " invalid" : ""}${changed ? ` diff-${changed}` : ""}`,
        };
      });
      // In a comparison, connections that are gone are drawn dashed between what is left of their ends.
      const present = new Set(shown.components.map((c) => c.id));
      const ghosts = (diff?.data.connections?.removed || []).map((c) => ({
        id: `removed:${c.id}`,
        source: present.has(c.source) ? c.source : `removed:${c.source}`,
        target: present.has(c.target) ? c.target : `removed:${c.target}`,
        label: c.label || c.kind,
        selectable: false,
        deletable: false,
        type: "floating",
        markerEnd: { type: MarkerType.ArrowClosed },
        data: { kind: c.kind },
        className: `connection kind-${c.kind} diff-removed`,
      }));
      return keepUnchanged(previous, [...drawn, ...ghosts]);
    });
    if (focusSet) {
      setSelectedId(focusSet.size === 1 ? [...focusSet][0] : null);
      setSelectedEdgeId(null);
    }
  }, [shown, viewing, catalog, types, costs.byId, costs.revision, save.errors, findingsById, openCommentsById, diffById, diffByConnection,
    diff, selectedGroupId, locked, selectGroup, large]);

  const onNodesChange = useCallback((changes) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const onEdgesChange = useCallback((changes) => setEdges((es) => applyEdgeChanges(changes, es)), []);

  const onSelectionChange = useCallback(({ nodes: picked, edges: pickedEdges }) => {
    const components = picked.filter((n) => n.type === "component");
    setSelectedId(components.length === 1 ? components[0].id : null);
    setSelectedEdgeId(!components.length && pickedEdges.length === 1 ? pickedEdges[0].id : null);
    if (components.length || pickedEdges.length) setSelectedGroupId(null);
  }, []);

  // Dragging a group's label moves everything in it along, live; the drop is one edit.
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const groupDrag = useRef(null);
  const onNodeDragStart = useCallback((_event, node) => {
    if (node.type !== "group") return;
    const d = designRef.current;
    const family = groupFamily(d, node.data.id);
    const moving = new Set(d.components.filter((c) => family.has(c.group)).map((c) => c.id));
    for (const id of family) if (id !== node.data.id) moving.add(`group:${id}`);
    const start = Object.fromEntries(nodesRef.current.filter((n) => moving.has(n.id)).map((n) => [n.id, n.position]));
    groupDrag.current = { id: node.data.id, origin: node.position, start };
  }, []);
  const onNodeDrag = useCallback((_event, node) => {
    const drag = groupDrag.current;
    if (!drag || node.type !== "group") return;
    const dx = node.position.x - drag.origin.x;
    const dy = node.position.y - drag.origin.y;
    setNodes((ns) =>
      ns.map((n) => (drag.start[n.id] ? { ...n, position: { x: drag.start[n.id].x + dx, y: drag.start[n.id].y + dy } } : n)),
    );
  }, []);

  // Components moved to new places (a drop, arrow keys) snap into the lane under their centre (and move to
  // that tier), and join the innermost group box their centre is in, or none. A multi-selection holding
  // every member of a group moves the group: those members stay in it (the box follows them).
  const placeComponents = useCallback(
    (moved) => {
      const before = designRef.current;
      const boxes = groupBoxes(before, positionsRef.current);
      const wholeGroups = new Set(
        (before.groups || [])
          .filter((g) => {
            const members = before.components.filter((c) => c.group === g.id);
            return Object.keys(moved).length > 1 && members.length > 0 && members.every((c) => moved[c.id]);
          })
          .map((g) => g.id),
      );
      const joined = [];
      commit((d) => {
        const components = d.components.map((c) => {
          if (!moved[c.id]) return c;
          const tier = tierAt(moved[c.id].y + NODE_HEIGHT / 2);
          const position = snapIntoLane(moved[c.id], tier);
          let group = c.group ?? null;
          if (!wholeGroups.has(group)) {
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
        return { ...d, components, groups };
      });
      if (joined.length) {
        const name = (id) => (before.groups || []).find((g) => g.id === id)?.label || id;
        say(joined.map((j) => (j.group ? `${j.id} is now in ${name(j.group)}.` : `${j.id} left its group.`)).join(" "));
      }
    },
    [commit, say],
  );

  const onNodeDragStop = useCallback(
    (_event, node, dragged) => {
      if (node.type === "group") {
        const drag = groupDrag.current;
        groupDrag.current = null;
        if (!drag) return;
        const delta = { x: node.position.x - drag.origin.x, y: node.position.y - drag.origin.y };
        if (delta.x || delta.y) commit((d) => moveGroup(d, drag.id, delta, positionsRef.current));
        return;
      }
      placeComponents(Object.fromEntries(
        dragged.filter((n) => n.type === "component").map((n) => [n.id, n.position]),
      ));
    },
    [commit, placeComponents],
  );

  // Arrow keys on a focused card move the selection (React Flow moves the cards: 5 px, Shift 20 px); the
  // moves of one burst of key presses are placed like a drop, as one edit, once the keys rest.
  const keyMove = useRef(null);
  useEffect(() => {
    const onArrow = (event) => {
      if (!event.key.startsWith("Arrow") || lockedRef.current) return;
      if (!event.target?.closest?.(".react-flow__node-component, .react-flow__nodesselection")) return;
      clearTimeout(keyMove.current);
      keyMove.current = setTimeout(() => {
        const moved = Object.fromEntries(
          nodesRef.current.filter((n) => n.type === "component" && n.selected).map((n) => [n.id, n.position]),
        );
        if (Object.keys(moved).length) placeComponents(moved);
      }, 350);
    };
    window.addEventListener("keydown", onArrow);
    return () => {
      window.removeEventListener("keydown", onArrow);
      clearTimeout(keyMove.current);
    };
  }, [placeComponents]);

  const { recent: recentTypes, remember: rememberType } = useRecentTypes();
  const add = useCallback(
    (ctype, position) => {
      if (lockedRef.current) return;
      const { design: next, id } = addComponent(designRef.current, ctype, position);
      selectAfter.current = id;
      commit(next);
      rememberType(ctype.type);
      say(`Added ${ctype.label} as ${id}.`);
      // A card added from the palette lands right of its lane's others: bring it into view.
      const added = next.components.find((c) => c.id === id);
      if (!position && added?.position) reveal(added.position, { width: NODE_WIDTH, height: NODE_HEIGHT });
    },
    [commit, say, rememberType, reveal],
  );

  const onDrop = useCallback(
    (event) => {
      event.preventDefault();
      const ctype = types[event.dataTransfer.getData(DRAG_TYPE)];
      if (!ctype) return;
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      add(ctype, { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 });
    },
    [add, flow, types],
  );

  const onConnect = useCallback(
    ({ source, target }) => {
      const d = designRef.current;
      const from = d.components.find((c) => c.id === source);
      const to = d.components.find((c) => c.id === target);
      if (!from || !to || source === target) return;
      const kinds = validKinds(catalog, from.type, to.type);
      const names = `${types[from.type]?.label || from.type} → ${types[to.type]?.label || to.type}`;
      if (!kinds.length) {
        const why = exclusionReason(catalog, from.type, to.type);
        say(
          why
            ? `${names} cannot be connected: ${why}.`
            : `${names}: no connection kind fits this pair, so they cannot be connected.`,
        );
      } else if (kinds.length === 1) {
        commit((doc) => addConnection(doc, source, target, kinds[0].kind));
        say(`Connected ${names} (${kinds[0].label}).`);
      } else {
        setPending({ source, target, kinds });
      }
    },
    [catalog, commit, say, types],
  );

  // Layout (L, the Layout button): ELK orders the cards of each lane (elkjs, loaded on first use), then the
  // result is one edit and the view fits it. A design edited meanwhile is left alone.
  const layOut = useCallback(async () => {
    const before = designRef.current;
    const laid = await layeredLayout(before);
    if (designRef.current !== before || lockedRef.current) {
      say("The design changed while it was being laid out; press Layout again.");
      return;
    }
    commit(laid);
    setTimeout(() => fitLegibly(200), 50);
  }, [commit, fitLegibly, say]);

  // Keyboard: delete, undo/redo, help, fit. Delete is handled here rather than by xyflow's key tracking,
  // which can miss a key after modifier chords.
  const selectionRef = useRef({ nodes: [], edges: [] });
  selectionRef.current = {
    nodes: nodes.filter((n) => n.selected && n.type === "component").map((n) => n.id),
    edges: edges.filter((e) => e.selected).map((e) => e.id),
  };
  useEffect(() => {
    const onKey = (event) => {
      if (event.key === "Escape") {
        // Closes any dialog, also from inside one of its fields.
        setHelp(false);
        setShare(false);
        setPending(null);
        setPatternDialog(false);
        return;
      }
      if (typing(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if ((event.key === "Delete" || event.key === "Backspace") && !mod && !lockedRef.current) {
        const { nodes: ids, edges: edgeIds } = selectionRef.current;
        if (ids.length || edgeIds.length) {
          event.preventDefault();
          commit((d) => removeItems(d, ids, edgeIds));
          setSelectedId(null);
          setSelectedEdgeId(null);
        }
      } else if (mod && key === "c") {
        const ids = new Set(selectionRef.current.nodes);
        if (!ids.size) return;
        const d = designRef.current;
        clipboard.current = {
          components: d.components.filter((c) => ids.has(c.id)),
          connections: d.connections.filter((c) => ids.has(c.source) && ids.has(c.target)),
        };
        writeClipboard(clipboard.current);
        pasteCount.current = 0;
        say(`Copied ${ids.size} component${ids.size === 1 ? "" : "s"}.`);
      } else if (mod && key === "v" && !lockedRef.current) {
        // The newest copy from any tab of this site (another project's editor included).
        const clip = readClipboard() || clipboard.current;
        if (!clip) return;
        event.preventDefault();
        if (clip !== clipboard.current) {
          clipboard.current = clip;
          pasteCount.current = 0;
        }
        pasteCount.current += 1;
        const step = 40 * pasteCount.current;
        const { design: next, ids } = duplicate(designRef.current, clip, { x: step, y: step });
        selectAfter.current = ids;
        commit(next);
        say(`Pasted ${ids.length} component${ids.length === 1 ? "" : "s"}.`);
      } else if (!mod && key === "l" && !lockedRef.current) {
        layOut();
      } else if (!mod && key === "h") {
        setSide((s) => (s === "history" ? "properties" : "history"));
      } else if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        redo();
      } else if (event.key === "?") {
        setHelp((h) => !h);
      } else if (!mod && key === "f") {
        fitLegibly(200);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [commit, fitLegibly, flow, layOut, redo, say, undo]);

  // Presence: what I have selected, and my pointer in flow coordinates, for the others in the session.
  const selectionKey = selectionRef.current.nodes.join(" ");
  const { share: sharePresence, status: liveStatus } = live;
  useEffect(() => {
    if (liveStatus === "live") sharePresence({ selection: selectionKey ? selectionKey.split(" ") : [] });
  }, [selectionKey, liveStatus, sharePresence]);
  const shareCursor = useCallback(
    (event) => {
      if (liveStatus !== "live") return;
      sharePresence({ cursor: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }) });
    },
    [flow, liveStatus, sharePresence],
  );
  const hideCursor = useCallback(() => {
    if (liveStatus === "live") sharePresence({ cursor: null });
  }, [liveStatus, sharePresence]);

  // A revision made while I am here (a teammate's save, a restore, a pattern, or the session's own
  // checkpoint announced on connecting): its number, costs and findings.
  useEffect(() => {
    if (!live.revision || live.revision === revision) return;
    setRevision(live.revision);
    requestEstimate(live.revision);
    loadFindings(live.revision);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live.revision]);

  // Warn before leaving with unsaved work.
  useEffect(() => {
    const onLeave = (event) => {
      if (saveState !== "saved") event.preventDefault();
    };
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, [saveState]);

  const reloadTheirs = async () => {
    setBusy(true);
    try {
      const head = await api.design(projectId);
      history.current.past.push({ before: designRef.current, after: head.data }); // mine stays one undo away
      history.current.future = [];
      designRef.current = head.data;
      setDesign(head.data);
      setRevision(etagNumber(head.etag));
      save.loaded(head.etag);
      requestEstimate(etagNumber(head.etag));
      loadFindings(etagNumber(head.etag));
      say("Showing the newest revision; Ctrl+Z brings your version back.");
    } catch (error) {
      say(`Could not reload: ${error.message}`);
    } finally {
      setBusy(false);
    }
  };
  // On a conflict: their revision, and how mine goes on top of it (against the revision both started from).
  const [merge, setMerge] = useState(null);
  useEffect(() => {
    if (!save.conflict) {
      setMerge(null);
      return undefined;
    }
    let current = true;
    api.design(projectId).then(
      (head) => {
        if (!current) return;
        const result = threeWayMerge(save.base.current, designRef.current, head.data);
        setMerge({ theirs: head.data, etag: head.etag, number: etagNumber(head.etag), result });
      },
      (error) => current && say(`Could not read their revision: ${error.message}`),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.conflict]);
  const keepMine = (choices) => {
    const mine = designRef.current;
    const next = merge.result.merged(choices);
    history.current.past.push({ before: mine, after: next }); // mine alone stays one undo away
    history.current.future = [];
    designRef.current = next;
    setDesign(next);
    setRevision(merge.number);
    save.rebase(merge.etag);
  };

  // A new head from the server (restore, pattern): mine stays one undo away. In a live session the new
  // head reaches everyone (me included) as a replace operation, so only its number is taken here.
  const adoptHead = (doc, etag) => {
    if (!live.active) {
      history.current.past.push({ before: designRef.current, after: doc });
      history.current.future = [];
      designRef.current = doc;
      setDesign(doc);
    }
    setRevision(etagNumber(etag));
    save.loaded(etag);
    requestEstimate(etagNumber(etag));
    loadFindings(etagNumber(etag));
    if (side === "history") loadRevisions();
  };

  const openRevision = async (number) => {
    try {
      const { data } = await api.revision(projectId, number);
      setDiff(null);
      setSelectedId(null);
      setSelectedEdgeId(null);
      setViewing({ number, design: data.design, author: data.author?.username, created_at: data.created_at });
      loadFindings(number);
      requestEstimate(number);
    } catch (error) {
      say(`Could not open revision ${number}: ${error.message}`);
    }
  };
  const closeRevision = () => {
    setViewing(null);
    loadFindings(revision);
    requestEstimate(revision);
  };
  const compareRevision = async (number) => {
    try {
      const [{ data }, old] = await Promise.all([api.diff(projectId, number, revision), api.revision(projectId, number)]);
      if (viewing) requestEstimate(revision);
      setViewing(null);
      setDiff({ from: number, to: revision, data, oldDesign: old.data.design });
      loadFindings(revision);
    } catch (error) {
      say(`Could not compare with revision ${number}: ${error.message}`);
    }
  };
  // The ETag to save on: in a live session the live edits become a revision first (reading does that).
  const headEtag = async () => (live.active ? (await api.design(projectId)).etag : save.etag.current);
  const restoreRevision = async (number) => {
    if (saveState !== "saved") {
      say("Wait until your changes are saved, then restore.");
      return;
    }
    try {
      const old = viewing?.number === number ? viewing.design : (await api.revision(projectId, number)).data.design;
      const { data, etag } = await api.saveDesign(projectId, old, await headEtag(), `Restored revision ${number}`);
      setViewing(null);
      setDiff(null);
      adoptHead(data.design, etag);
      say(`Restored revision ${number} as revision ${data.revision.number}.`);
      loadRevisions();
    } catch (error) {
      say(error.status === 412
        ? "A teammate saved first: reload the design, then restore."
        : `Could not restore revision ${number}: ${error.message}`);
    }
  };
  const applyPattern = async (slug, mapping) => {
    if (saveState !== "saved") throw new Error("Wait until your changes are saved.");
    await api.applyPattern(projectId, slug, mapping, await headEtag());
    const head = await api.design(projectId);
    adoptHead(head.data, head.etag);
    setPatternDialog(false);
    setTimeout(() => fitLegibly(200), 50);
    say(`Inserted the ${slug} pattern.`);
  };
  const reply = async (comment, text) => {
    await api.reply(projectId, comment.id, text);
    await loadComments();
  };
  const resolve = async (comment, resolved) => {
    await api.resolve(projectId, comment.id, resolved);
    await loadComments();
  };
  const addGroup = (kind) => {
    const { design: next, id } = addGroupTo(designRef.current, kind, kind === "vpc" ? "VPC" : "Account");
    commit(next);
    selectGroup(id);
    say(`Added the group ${id}: drag components onto its box, or choose it in a component's properties.`);
  };
  const removeGroup = (id) => {
    commit((d) => removeGroupFrom(d, id));
    setSelectedGroupId(null);
  };

  if (loadError) return <p className="studio-error" role="alert">The editor could not load: {loadError}</p>;
  if (!design || !catalog) return <p className="studio-loading">Loading the design…</p>;

  const selected = shown.components.find((c) => c.id === selectedId) || null;
  const selectedEdge = !selected ? shown.connections.find((c) => c.id === selectedEdgeId) || null : null;
  const selectedGroup =
    !selected && !selectedEdge ? (shown.groups || []).find((g) => g.id === selectedGroupId) || null : null;
  const h = history.current;
  // Every member may answer a reviewer; only editors resolve (the API enforces both).
  const canResolve = !readOnly;
  const componentComments = selected ? comments.filter((c) => c.component === selected.id) : [];
  const kindsFor = (conn) => {
    const from = shown.components.find((c) => c.id === conn.source);
    const to = shown.components.find((c) => c.id === conn.target);
    return from && to ? validKinds(catalog, from.type, to.type) : [];
  };
  const costDelta = diff?.data.cost;
  let side_panel;
  const invalidFields = liveDrafts(drafts, design).filter(([, d]) => d.message).length;
  const draftScope = selectedGroup ? `group:${selectedGroup.id}` : selectedEdge ? `connection:${selectedEdge.id}`
    : selected ? `component:${selected.id}` : "none";
  // Drafts belong to the head design: an old revision's read-only panels show none.
  const draftContext = { scope: viewing ? `viewing:${draftScope}` : draftScope, drafts, setDraft };
  if (side === "history") {
    side_panel = (
      <RevisionsPanel revisions={revisions} error={revisionsError} head={revision} viewing={viewing?.number}
        canRestore={!readOnly} onOpen={openRevision} onCompare={compareRevision} onRestore={restoreRevision}
        onRefresh={loadRevisions} />
    );
  } else if (selectedGroup) {
    const kindInfo = (catalog.group_kinds || []).find((k) => k.kind === selectedGroup.kind);
    const family = groupFamily(shown, selectedGroup.id);
    side_panel = (
      <GroupPanel key={selectedGroup.id} group={selectedGroup} kindInfo={kindInfo}
        parents={possibleParents(shown, selectedGroup, kindInfo)}
        members={shown.components.filter((c) => family.has(c.group))}
        errors={viewing ? undefined : save.errors.byGroup?.[selectedGroup.id]} readOnly={locked}
        onChange={(change, key) => commit((d) => updateGroup(d, selectedGroup.id, change), key)}
        onRemove={() => removeGroup(selectedGroup.id)} />
    );
  } else if (selectedEdge) {
    side_panel = (
      <ConnectionPanel key={selectedEdge.id} connection={selectedEdge} kinds={kindsFor(selectedEdge)}
        kindInfo={catalog.connection_kinds.find((k) => k.kind === selectedEdge.kind)}
        source={shown.components.find((c) => c.id === selectedEdge.source)}
        target={shown.components.find((c) => c.id === selectedEdge.target)}
        errors={save.errors.byConnection?.[selectedEdge.id]} readOnly={locked}
        onChange={(change, key) => commit((d) => updateConnection(d, selectedEdge.id, change), key)}
        onDelete={() => {
          commit((d) => removeItems(d, [], [selectedEdge.id]));
          setSelectedEdgeId(null);
        }} />
    );
  } else {
    side_panel = (
      <PropertiesPanel key={selected?.id || "none"} component={selected} ctype={selected && types[selected.type]}
        errors={selected && !viewing ? save.errors.byComponent[selected.id] : undefined} readOnly={locked}
        groups={shown.groups || []}
        onChange={(change, key) => commit((d) => updateComponent(d, selected.id, change), key)}>
        {selected ? (
          <>
            <FindingsList findings={findingsById[selected.id]} />
            <CommentsList comments={componentComments} canReply canResolve={canResolve} onReply={reply} onResolve={resolve} />
          </>
        ) : (
          <>
            <FindingsList findings={findings.list} title="Review findings (whole design)" showComponents />
            <CommentsList comments={comments} title="Review comments" canReply canResolve={canResolve} onReply={reply}
              onResolve={resolve} showComponent />
            <section className="feedback groups" data-groups-list>
              <h3>Groups</h3>
              {(shown.groups || []).length === 0 && <p className="muted small">No VPC or account groups yet.</p>}
              <ul>
                {(shown.groups || []).map((g) => (
                  <li key={g.id} data-group-row={g.id}>
                    <button type="button" className="link" data-action="select-group" onClick={() => selectGroup(g.id)}>
                      {g.label || g.id}
                    </button>{" "}
                    <span className="muted small">({g.kind}, {shown.components.filter((c) => c.group === g.id).length} members)</span>
                    {!locked && <button type="button" className="link small" onClick={() => removeGroup(g.id)}>remove</button>}
                  </li>
                ))}
              </ul>
              {!locked && (
                <p>
                  <button type="button" className="secondary" data-action="add-group-vpc" onClick={() => addGroup("vpc")}>Add VPC</button>{" "}
                  <button type="button" className="secondary" data-action="add-group-account" onClick={() => addGroup("account")}>Add account</button>
                </p>
              )}
            </section>
          </>
        )}
      </PropertiesPanel>
    );
  }
  return (
    <div className="studio" data-revision={revision ?? ""} data-readonly={locked ? "true" : "false"}
      data-viewing={viewing?.number ?? ""} data-findings-revision={findings.revision ?? ""}>
      <header className="studio-header">
        <div className="studio-title">
          <a href={projectUrl} className="back" title="Back to the project page">←</a>
          <h1>{design.name}</h1>
          <span className={`save-state ${invalidFields && !locked ? "error" : saveState}`} data-save-state={saveState}
            data-pending-edits={live.active ? live.pending : ""} data-invalid-fields={invalidFields} role="status">
            {locked ? "Read only"
              : invalidFields ? `Not saved: ${invalidFields} invalid field${invalidFields > 1 ? "s" : ""}`
              : saveLabel(saveState, live.pending)}
          </span>
          <span className="revision-number" data-shown-revision={shownRevision ?? ""} data-head-revision={revision ?? ""}
            title={viewing ? `Viewing revision ${viewing.number}; the newest is ${revision}` : "The newest revision"}>
            {shownRevision ? `r${shownRevision} of ${revision}` : ""}
          </span>
          {save.state === "error" && !readOnly && !live.active && (
            <button type="button" className="link" onClick={save.retry}>Retry</button>
          )}
          <PresenceBar live={live} />
        </div>
        <div className="studio-tools">
          <span className="total-cost" data-total-cost={shownTotal ?? ""} data-cost-status={costs.status} data-cost-revision={costs.revision ?? ""}
            title={costs.status === "waiting"
              ? "The estimate is queued and no worker has taken it yet; is a Celery worker running?"
              : costs.revision ? `Estimate of revision ${costs.revision}, free tier off` : ""}>
            {shownTotal === null ? "Cost: …" : `${formatUsd(shownTotal)}/month`}
          </span>
          {!locked && (
            <>
              <button type="button" className="secondary" disabled={!h.past.length} onClick={undo} title="Undo (Ctrl+Z)">Undo</button>
              <button type="button" className="secondary" disabled={!h.future.length} onClick={redo} title="Redo (Ctrl+Shift+Z)">Redo</button>
              <button type="button" className="secondary" data-action="auto-layout" title="Lay out by tier (L)"
                onClick={layOut}>Layout</button>
              <button type="button" className="secondary" data-action="insert-pattern" onClick={() => setPatternDialog(true)}>Insert pattern</button>
            </>
          )}
          <button type="button" className={`secondary${side === "history" ? " active" : ""}`} data-action="history"
            title="Revisions (H)" onClick={() => { setSide((s) => (s === "history" ? "properties" : "history")); loadRevisions(); }}>History</button>
          <JobButtons jobs={jobs} revision={shownRevision} disabled={!shownRevision} />
          {!readOnly && (
            <button type="button" className="secondary" data-action="share" onClick={() => setShare(true)}
              title="Review links: share this design read-only">Share</button>
          )}
          <button type="button" className="secondary" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">?</button>
        </div>
      </header>
      {viewing && (
        <div className="mode-banner viewing" data-banner="viewing" role="status">
          <strong>Viewing revision {viewing.number} (read only)</strong>
          <span className="muted small"> · {viewing.author} · {new Date(viewing.created_at).toLocaleString()}</span>
          {!readOnly && <button type="button" data-action="restore-viewing" onClick={() => restoreRevision(viewing.number)}>Restore as new revision</button>}
          <button type="button" className="secondary" onClick={() => compareRevision(viewing.number)}>Compare with current</button>
          <button type="button" className="secondary" data-action="close-viewing" onClick={closeRevision}>Back to current</button>
        </div>
      )}
      {diff && (
        <div className="mode-banner diff" data-banner="diff" role="status">
          <strong>Changes from r{diff.from} to r{diff.to}:</strong>{" "}
          <span className="diff-tag diff-added">+{diff.data.summary.components.added} added</span>{" "}
          <span className="diff-tag diff-removed">−{diff.data.summary.components.removed} removed</span>{" "}
          <span className="diff-tag diff-changed">~{diff.data.summary.components.changed} changed</span>
          {diff.data.summary.connections && (
            <span className="muted small" data-diff-connections>
              {" "}· connections +{diff.data.summary.connections.added} −{diff.data.summary.connections.removed} ~{diff.data.summary.connections.changed}
            </span>
          )}
          {costDelta && (
            <span className="cost-delta" data-cost-delta={costDelta.total_delta_usd}>
              {" "}· cost {formatUsd(costDelta.old_total_monthly_usd)} → {formatUsd(costDelta.new_total_monthly_usd)}/month (
              {costDelta.total_delta_usd >= 0 ? "+" : "−"}{formatUsd(Math.abs(costDelta.total_delta_usd))})
            </span>
          )}
          <button type="button" className="secondary" data-action="close-diff" onClick={() => setDiff(null)}>Close comparison</button>
        </div>
      )}
      {(notice || save.failure || save.errors.general.length > 0 || costs.status === "waiting") && (
        <div className="studio-messages">
          {notice && <p className="notice" data-message role="status">{notice}</p>}
          {costs.status === "waiting" && (
            <p className="notice" data-notice="waiting-for-worker" role="status">
              Jobs are queued but no worker has taken them yet, so costs, renders and exports are waiting for a
              worker. Is a Celery worker running (<code>make run</code> starts one)? They finish by themselves once
              one does.
            </p>
          )}
          {save.failure && <p className="notice error" role="alert">{save.failure}</p>}
          {save.errors.general.map((text) => <p key={text} className="notice error">{text}</p>)}
        </div>
      )}
      <div className="studio-body">
        <Palette catalog={catalog} readOnly={locked} onAdd={(t) => add(t)} recent={recentTypes} />
        <div className="canvas" data-canvas-ready={canvasReady ? "true" : undefined} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop}
          onMouseMove={shareCursor} onMouseLeave={hideCursor}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            defaultEdgeOptions={{ type: "floating" }}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onSelectionChange={onSelectionChange}
            onPaneClick={() => setSelectedGroupId(null)}
            onNodeDragStart={onNodeDragStart}
            onNodeDrag={onNodeDrag}
            onNodeDragStop={onNodeDragStop}
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
              <ControlButton className="react-flow__controls-fitview" onClick={() => fitLegibly(200)}
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
        <DraftContext.Provider value={draftContext}>{side_panel}</DraftContext.Provider>
      </div>
      {pending && (
        <KindChooser pending={pending} onCancel={() => setPending(null)}
          onChoose={(kind) => {
            commit((d) => addConnection(d, pending.source, pending.target, kind));
            setPending(null);
          }} />
      )}
      {save.conflict && <MergeDialog merge={merge} busy={busy} onReload={reloadTheirs} onMerge={keepMine} />}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {share && <ShareDialog api={api} projectId={projectId} revision={shownRevision} onClose={() => setShare(false)} />}
      {patternDialog && (
        <PatternDialog api={api} design={design} onApply={applyPattern} onCancel={() => setPatternDialog(false)} />
      )}
    </div>
  );
}

export default function Editor(props) {
  return (
    <ReactFlowProvider>
      <Studio {...props} />
    </ReactFlowProvider>
  );
}
