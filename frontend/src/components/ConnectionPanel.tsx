import type { Component, Connection, ConnectionKind, FieldErrors } from "../types";
import { Field, Section, sectionCommit, type ItemChange } from "./PropertiesPanel";

// Edits the selected connection: its label, its kind (among those valid for the pair) and its props from
// the kind's schema, with errors beside the fields; and deletes it.
export default function ConnectionPanel({ connection, kinds, kindInfo, source, target, errors, readOnly, onChange, onDelete }: {
  connection: Connection;
  kinds: ConnectionKind[];
  kindInfo: ConnectionKind | undefined;
  source: Component | undefined;
  target: Component | undefined;
  errors: FieldErrors | undefined;
  readOnly: boolean;
  onChange: ItemChange<Connection>;
  onDelete: () => void;
}) {
  const commit = sectionCommit(onChange, connection.id);
  const changeKind = (kind: string) => {
    const schema = kinds.find((k) => k.kind === kind)?.props?.properties || {};
    // Keep only the props the new kind knows.
    onChange((c) => ({
      ...c,
      kind,
      props: Object.fromEntries(Object.entries(c.props || {}).filter(([key]) => key in schema)),
    }));
  };
  const known = kinds.some((k) => k.kind === connection.kind);
  return (
    <aside className="properties-panel" aria-label="Connection" data-selected-connection={connection.id}>
      <h2>Connection</h2>
      <p className="muted small">
        <code>{source?.label || connection.source}</code> → <code>{target?.label || connection.target}</code> · <code>{connection.id}</code>
      </p>
      <Field name="label" schema={{ type: "string", maxLength: 200, description: "Label" }}
        value={connection.label} error={errors?.label} readOnly={readOnly}
        onCommit={(value) => onChange((c) => ({ ...c, label: String(value ?? "") }), `${connection.id}.label`)} />
      <div className="field">
        <label htmlFor="field-kind">Kind</label>
        <select id="field-kind" name="kind" value={connection.kind} disabled={readOnly}
          onChange={(e) => changeKind(e.target.value)}>
          {!known && <option value={connection.kind}>{connection.kind} (not valid for this pair)</option>}
          {kinds.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
        </select>
        {kindInfo?.description && <span className="muted small">{kindInfo.description}</span>}
        {errors?.kind && <span className="field-error" role="alert" data-error-for="kind">{errors.kind}</span>}
      </div>
      {errors?._ && <p className="field-error">{errors._}</p>}
      <Section key={connection.kind} title="Settings" prefix="props" schema={kindInfo?.props} values={connection.props}
        errors={errors} readOnly={readOnly} onCommit={commit} />
      {!readOnly && (
        <p><button type="button" className="danger" data-action="delete-connection" onClick={onDelete}>Delete connection</button></p>
      )}
    </aside>
  );
}
