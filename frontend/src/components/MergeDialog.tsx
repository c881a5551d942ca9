import { useState } from "react";
import type { Conflict } from "../useConflict";

type Choice = "mine" | "theirs";

// A REST save lost the race: theirs is the newest revision, and mine goes on top of it field by field.
// Each field we both changed is listed with mine chosen; nothing of theirs is dropped unless I choose so.
export default function MergeDialog({ merge, busy, onReload, onMerge }: {
  merge: Conflict | null;
  busy: boolean;
  onReload: () => void;
  onMerge: (choices: Record<string, Choice>) => void;
}) {
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const conflicts = merge?.result.conflicts || [];
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="conflict-title" data-dialog="conflict">
      <div className="dialog merge-dialog">
        <h2 id="conflict-title">A teammate saved first</h2>
        <p>
          Someone saved revision {merge?.number ?? "…"} while you were editing. Your changes are still here;
          nothing has been lost.
        </p>
        {!merge ? (
          <p className="muted">Reading their revision…</p>
        ) : conflicts.length === 0 ? (
          <p data-merge-clean>
            None of the fields you changed were changed by them: keeping yours on top saves their revision with
            your {merge.result.mergedCount} change{merge.result.mergedCount === 1 ? "" : "s"} added.
          </p>
        ) : (
          <>
            <p>
              {merge.result.mergedCount > 0 &&
                `${merge.result.mergedCount} of your changes go on top of theirs as they are. `}
              You both changed {conflicts.length === 1 ? "this field" : `these ${conflicts.length} fields`}; choose
              which to keep:
            </p>
            <ul className="merge-conflicts">
              {conflicts.map((c) => {
                const choice = choices[c.key] || "mine";
                return (
                  <li key={c.key} data-conflict={c.key}>
                    <strong>{c.label}</strong>
                    {(["mine", "theirs"] as const).map((side) => (
                      <label key={side}>
                        <input type="radio" name={`conflict-${c.key}`} value={side} checked={choice === side}
                          onChange={() => setChoices((previous) => ({ ...previous, [c.key]: side }))} />{" "}
                        {side === "mine" ? "Mine" : "Theirs"}: <code>{side === "mine" ? c.mine : c.theirs}</code>
                      </label>
                    ))}
                  </li>
                );
              })}
            </ul>
          </>
        )}
        <ul>
          <li><strong>Reload theirs</strong> shows the newest revision; your version stays one undo (Ctrl+Z) away.</li>
          <li><strong>Keep mine on top</strong> saves theirs with your changes on top as a new revision.</li>
        </ul>
        <div className="dialog-actions">
          <button type="button" className="secondary" disabled={busy} onClick={onReload}>Reload theirs</button>
          <button type="button" disabled={busy || !merge} onClick={() => onMerge(choices)}>Keep mine on top</button>
        </div>
      </div>
    </div>
  );
}
