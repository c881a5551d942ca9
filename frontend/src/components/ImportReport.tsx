// What each resource of an imported template became, as the import API reports it.
import type { ReactNode } from "react";
import type { ImportCountsData, ImportReportData, ImportResource } from "../types";

const BECAME: Record<string, string> = {
  component: "Component",
  part: "Part of a component",
  connection: "Connection",
  kept: "Kept as written, not drawn",
};

// [count key, what is counted (one), (many)]
const COUNTED: [keyof ImportCountsData, string, string][] = [
  ["resources", "resource", "resources"],
  ["components", "component", "components"],
  ["connections_drawn", "connection drawn", "connections drawn"],
  ["parts", "part of a component", "parts of components"],
  ["kept_not_drawn", "kept, not drawn", "kept, not drawn"],
];

export function ImportCounts({ counts }: { counts: ImportCountsData }) {
  return (
    <ul className="import-counts" aria-label="Import summary">
      {COUNTED.map(([key, one, many]) => (
        <li key={key} data-count={key}>
          <strong>{counts[key]}</strong> {counts[key] === 1 ? one : many}
        </li>
      ))}
      {(counts.kept_as_cloudformation_resource ?? 0) > 0 && (
        <li className="muted small" data-count="kept_as_cloudformation_resource">
          {counts.mapped_to_catalog_types} of the components have a type of their own;{" "}
          {counts.kept_as_cloudformation_resource} {counts.kept_as_cloudformation_resource === 1 ? "is" : "are"} kept as a
          generic CloudFormation resource
        </li>
      )}
    </ul>
  );
}

function InDesign({ entry }: { entry: ImportResource }) {
  const parts: ReactNode[] = [];
  if (entry.component) parts.push(<code key="c">{entry.component}</code>);
  if (entry.connections?.length) {
    parts.push(<span key="k">{entry.connections.map((c) => <code key={c}>{c}</code>)}</span>);
  }
  return (
    <>
      {parts.length ? parts : <span className="muted">—</span>}
      {entry.notes?.map((note) => <div key={note} className="muted small">{note}</div>)}
    </>
  );
}

function List({ title, items, testId, className = "" }: { title: string; items?: string[]; testId: string; className?: string }) {
  if (!items?.length) return null;
  return (
    <section className={`import-list ${className}`} data-report-list={testId}>
      <h4>{title}</h4>
      <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>
    </section>
  );
}

export default function ImportReport({ report }: { report: ImportReportData }) {
  return (
    <div className="import-report" data-import-report>
      <List title="Not understood" items={report.not_understood} testId="not_understood" className="warning" />
      {!report.not_understood?.length && <p className="muted small" data-report-all-understood>Everything in the template was understood.</p>}
      <div className="import-table-wrap">
        <table className="import-resources">
          <caption>What each resource became</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">CloudFormation type</th>
              <th scope="col">Became</th>
              <th scope="col">In the design</th>
            </tr>
          </thead>
          <tbody>
            {report.resources.map((entry) => (
              <tr key={entry.logical_id} data-resource={entry.logical_id} data-became={entry.became}>
                <th scope="row">{entry.logical_id}</th>
                <td><code>{entry.type}</code></td>
                <td><span className={`became became-${entry.became}`}>{BECAME[entry.became] || entry.became}</span></td>
                <td><InDesign entry={entry} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="import-lists">
        <List title="Sections kept as written" items={report.kept_sections} testId="kept_sections" className="chips" />
        <List title="Made by SAM from function events" items={report.implicit_components} testId="implicit_components"
          className="chips" />
      </div>
    </div>
  );
}
