import type { Component, FieldErrors, Group, GroupKind } from "../types";
import { Field, Section, sectionCommit, type ItemChange } from "./PropertiesPanel";

// Edits the selected group (VPC or account): label, the group it is nested in, and its props from the
// catalog's schema for its kind (CIDR, availability zones, NAT gateways; team, domain), with errors beside
// the fields; and removes it (members stay, one level up).
export default function GroupPanel({ group, kindInfo, parents, members, errors, readOnly, onChange, onRemove }: {
  group: Group;
  kindInfo: GroupKind | undefined;
  parents: Group[];
  members: Component[];
  errors: FieldErrors | undefined;
  readOnly: boolean;
  onChange: ItemChange<Group>;
  onRemove: () => void;
}) {
  const commit = sectionCommit(onChange, `group:${group.id}`);
  return (
    <aside className="properties-panel" aria-label="Group" data-selected-group={group.id}>
      <h2>{kindInfo?.label || group.kind}</h2>
      <p className="muted small">
        <code>{group.id}</code> · {members.length} member{members.length === 1 ? "" : "s"}
      </p>
      {kindInfo?.description && <p className="muted small">{kindInfo.description}</p>}
      <Field name="label" schema={{ type: "string", maxLength: 200, description: "Label" }}
        value={group.label} error={errors?.label} readOnly={readOnly}
        onCommit={(value) => onChange((g) => ({ ...g, label: String(value ?? "") }), `group:${group.id}.label`)} />
      {(parents.length > 0 || group.parent) && (
        <div className="field">
          <label htmlFor="field-parent">Inside</label>
          <select id="field-parent" name="parent" value={group.parent || ""} disabled={readOnly}
            onChange={(e) => onChange((g) => ({ ...g, parent: e.target.value || null }))}>
            <option value="">(top level)</option>
            {parents.map((g) => <option key={g.id} value={g.id}>{g.label || g.id} ({g.kind})</option>)}
          </select>
          {errors?.parent && <span className="field-error" role="alert" data-error-for="parent">{errors.parent}</span>}
        </div>
      )}
      {errors?._ && <p className="field-error">{errors._}</p>}
      <Section title="Settings" prefix="props" schema={kindInfo?.props} values={group.props}
        errors={errors} readOnly={readOnly} onCommit={commit} />
      {members.length === 0 && !readOnly && (
        <p className="muted small">Drag components onto this box to put them in the group.</p>
      )}
      {!readOnly && (
        <p><button type="button" className="danger" data-action="remove-group" onClick={onRemove}>Remove group</button></p>
      )}
    </aside>
  );
}
