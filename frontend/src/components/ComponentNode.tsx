import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { ComponentCard } from "../canvas";
import { memo } from "react";
import { formatUsd, iconOf } from "../design";

// One component of the design on the canvas. Its root carries data-component-id so tests, keyboard users
// and screen readers can reach it. Badges: save problems (!), review findings (by worst severity) and open
// review comments; data-diff marks it in a comparison with another revision.
function ComponentNode({ data, selected }: NodeProps<ComponentCard>) {
  const { component, ctype, cost, problems, findings, severity, openComments, diff } = data;
  const hasProblems = problems && Object.keys(problems).length > 0;
  const title = hasProblems
    ? Object.values(problems).join("\n")
    : findings?.length
      ? findings.map((f) => `${f.severity}: ${f.message}`).join("\n")
      : ctype?.description;
  return (
    <div
      className={`component-node${selected ? " selected" : ""}${hasProblems ? " invalid" : ""}${diff ? ` diff-${diff}` : ""}`}
      data-component-id={component.id}
      data-type={component.type}
      data-invalid={hasProblems ? "true" : undefined}
      data-diff={diff || undefined}
      aria-label={`${component.label || component.id} (${ctype?.label || component.type})`}
      title={title}
    >
      <Handle type="target" position={Position.Top} />
      {iconOf(ctype, component) ? (
        <img src={iconOf(ctype, component)} alt="" className="icon" draggable={false} />
      ) : (
        <span className="icon" />
      )}
      <div className="text">
        <div className="label">{component.label || component.id}</div>
        <div className="meta">{String(component.props?.resource_type || ctype?.label || component.type)}</div>
        {ctype?.not_estimated ? (
          <div className="cost not-estimated" data-cost-not-estimated title={ctype.not_estimated}>
            not estimated
          </div>
        ) : (
          cost !== undefined && (
            <div className="cost" data-cost={cost}>
              {formatUsd(cost)}/mo
            </div>
          )
        )}
      </div>
      <div className="badges">
        {hasProblems && <span className="badge problem" data-badge="invalid" aria-label="has problems">!</span>}
        {severity && (
          <span className={`badge finding sev-${severity}`} data-badge="findings" data-severity={severity}
            aria-label={`${findings.length} review findings`}>
            {findings.length}
          </span>
        )}
        {openComments > 0 && (
          <span className="badge comment" data-badge="comments" data-open-comments={openComments}
            aria-label={`${openComments} open review comments`}>
            <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true" focusable="false">
              <path d="M2 2.5h12v8.5H6.5L3 14v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
            </svg>
            {openComments}
          </span>
        )}
      </div>
      {diff && <span className={`diff-tag diff-${diff}`}>{diff}</span>}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export default memo(ComponentNode);
