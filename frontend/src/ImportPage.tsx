import { useEffect, useId, useRef, useState } from "react";
import { ApiError, messageOf, type Api } from "./api";
import type { Catalog, ImportResult } from "./types";
import ImportPreview from "./components/ImportPreview";
import ImportReport, { ImportCounts } from "./components/ImportReport";
import "./importPage.css";

// The error the API answered, as {message, fields: {pointer: message}}; a network failure has no fields.
interface Problem {
  message: string;
  fields: Record<string, string>;
}

function problemOf(error: unknown): Problem {
  const body = error instanceof ApiError ? error.body?.error : undefined;
  if (!body) return { message: messageOf(error) || "The request failed.", fields: {} };
  return { message: body.message ?? "", fields: Object.fromEntries((body.details || []).map((d) => [d.pointer, d.message])) };
}

// The template as the API takes it: the chosen file as an upload, else the pasted text as JSON.
function requestBody({ file, text, name, team }: { file: File | null; text: string; name: string; team: string }) {
  if (file) {
    const form = new FormData();
    form.append("file", file);
    if (name.trim()) form.append("name", name.trim());
    if (team) form.append("team", team);
    return form;
  }
  return { template: text, ...(name.trim() ? { name: name.trim() } : {}), ...(team ? { team: Number(team) } : {}) };
}

// A problem the API pinned on a field, said next to that field (and announced).
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return <p id={id} className="field-error" role="alert" data-field-error>{message}</p>;
}

// "Import a template" on the New project page: a file or pasted text, previewed (diagram and report) before
// anything is created, then created as a project and opened in the editor.
export default function ImportPage({ api, teams, editorUrl }: { api: Api; teams: { id: number; name: string }[]; editorUrl: string }) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [team, setTeam] = useState(teams[0] ? String(teams[0].id) : "");
  const [busy, setBusy] = useState<"preview" | "create" | null>(null); // while a request runs
  const [problem, setProblem] = useState<Problem | null>(null);
  const [preview, setPreview] = useState<(ImportResult & { number: number }) | null>(null); // the template as previewed
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const previews = useRef(0); // each preview is drawn afresh (and fitted to the view)

  useEffect(() => {
    api.catalog().then((r) => setCatalog(r.data), () => setCatalog({ types: [], tiers: [], connection_kinds: [] }));
  }, [api]);

  // A preview shows one template: changing the template takes it away (name and team do not).
  const changeTemplate = (change: () => void) => {
    change();
    setPreview(null);
    setProblem(null);
  };

  const empty = !file && !text.trim();
  const send = async (mode: "preview" | "create") => {
    if (empty) {
      setProblem({ message: "Choose a template file or paste a template first.", fields: { "/template": "Choose a template file or paste a template first." } });
      return;
    }
    setBusy(mode);
    setProblem(null);
    try {
      const { data } = await api.importTemplate(requestBody({ file, text, name, team }), { preview: mode === "preview" });
      if (mode === "preview") {
        previews.current += 1;
        setPreview({ ...data, number: previews.current });
        setBusy(null);
      } else {
        window.location.assign(editorUrl.replace("{id}", String(data.project?.id)));
      }
    } catch (error) {
      setProblem(problemOf(error));
      setPreview(null);
      setBusy(null);
    }
  };

  const fields = problem?.fields || {};
  const sourceError = fields["/file"] || fields["/template"];
  // Pointers at a field of this form are said there; anything else (or a failure with none) above it all.
  const shown = ["/file", "/template", "/name", ...(teams.length > 1 ? ["/team"] : [])];
  const general = problem && !Object.keys(fields).some((pointer) => shown.includes(pointer));
  const fieldId = (suffix: string) => `${ids}-${suffix}`;
  return (
    <div className="import-page">
      <form
        className="import-form"
        aria-describedby={general ? fieldId("problem") : undefined}
        onSubmit={(event) => {
          event.preventDefault();
          send("create");
        }}
      >
        <div className="import-source">
          <label htmlFor={fieldId("file")}>Template file</label>
          <div className="import-file-row">
            <input key={fileInputKey} id={fieldId("file")} type="file" data-import-file
              accept=".yaml,.yml,.json,.template,.txt,application/json,application/x-yaml,text/yaml,text/plain"
              aria-invalid={fields["/file"] ? "true" : undefined}
              aria-describedby={fields["/file"] ? fieldId("source-error") : undefined}
              onChange={(event) => changeTemplate(() => setFile(event.target.files?.[0] || null))} />
            {file && (
              <button type="button" className="secondary" data-import-clear-file
                onClick={() => changeTemplate(() => { setFile(null); setFileInputKey((k) => k + 1); })}>
                Remove file
              </button>
            )}
          </div>
          <label htmlFor={fieldId("text")}>…or paste the template (YAML or JSON)</label>
          <textarea id={fieldId("text")} data-import-text rows={12} spellCheck={false} value={text}
            disabled={Boolean(file)}
            placeholder={file ? `The file ${file.name} is used.` : "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  …"}
            aria-invalid={fields["/template"] ? "true" : undefined}
            aria-describedby={fields["/template"] ? fieldId("source-error") : undefined}
            onChange={(event) => changeTemplate(() => setText(event.target.value))} />
          <FieldError id={fieldId("source-error")} message={sourceError} />
        </div>
        <div className="import-options">
          <label htmlFor={fieldId("name")}>Project name</label>
          <input id={fieldId("name")} type="text" maxLength={200} value={name} data-import-name
            placeholder="The template's Description, else the file name"
            aria-invalid={fields["/name"] ? "true" : undefined}
            aria-describedby={fields["/name"] ? fieldId("name-error") : undefined}
            onChange={(event) => setName(event.target.value)} />
          <FieldError id={fieldId("name-error")} message={fields["/name"]} />
          {teams.length > 1 && (
            <>
              <label htmlFor={fieldId("team")}>Team</label>
              <select id={fieldId("team")} value={team} data-import-team onChange={(event) => setTeam(event.target.value)}
                aria-invalid={fields["/team"] ? "true" : undefined}
                aria-describedby={fields["/team"] ? fieldId("team-error") : undefined}>
                {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
            </>
          )}
          {teams.length > 1 && <FieldError id={fieldId("team-error")} message={fields["/team"]} />}
          <div className="import-actions">
            <button type="button" className="secondary" data-import-preview-button disabled={Boolean(busy)}
              onClick={() => send("preview")}>
              {busy === "preview" ? "Reading…" : "Preview"}
            </button>
            <button type="submit" data-import-create disabled={Boolean(busy)}>
              {busy === "create" ? "Creating…" : "Create project"}
            </button>
          </div>
          <p className="muted small">Preview shows what the template becomes; nothing is created until you create the project.</p>
        </div>
      </form>
      {general && (
        <div id={fieldId("problem")} className="flash error" role="alert" data-import-error>
          {problem?.message}
        </div>
      )}
      <div aria-live="polite">
        {preview && (
          <section className="import-result" data-import-result aria-label={`Preview of ${preview.design.name}`}>
            <h3>
              Preview: <span data-preview-name>{preview.design.name}</span>
            </h3>
            <ImportCounts counts={preview.report.counts} />
            {catalog ? <ImportPreview key={preview.number} design={preview.design} catalog={catalog} /> : <p className="muted">Loading the catalog…</p>}
            <p className="muted small">Drag to move around the diagram; the buttons zoom and show all of it.</p>
            <ImportReport report={preview.report} />
          </section>
        )}
      </div>
    </div>
  );
}
