import "@xyflow/react/dist/style.css";
import "./editor.css";
import { createRoot } from "react-dom/client";
import { makeApi } from "./api";
import Editor from "./Editor";
import ImportPage from "./ImportPage";

// The page hands over everything through data- attributes (the CSP allows no inline script).
const root = document.getElementById("studio-editor");
if (root) {
  const { projectId, apiBase, csrfToken, readOnly, projectUrl } = root.dataset;
  const api = makeApi({ base: apiBase || "/api/", csrfToken });
  createRoot(root).render(
    <Editor api={api} projectId={Number(projectId)} readOnly={readOnly === "true"} projectUrl={projectUrl} />,
  );
}

// The New project page's "Import a template" section.
const importRoot = document.getElementById("import-root");
if (importRoot) {
  const { apiBase, csrfToken, teams, editorUrl } = importRoot.dataset;
  const api = makeApi({ base: apiBase || "/api/", csrfToken });
  createRoot(importRoot).render(<ImportPage api={api} teams={JSON.parse(teams || "[]")} editorUrl={editorUrl ?? ""} />);
}
