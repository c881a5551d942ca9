import type { Viewing } from "../canvas";
import type { useReview } from "../review";
import type { Catalog, Component, ComponentType, Connection, Design, Group, RevisionSummary, SaveErrors } from "../types";
import type { Commit } from "../useHistory";
import { groupFamily, possibleParents, removeItems, updateComponent, updateConnection, updateGroup, validKinds } from "../design";
import ConnectionPanel from "./ConnectionPanel";
import { CommentsList, FindingsList } from "./Feedback";
import GroupPanel from "./GroupPanel";
import PropertiesPanel from "./PropertiesPanel";
import RevisionsPanel from "./RevisionsPanel";

// The list of groups, with adding and removing, when nothing is selected.
export interface GroupActions {
  select: (id: string) => void;
  add: (kind: string) => void;
  remove: (id: string) => void;
}

function GroupsList({ shown, locked, onSelect, onAdd, onRemove }: {
  shown: Design;
  locked: boolean;
  onSelect: GroupActions["select"];
  onAdd: GroupActions["add"];
  onRemove: GroupActions["remove"];
}) {
  const groups = shown.groups || [];
  return (
    <section className="feedback groups" data-groups-list>
      <h3>Groups</h3>
      {groups.length === 0 && <p className="muted small">No VPC or account groups yet.</p>}
      <ul>
        {groups.map((g) => (
          <li key={g.id} data-group-row={g.id}>
            <button type="button" className="link" data-action="select-group" onClick={() => onSelect(g.id)}>
              {g.label || g.id}
            </button>{" "}
            <span className="muted small">({g.kind}, {shown.components.filter((c) => c.group === g.id).length} members)</span>
            {!locked && <button type="button" className="link small" onClick={() => onRemove(g.id)}>remove</button>}
          </li>
        ))}
      </ul>
      {!locked && (
        <p>
          <button type="button" className="secondary" data-action="add-group-vpc" onClick={() => onAdd("vpc")}>Add VPC</button>{" "}
          <button type="button" className="secondary" data-action="add-group-account" onClick={() => onAdd("account")}>Add account</button>
        </p>
      )}
    </section>
  );
}

// The panel right of the canvas: the revisions (history), else the selected group, connection or
// component, else the whole design's findings, comments and groups.
interface Props {
  side: "properties" | "history";
  shown: Design;
  catalog: Catalog;
  types: Record<string, ComponentType>;
  selected: Component | null;
  selectedEdge: Connection | null;
  selectedGroup: Group | null;
  locked: boolean;
  readOnly: boolean;
  viewing: Viewing | null;
  errors: SaveErrors;
  commit: Commit;
  review: ReturnType<typeof useReview>;
  revisions: {
    list: RevisionSummary[] | null;
    error: string;
    open: (number: number) => void;
    compare: (number: number) => void;
    restore: (number: number) => void;
    refresh: () => void;
  };
  head: number | null;
  onDeleteConnection: () => void;
  groupActions: GroupActions;
}

export default function SidePanel({ side, shown, catalog, types, selected, selectedEdge, selectedGroup, locked, readOnly, viewing,
  errors, commit, review, revisions, head, onDeleteConnection, groupActions }: Props) {
  if (side === "history") {
    return (
      <RevisionsPanel revisions={revisions.list} error={revisions.error} head={head} viewing={viewing?.number}
        canRestore={!readOnly} onOpen={revisions.open} onCompare={revisions.compare} onRestore={revisions.restore}
        onRefresh={revisions.refresh} />
    );
  }
  if (selectedGroup) {
    const kindInfo = (catalog.group_kinds || []).find((k) => k.kind === selectedGroup.kind);
    const family = groupFamily(shown, selectedGroup.id);
    return (
      <GroupPanel key={selectedGroup.id} group={selectedGroup} kindInfo={kindInfo}
        parents={possibleParents(shown, selectedGroup, kindInfo)}
        members={shown.components.filter((c) => Boolean(c.group) && family.has(c.group ?? ""))}
        errors={viewing ? undefined : errors.byGroup?.[selectedGroup.id]} readOnly={locked}
        onChange={(change, key) => commit((d) => updateGroup(d, selectedGroup.id, change), key)}
        onRemove={() => groupActions.remove(selectedGroup.id)} />
    );
  }
  if (selectedEdge) {
    const from = shown.components.find((c) => c.id === selectedEdge.source);
    const to = shown.components.find((c) => c.id === selectedEdge.target);
    return (
      <ConnectionPanel key={selectedEdge.id} connection={selectedEdge} kinds={from && to ? validKinds(catalog, from.type, to.type) : []}
        kindInfo={catalog.connection_kinds.find((k) => k.kind === selectedEdge.kind)}
        source={from} target={to}
        errors={errors.byConnection?.[selectedEdge.id]} readOnly={locked}
        onChange={(change, key) => commit((d) => updateConnection(d, selectedEdge.id, change), key)}
        onDelete={() => {
          commit((d) => removeItems(d, [], [selectedEdge.id]));
          onDeleteConnection();
        }} />
    );
  }
  // Every member may answer a reviewer; only editors resolve (the API enforces both).
  const canResolve = !readOnly;
  return (
    <PropertiesPanel key={selected?.id || "none"} component={selected} ctype={selected && types[selected.type]}
      errors={selected && !viewing ? errors.byComponent[selected.id] : undefined} readOnly={locked}
      groups={shown.groups || []}
      onChange={(change, key) => selected && commit((d) => updateComponent(d, selected.id, change), key)}>
      {selected ? (
        <>
          <FindingsList findings={review.findingsById[selected.id]} />
          <CommentsList comments={review.comments.filter((c) => c.component === selected.id)} canReply canResolve={canResolve}
            onReply={review.reply} onResolve={review.resolve} />
        </>
      ) : (
        <>
          <FindingsList findings={review.findings.list} title="Review findings (whole design)" showComponents />
          <CommentsList comments={review.comments} title="Review comments" canReply canResolve={canResolve} onReply={review.reply}
            onResolve={review.resolve} showComponent />
          <GroupsList shown={shown} locked={locked} onSelect={groupActions.select} onAdd={groupActions.add}
            onRemove={groupActions.remove} />
        </>
      )}
    </PropertiesPanel>
  );
}
