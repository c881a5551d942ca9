import { groupFamily, possibleParents, removeItems, updateComponent, updateConnection, updateGroup, validKinds } from "../design.js";
import ConnectionPanel from "./ConnectionPanel.jsx";
import { CommentsList, FindingsList } from "./Feedback.jsx";
import GroupPanel from "./GroupPanel.jsx";
import PropertiesPanel from "./PropertiesPanel.jsx";
import RevisionsPanel from "./RevisionsPanel.jsx";

// The list of groups, with adding and removing, when nothing is selected.
function GroupsList({ shown, locked, onSelect, onAdd, onRemove }) {
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
export default function SidePanel({ side, shown, catalog, types, selected, selectedEdge, selectedGroup, locked, readOnly, viewing,
  errors, commit, review, revisions, head, onDeleteConnection, groupActions }) {
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
        members={shown.components.filter((c) => family.has(c.group))}
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
      onChange={(change, key) => commit((d) => updateComponent(d, selected.id, change), key)}>
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
