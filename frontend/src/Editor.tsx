import { ReactFlowProvider, applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Api } from "./api";
import { HelpOverlay, KindChooser } from "./components/Dialogs";
import MergeDialog from "./components/MergeDialog";
import { DiffBanner, StudioMessages, ViewingBanner } from "./components/ModeBanners";
import PatternDialog from "./components/PatternDialog";
import ShareDialog from "./components/ShareDialog";
import SidePanel from "./components/SidePanel";
import StudioCanvas from "./components/StudioCanvas";
import StudioHeader from "./components/StudioHeader";
import Palette from "./components/Palette";
import { cardPositions, drawEdges, drawNodes, isLarge, type ConnectionEdge, type StudioNode } from "./canvas";
import { useClipboard } from "./clipboard";
import { addGroup as addGroupTo, removeGroup as removeGroupFrom, removeItems } from "./design";
import { DraftContext, liveDrafts, useDrafts } from "./drafts";
import { useArrowMoves, useShortcuts } from "./keyboard";
import { layeredLayout } from "./layout";
import { useNotice } from "./notice";
import { useMoves } from "./placement";
import { useRecentTypes } from "./recentTypes";
import { useReview } from "./review";
import { diffMarks, etagNumber, shownTotal, useRevisionList, useRevisionView } from "./revisionView";
import { selectedOnCanvas, useSelection } from "./selection";
import { useAdding } from "./useAdding";
import { useAutosave } from "./useAutosave";
import { useConflict } from "./useConflict";
import { useEstimate } from "./useEstimate";
import { useHistory } from "./useHistory";
import { useJobs } from "./useJobs";
import { useLegibleFit } from "./useLegibleFit";
import { useLive, type Live } from "./useLive";
import { usePresence } from "./usePresence";
import type { Catalog, Design } from "./types";
import type { ShownSaveState } from "./components/StudioHeader";

export interface EditorProps {
  api: Api;
  projectId: number;
  readOnly: boolean;
  projectUrl?: string;
}
type Dialog = "help" | "share" | "pattern";

// The studio: a composition of the hooks that each keep one part of it (history, selection, clipboard,
// keyboard, the revision viewed, review feedback, jobs, the live session) around the React Flow canvas.
function Studio({ api, projectId, readOnly, projectUrl }: EditorProps) {
  const flow = useReactFlow();
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [loadError, setLoadError] = useState("");
  const [revision, setRevision] = useState<number | null>(null); // the head's number
  const [nodes, setNodes] = useState<StudioNode[]>([]);
  const [edges, setEdges] = useState<ConnectionEdge[]>([]);
  const [side, setSide] = useState<"properties" | "history">("properties");
  const [dialogs, setDialogs] = useState<Partial<Record<Dialog, boolean>>>({}); // which are open
  const dialog = {
    open: (name: Dialog) => setDialogs((d) => ({ ...d, [name]: true })),
    close: (name: Dialog) => setDialogs((d) => ({ ...d, [name]: false })),
  };
  const [notice, say] = useNotice();
  const { drafts, setDraft } = useDrafts();
  const designRef = useRef<Design | null>(null);
  const liveRef = useRef<Live | null>(null);
  const lockedRef = useRef(false);
  const headRef = useRef(revision);
  headRef.current = revision;

  const { costs, request: requestEstimate } = useEstimate({ api, projectId });
  const review = useReview({ api, projectId });
  const { loadFindings } = review;
  const jobs = useJobs({ api, projectId });
  const { fit: fitLegibly, reveal, ready: canvasReady } = useLegibleFit();
  // A revision's costs and findings (the head after a save, or one being viewed).
  const follow = useCallback(
    (number: number | null, { estimate = true } = {}) => {
      if (estimate) requestEstimate(number);
      loadFindings(number);
    },
    [requestEstimate, loadFindings],
  );
  const setHead = useCallback(
    (number: number, { follow: andFollow = true } = {}) => {
      setRevision(number);
      if (andFollow) follow(number);
    },
    [follow],
  );
  const save = useAutosave({ api, projectId, designRef, readOnly, onSaved: (number) => setHead(number) });
  const history = useHistory({ designRef, lockedRef, liveRef, save });
  const { design, commit, show } = history;
  // The live session: once it has connected, edits go to it as operations and others' edits come from it.
  const liveDocument = useRef(false);
  const live = useLive({
    projectId,
    onDocument: (doc) => {
      liveDocument.current = true;
      show(doc);
    },
    onNotice: say,
  });
  liveRef.current = live;
  const selection = useSelection({ setNodes, setEdges, setSide });
  const { selectGroup, selectAfter, focused } = selection;
  const list = useRevisionList({ api, projectId, liveRef, headRef, newHead: setHead });
  // What the header says about saving: the live session's pending edits when it is on, else the autosave.
  const saveState: ShownSaveState = !live.active ? save.state : live.status === "offline" ? "offline" : live.pending ? "saving" : "saved";
  // A new head from the server (restore, pattern): mine stays one undo away. In a live session the new
  // head reaches everyone (me included) as a replace operation, so only its number is taken here.
  const adoptHead = (doc: Design, etag: string | null) => {
    if (!live.active) history.replace(doc);
    setHead(etagNumber(etag));
    save.loaded(etag);
    if (side === "history") list.load();
  };
  // The ETag to save on: in a live session the live edits become a revision first (reading does that).
  const headEtag = async () => (live.active ? (await api.design(projectId)).etag : save.etag.current);
  const view = useRevisionView({ api, projectId, head: revision, say, follow, clearSelection: selection.clear, adoptHead,
    headEtag, saveState });
  const { viewing, diff } = view;
  const locked = readOnly || Boolean(viewing) || (live.active && !live.canWrite);
  lockedRef.current = locked;
  // The revision on screen: an old one being viewed, else the head. Number, costs, findings and jobs follow it.
  const shownRevision = viewing ? viewing.number : revision;
  const conflict = useConflict({ api, projectId, save, designRef, replace: history.replace, setHead, say });
  const types = useMemo(() => Object.fromEntries((catalog?.types || []).map((t) => [t.type, t])), [catalog]);

  // Load the catalog and the head revision (keeping its ETag for If-Match).
  useEffect(() => {
    Promise.all([api.catalog(), api.design(projectId)])
      .then(([cat, head]) => {
        setCatalog(cat.data);
        // (The live session's document, when it came first, is at least as new.)
        if (!liveDocument.current) show(head.data);
        setRevision(etagNumber(head.etag));
        save.loaded(head.etag);
        follow(etagNumber(head.etag));
        review.loadComments();
      })
      .catch((error) => setLoadError(error.message));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, projectId]);

  const marks = useMemo(() => diffMarks(diff), [diff]);
  const positionsRef = useRef({});
  const shown = viewing ? viewing.design : design;
  const large = isLarge(shown);

  // The canvas is drawn from the document; selection survives a redraw.
  useEffect(() => {
    if (!shown || !catalog) return;
    const after = selectAfter.current;
    selectAfter.current = null;
    const focus = after ? new Set(Array.isArray(after) ? after : [after]) : null;
    const positions = cardPositions(shown);
    positionsRef.current = positions;
    const costsShown = { byId: costs.byId, revision: costs.revision };
    setNodes((previous) => drawNodes(previous, { shown, positions, catalog, types, focus, large, locked, viewing, costs: costsShown,
      errors: save.errors, findingsById: review.findingsById, openCommentsById: review.openCommentsById,
      diffById: marks.components, diff, selectedGroupId: selection.groupId, selectGroup }));
    setEdges((previous) => drawEdges(previous, { shown, positions, viewing, errors: save.errors,
      diffByConnection: marks.connections, diff }));
    if (focus) focused(focus);
  }, [shown, viewing, catalog, types, costs.byId, costs.revision, save.errors, review.findingsById, review.openCommentsById, marks,
    diff, selection.groupId, locked, selectGroup, large, selectAfter, focused]);

  const onNodesChange = useCallback((changes: NodeChange<StudioNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const onEdgesChange = useCallback((changes: EdgeChange<ConnectionEdge>[]) => setEdges((es) => applyEdgeChanges(changes, es)), []);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const moves = useMoves({ designRef, positionsRef, nodesRef, setNodes, commit, say });
  useArrowMoves({ nodesRef, lockedRef, place: moves.place });

  const { recent: recentTypes, remember: rememberType } = useRecentTypes();
  const adding = useAdding({ designRef, lockedRef, catalog, types, commit, selectAfter, say, rememberType, reveal, flow });

  // Layout (L, the Layout button): ELK orders the cards of each lane (elkjs, loaded on first use), then the
  // result is one edit and the view fits it. A design edited meanwhile is left alone.
  const layOut = useCallback(async () => {
    const before = designRef.current;
    if (!before) return;
    const laid = await layeredLayout(before);
    if (designRef.current !== before || lockedRef.current) {
      say("The design changed while it was being laid out; press Layout again.");
      return;
    }
    commit(laid);
    setTimeout(() => fitLegibly(200), 50);
  }, [designRef, commit, fitLegibly, say]);

  const picked = selectedOnCanvas(nodes, edges);
  const clipboard = useClipboard({ designRef, commit, selectAfter, say });
  useShortcuts({
    // Closes any dialog, also from inside one of its fields.
    close: () => {
      setDialogs({});
      adding.cancel();
    },
    delete: (event: KeyboardEvent) => {
      if (!picked.nodes.length && !picked.edges.length) return;
      event.preventDefault();
      commit((d) => removeItems(d, picked.nodes, picked.edges));
      selection.clear();
    },
    copy: () => clipboard.copy(picked.nodes),
    paste: (event: KeyboardEvent) => clipboard.paste() && event.preventDefault(),
    layout: () => layOut(),
    history: () => setSide((s) => (s === "history" ? "properties" : "history")),
    undo: (event: KeyboardEvent) => {
      event.preventDefault();
      history.undo();
    },
    redo: (event: KeyboardEvent) => {
      event.preventDefault();
      history.redo();
    },
    help: () => setDialogs((d) => ({ ...d, help: !d.help })),
    fit: () => fitLegibly(200),
  }, lockedRef);

  const presence = usePresence({ live, flow, selection: picked.nodes });

  // A revision made while I am here (a teammate's save, a restore, a pattern, or the session's own
  // checkpoint announced on connecting): its number, costs and findings.
  useEffect(() => {
    if (!live.revision || live.revision === revision) return;
    setHead(live.revision);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live.revision]);

  // Warn before leaving with unsaved work.
  useEffect(() => {
    const onLeave = (event: BeforeUnloadEvent) => {
      if (saveState !== "saved") event.preventDefault();
    };
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, [saveState]);

  const applyPattern = async (slug: string, mapping: Record<string, string>) => {
    if (saveState !== "saved") throw new Error("Wait until your changes are saved.");
    await api.applyPattern(projectId, slug, mapping, await headEtag());
    const head = await api.design(projectId);
    adoptHead(head.data, head.etag);
    dialog.close("pattern");
    setTimeout(() => fitLegibly(200), 50);
    say(`Inserted the ${slug} pattern.`);
  };
  const groupActions = {
    select: selectGroup,
    add: (kind: string) => {
      if (!designRef.current) return;
      const { design: next, id } = addGroupTo(designRef.current, kind, kind === "vpc" ? "VPC" : "Account");
      commit(next);
      selectGroup(id);
      say(`Added the group ${id}: drag components onto its box, or choose it in a component's properties.`);
    },
    remove: (id: string) => {
      commit((d) => removeGroupFrom(d, id));
      selection.setGroupId(null);
    },
  };

  if (loadError) return <p className="studio-error" role="alert">The editor could not load: {loadError}</p>;
  if (!design || !catalog || !shown) return <p className="studio-loading">Loading the design…</p>;

  const selected = shown.components.find((c) => c.id === selection.componentId) || null;
  const selectedEdge = !selected ? shown.connections.find((c) => c.id === selection.connectionId) || null : null;
  const selectedGroup = !selected && !selectedEdge ? (shown.groups || []).find((g) => g.id === selection.groupId) || null : null;
  const invalidFields = liveDrafts(drafts, design).filter(([, d]) => d.message).length;
  const draftScope = selectedGroup ? `group:${selectedGroup.id}` : selectedEdge ? `connection:${selectedEdge.id}`
    : selected ? `component:${selected.id}` : "none";
  // Drafts belong to the head design: an old revision's read-only panels show none.
  const draftContext = { scope: viewing ? `viewing:${draftScope}` : draftScope, drafts, setDraft };
  const restore = (number: number) => view.restore(number, { reload: list.load });
  const revisions = { list: list.revisions, error: list.error, open: view.open, compare: view.compare, restore, refresh: list.load };
  return (
    <div className="studio" data-revision={revision ?? ""} data-readonly={locked ? "true" : "false"}
      data-viewing={viewing?.number ?? ""} data-findings-revision={review.findings.revision ?? ""}>
      <StudioHeader name={design.name} projectUrl={projectUrl} locked={locked} readOnly={readOnly} saveState={saveState}
        invalidFields={invalidFields} live={live} save={save} revision={revision} shownRevision={shownRevision} viewing={viewing}
        costs={costs} total={shownTotal(costs, viewing)} history={history} side={side} jobs={jobs} onLayout={layOut}
        onPattern={() => dialog.open("pattern")} onShare={() => dialog.open("share")} onHelp={() => dialog.open("help")}
        onHistory={() => { setSide((s) => (s === "history" ? "properties" : "history")); list.load(); }} />
      {viewing && (
        <ViewingBanner viewing={viewing} readOnly={readOnly} onRestore={() => restore(viewing.number)}
          onCompare={() => view.compare(viewing.number)} onClose={view.close} />
      )}
      {diff && <DiffBanner diff={diff} onClose={view.closeDiff} />}
      <StudioMessages notice={notice} save={save} costs={costs} />
      <div className="studio-body">
        <Palette catalog={catalog} readOnly={locked} onAdd={(t) => adding.add(t)} recent={recentTypes} />
        <StudioCanvas nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange}
          onSelectionChange={selection.onSelectionChange} onPaneClick={() => selection.setGroupId(null)} drag={moves}
          onConnect={adding.onConnect} onDrop={adding.onDrop} onPointer={presence.shareCursor} onPointerLeave={presence.hideCursor}
          onFit={() => fitLegibly(200)} locked={locked} large={large} ready={canvasReady} live={live} jobs={jobs} />
        <DraftContext.Provider value={draftContext}>
          <SidePanel side={side} shown={shown} catalog={catalog} types={types} selected={selected} selectedEdge={selectedEdge}
            selectedGroup={selectedGroup} locked={locked} readOnly={readOnly} viewing={viewing} errors={save.errors} commit={commit}
            review={review} revisions={revisions} head={revision} onDeleteConnection={() => selection.setConnectionId(null)}
            groupActions={groupActions} />
        </DraftContext.Provider>
      </div>
      {adding.pending && <KindChooser pending={adding.pending} onCancel={adding.cancel} onChoose={adding.choose} />}
      {save.conflict && <MergeDialog merge={conflict.merge} busy={conflict.busy} onReload={conflict.reloadTheirs} onMerge={conflict.keepMine} />}
      {dialogs.help && <HelpOverlay onClose={() => dialog.close("help")} />}
      {dialogs.share && <ShareDialog api={api} projectId={projectId} revision={shownRevision} onClose={() => dialog.close("share")} />}
      {dialogs.pattern && <PatternDialog api={api} design={design} onApply={applyPattern} onCancel={() => dialog.close("pattern")} />}
    </div>
  );
}

export default function Editor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <Studio {...props} />
    </ReactFlowProvider>
  );
}
