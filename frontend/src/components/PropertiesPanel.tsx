import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from "react";
import { CloudFormationSection, JsonObjectField } from "./CloudFormationFields";
import { iconOf } from "../design";
import { useDraft } from "../drafts";
import type { Component, ComponentType, FieldErrors, Group, Json, JsonSchema, Props } from "../types";

// A field's value as it goes into the design (undefined: not set).
export type FieldValue = Json | undefined;
export interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: FieldValue;
  error?: string;
  readOnly: boolean;
  // `typing`: the change is a keystroke (folded with the next ones into one edit).
  onCommit: (value: FieldValue, typing?: boolean) => void;
}
// An edit of an item through its panel, with the key that folds keystrokes in one field into one edit.
export type ItemChange<T> = (change: (item: T) => T, key?: string | null) => void;

// Checks a value against the same JSON Schema bounds the API enforces; returns a message or "".
export function checkValue(schema: JsonSchema, value: FieldValue): string {
  if (value === undefined) return "";
  if (schema.type === "integer" && !Number.isInteger(value)) return "must be a whole number";
  if ((schema.type === "number" || schema.type === "integer") && Number.isNaN(value)) return "must be a number";
  if (schema.minimum !== undefined && typeof value === "number" && value < schema.minimum) return `must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && typeof value === "number" && value > schema.maximum) return `must be at most ${schema.maximum}`;
  if (schema.maxLength !== undefined && String(value).length > schema.maxLength)
    return `at most ${schema.maxLength} characters`;
  if (schema.pattern && typeof value === "string" && value && !new RegExp(schema.pattern).test(value))
    return "has an invalid format";
  return "";
}

export function Field(props: FieldProps) {
  // An object prop is JSON text with its own editor; every other type is one input.
  return props.schema.type === "object" ? <JsonObjectField {...props} /> : <ScalarField {...props} />;
}

const MULTILINE_LENGTH = 2048;

const asText = (value: FieldValue) => (value === undefined ? "" : String(value));

function ScalarField({ name, schema, value, error, readOnly, onCommit }: FieldProps) {
  const shown = value ?? schema.default;
  // What is typed but not valid stays in the field (and in the studio's drafts) until it is fixed.
  const [draft, setDraft] = useDraft(name);
  const [text, setText] = useState(draft ? draft.text : asText(shown));
  const [local, setLocal] = useState(draft ? draft.message : "");
  const seen = useRef(shown);
  useEffect(() => {
    if (Object.is(seen.current, shown)) return; // mounted again, or nothing changed: keep the draft
    seen.current = shown;
    // The value changed from elsewhere (undo, a restore, a paste): it replaces what was typed.
    setText(asText(shown));
    setLocal("");
    setDraft(null);
  }, [shown]); // eslint-disable-line react-hooks/exhaustive-deps
  const id = `field-${name}`;
  const unit = schema["x-unit"] ? ` (${schema["x-unit"]})` : "";
  const label = (
    <label htmlFor={id} title={name}>
      {schema.description || name}
      {unit}
    </label>
  );
  const message = local || error;
  const defaultText = schema.default === undefined || schema.default === "" ? "" : String(schema.default);
  let hint: ReactNode = null;
  if (message) {
    hint = (
      <span className="field-error" role="alert" data-error-for={name}>
        {message}{draft ? " (not saved)" : ""}
      </span>
    );
  } else if (text === "" && draft) {
    hint = (
      <span className="field-hint" data-hint-for={name}>
        {defaultText ? `Left empty, the default applies: ${defaultText}` : "Left empty, it is not set"}
      </span>
    );
  } else if (value === undefined && defaultText && schema.type !== "boolean") {
    hint = <span className="field-hint" data-default-for={name}>default</span>;
  }

  if (schema.type === "boolean") {
    return (
      <div className="field field-check">
        <input id={id} name={name} type="checkbox" checked={Boolean(shown)} disabled={readOnly}
          onChange={(e) => onCommit(e.target.checked)} />
        {label}
        {hint}
      </div>
    );
  }
  if (schema.enum) {
    return (
      <div className="field">
        {label}
        <select id={id} name={name} value={shown === undefined ? "" : String(shown)} disabled={readOnly}
          onChange={(e) => {
            const raw = e.target.value;
            onCommit(raw === "" ? undefined : schema.enum?.find((option) => String(option) === raw));
          }}>
          {shown === undefined && <option value="">(not set)</option>}
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>{String(option)}</option>
          ))}
        </select>
        {hint}
      </div>
    );
  }
  const numeric = schema.type === "number" || schema.type === "integer";
  const onChange = (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const raw = e.target.value;
    setText(raw);
    if (raw === "") {
      // Emptied: nothing is saved while the person types on; leaving it empty picks the default (onBlur).
      setLocal("");
      setDraft({ text: "", message: "" });
      return;
    }
    const parsed = numeric ? Number(raw) : raw;
    const problem = checkValue(schema, parsed);
    setLocal(problem);
    if (problem) {
      setDraft({ text: raw, message: problem });
    } else {
      setDraft(null);
      onCommit(parsed, true);
    }
  };
  const onBlur = () => {
    if (text !== "" || !draft) return;
    setDraft(null);
    if (value !== undefined) onCommit(undefined);
    else setText(asText(shown));
  };
  // Long text (a GraphQL schema, an event pattern) keeps its lines in a text area.
  const multiline = schema.type === "string" && (schema.maxLength ?? 0) >= MULTILINE_LENGTH;
  return (
    <div className="field">
      {label}
      {multiline ? (
        <textarea id={id} name={name} value={text} readOnly={readOnly} maxLength={schema.maxLength} rows={6}
          spellCheck={false} onChange={onChange} onBlur={onBlur} aria-invalid={Boolean(message)} />
      ) : (
        <input id={id} name={name} type={numeric ? "number" : "text"} value={text} readOnly={readOnly}
          min={schema.minimum} max={schema.maximum} maxLength={schema.maxLength}
          step={schema.type === "integer" ? 1 : "any"} placeholder={schema.default === undefined ? "" : String(schema.default)}
          onChange={onChange} onBlur={onBlur} aria-invalid={Boolean(message)} />
      )}
      {hint}
    </div>
  );
}

export function Section({ title, prefix, schema, values, errors, readOnly, onCommit }: {
  title: string;
  prefix: "props" | "usage";
  schema: JsonSchema | undefined;
  values: Props | undefined;
  errors: FieldErrors | undefined;
  readOnly: boolean;
  onCommit: SectionCommit;
}) {
  const properties = Object.entries(schema?.properties || {});
  if (!properties.length) return null;
  return (
    <fieldset>
      <legend>{title}</legend>
      {properties.map(([key, fieldSchema]) => (
        <Field key={key} name={`${prefix}.${key}`} schema={fieldSchema} value={values?.[key]}
          error={errors?.[`${prefix}.${key}`]} readOnly={readOnly}
          onCommit={(value, typing) => onCommit(prefix, key, value, typing)} />
      ))}
    </fieldset>
  );
}

// What a Section calls on each field change: sets or clears that field of `props`/`usage` through
// `onChange`; keystrokes in one field within a moment count as one edit (the key names the field).
type SectionCommit = (prefix: "props" | "usage", key: string, value: FieldValue, typing?: boolean) => void;

export function sectionCommit<T extends { props?: Props; usage?: Props }>(onChange: ItemChange<T>, editKey: string): SectionCommit {
  return (prefix, key, value, typing) =>
    onChange(
      (item) => {
        const section: Props = { ...(item[prefix] || {}) };
        if (value === undefined) delete section[key];
        else section[key] = value;
        return { ...item, [prefix]: section };
      },
      typing ? `${editKey}.${prefix}.${key}` : null,
    );
}

// Edits the selected component: label, then props and usage generated from the catalog's JSON Schemas.
export default function PropertiesPanel({ component, ctype, errors, readOnly, onChange, groups = [], children }: {
  component: Component | null;
  ctype: ComponentType | null | undefined;
  errors: FieldErrors | undefined;
  readOnly: boolean;
  onChange: ItemChange<Component>;
  groups?: Group[];
  children?: ReactNode;
}) {
  if (!component) {
    return (
      <aside className="properties-panel" aria-label="Properties">
        <p className="muted">Select a component or a connection to edit it.</p>
        {children}
      </aside>
    );
  }
  const commit = sectionCommit(onChange, component.id);
  return (
    <aside className="properties-panel" aria-label="Properties" data-selected={component.id}>
      <h2>
        {iconOf(ctype, component) && <img src={iconOf(ctype, component)} alt="" />} {ctype?.label || component.type}
      </h2>
      <p className="muted small"><code>{component.id}</code> · {component.tier} tier</p>
      {children}
      <Field name="label" schema={{ type: "string", maxLength: 200, description: "Label" }}
        value={component.label} error={errors?.label} readOnly={readOnly}
        onCommit={(value) => onChange((c) => ({ ...c, label: String(value ?? "") }), `${component.id}.label`)} />
      {errors?._ && <p className="field-error">{errors._}</p>}
      {(groups.length > 0 || component.group) && (
        <div className="field">
          <label htmlFor="field-group">Group (VPC or account)</label>
          <select id="field-group" name="group" value={component.group || ""} disabled={readOnly}
            onChange={(e) => onChange((c) => ({ ...c, group: e.target.value || null }))}>
            <option value="">(none)</option>
            {groups.map((g) => <option key={g.id} value={g.id}>{g.label || g.id} ({g.kind})</option>)}
          </select>
          {errors?.group && <span className="field-error" role="alert" data-error-for="group">{errors.group}</span>}
        </div>
      )}
      {component.type === "cloudformation_resource" ? (
        <CloudFormationSection component={component} ctype={ctype} errors={errors} readOnly={readOnly}
          onChange={onChange} />
      ) : (
        <Section title="Settings" prefix="props" schema={ctype?.props} values={component.props}
          errors={errors} readOnly={readOnly} onCommit={commit} />
      )}
      <Section title="Traffic" prefix="usage" schema={ctype?.usage} values={component.usage}
        errors={errors} readOnly={readOnly} onCommit={commit} />
    </aside>
  );
}
