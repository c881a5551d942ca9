import { useEffect, useState } from "react";
import { messageOf } from "../api";
import type { Component, ComponentType, FieldErrors, Json } from "../types";
import type { FieldProps, ItemChange } from "./PropertiesPanel";

// A resource type as the server lists it: its name and its required properties.
interface ResourceTypeEntry {
  type: string;
  required: string[];
}

const TYPES_URL = "/api/catalog/cloudformation-types/";
const SEARCH_DELAY_MS = 250;
const PAGE = 20;

// Searches the resource types the server knows (about 1,800: fetched a page at a time, never all).
// Waits for a pause in typing, and drops answers to queries that are no longer the newest.
export function useResourceTypeSearch(query: string) {
  const [state, setState] = useState<{ results: ResourceTypeEntry[]; count: number; error: string }>({ results: [], count: 0, error: "" });
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const url = `${TYPES_URL}?limit=${PAGE}&q=${encodeURIComponent(query.trim())}`;
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        const body = await response.json();
        if (!response.ok) throw new Error(body?.error?.message || `HTTP ${response.status}`);
        setState({ results: body.results, count: body.count, error: "" });
      } catch (error) {
        if (!(error instanceof Error && error.name === "AbortError")) setState({ results: [], count: 0, error: messageOf(error) });
      }
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);
  return state;
}

// The resource type: the current one, and a search box listing matching types to pick from.
export function ResourceTypePicker({ value, error, readOnly, onPick }: {
  value: string | undefined;
  error?: string;
  readOnly: boolean;
  onPick: (entry: ResourceTypeEntry) => void;
}) {
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const { results, count, error: searchError } = useResourceTypeSearch(open ? query : value || "");
  const current = results.find((entry) => entry.type === value);
  return (
    <div className="field cfn-type">
      <label htmlFor="field-props.resource_type">CloudFormation resource type</label>
      <div className="cfn-type-current">
        <code data-resource-type={value}>{value}</code>
        {!readOnly && (
          <button type="button" className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? "Close" : "Change"}
          </button>
        )}
      </div>
      {current && current.required?.length > 0 && (
        <span className="muted small">Required: {current.required.join(", ")}</span>
      )}
      {open && (
        <div className="cfn-type-search">
          <input id="field-props.resource_type" type="search" value={query} autoFocus
            placeholder="Search, e.g. ssm parameter" aria-label="Search CloudFormation resource types"
            onChange={(e) => setQuery(e.target.value)} />
          <ul role="listbox" aria-label="CloudFormation resource types">
            {results.map((entry) => (
              <li key={entry.type}>
                <button type="button" role="option" aria-selected={entry.type === value} data-type-option={entry.type}
                  title={entry.required.length ? `Required: ${entry.required.join(", ")}` : "No required properties"}
                  onClick={() => {
                    setOpen(false);
                    if (entry.type !== value) onPick(entry);
                  }}>
                  {entry.type}
                </button>
              </li>
            ))}
          </ul>
          <span className="muted small">
            {searchError || (count > results.length ? `${results.length} of ${count}: type more to narrow` : `${count} found`)}
          </span>
        </div>
      )}
      {error && <span className="field-error" role="alert" data-error-for="props.resource_type">{error}</span>}
    </div>
  );
}

// What is wrong with text meant to be a JSON object, or "" when it is one.
export function jsonObjectProblem(text: string): string {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${messageOf(error)}`;
  }
  return value !== null && typeof value === "object" && !Array.isArray(value) ? "" : "must be a JSON object { … }";
}

// A JSON object edited as text: only a valid object is committed; parse errors show as you type, and
// the server's problems (one a line, with the path inside the object) below them.
export function JsonObjectField({ name, schema, value, error, readOnly, onCommit }: FieldProps) {
  const shown = value ?? schema.default ?? {};
  const compact = JSON.stringify(shown);
  const formatted = JSON.stringify(shown, null, 2);
  const [text, setText] = useState(formatted);
  const [local, setLocal] = useState("");
  useEffect(() => {
    // Text that already says the new value stays as typed (no reformatting under the cursor).
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === compact) return current;
      } catch {
        // not JSON: the value came from elsewhere (undo, another person); show it
      }
      setLocal("");
      return formatted;
    });
  }, [compact, formatted]);
  const id = `field-${name}`;
  const limit = schema["x-max-bytes"];
  return (
    <div className="field field-json">
      <label htmlFor={id} title={name}>{schema.description || name}</label>
      <textarea id={id} name={name} value={text} readOnly={readOnly} spellCheck={false}
        rows={Math.min(18, Math.max(6, text.split("\n").length + 1))} aria-invalid={Boolean(local || error)}
        onChange={(e) => {
          const raw = e.target.value;
          setText(raw);
          let problem = jsonObjectProblem(raw);
          if (!problem && limit && new TextEncoder().encode(JSON.stringify(JSON.parse(raw))).length > limit)
            problem = `at most ${limit} bytes`;
          setLocal(problem);
          if (!problem) onCommit(JSON.parse(raw), true);
        }} />
      {local && <span className="field-error" role="alert" data-error-for={`${name}.local`}>{local}</span>}
      {error && (
        <span className="field-error field-error-lines" role="alert" data-error-for={name}>{error}</span>
      )}
    </div>
  );
}

// The props of a cloudformation_resource: its type and its properties. Picking another type starts its
// properties afresh (the previous type's would not fit it).
export function CloudFormationSection({ component, ctype, errors, readOnly, onChange }: {
  component: Component;
  ctype: ComponentType | null | undefined;
  errors: FieldErrors | undefined;
  readOnly: boolean;
  onChange: ItemChange<Component>;
}) {
  const props = component.props || {};
  const defaults = ctype?.defaults?.props || {};
  const resourceType = props.resource_type ?? defaults.resource_type;
  return (
    <fieldset>
      <legend>Resource</legend>
      <ResourceTypePicker value={resourceType === undefined || resourceType === null ? undefined : String(resourceType)} error={errors?.["props.resource_type"]} readOnly={readOnly}
        onPick={(entry) =>
          onChange((c) => ({
            ...c,
            props: { ...c.props, resource_type: entry.type, properties: Object.fromEntries(entry.required.map((key) => [key, ""])) },
          }))
        } />
      <JsonObjectField name="props.properties" schema={ctype?.props?.properties?.properties || { type: "object" }}
        value={props.properties ?? defaults.properties} error={errors?.["props.properties"]} readOnly={readOnly}
        onCommit={(value, typing) =>
          onChange((c) => ({ ...c, props: { ...c.props, properties: value as Json } }), typing ? `${component.id}.props.properties` : null)
        } />
    </fieldset>
  );
}
