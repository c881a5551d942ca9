import { useMemo, useState } from "react";
import type { Catalog, ComponentType } from "../types";

export const DRAG_TYPE = "application/x-tierplan-type";

// What a search matches: the label, the type id, the service family, the description and the
// CloudFormation resource types a type stands for (so "AWS::Pipes::Pipe" or "kafka" find it).
function searchText(ctype: ComponentType, familyLabel: string): string {
  return [ctype.label, ctype.type, familyLabel, ctype.description, ...(ctype.cloudformation_types || [])]
    .join(" ")
    .toLowerCase();
}

function PaletteItem({ ctype, readOnly, onAdd, recent }: {
  ctype: ComponentType;
  readOnly: boolean;
  onAdd: (ctype: ComponentType) => void;
  recent?: boolean;
}) {
  return (
    <button type="button" className="palette-item" data-palette-type={recent ? undefined : ctype.type}
      data-palette-recent={recent ? ctype.type : undefined}
      title={ctype.description} disabled={readOnly} draggable={!readOnly}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, ctype.type);
        e.dataTransfer.effectAllowed = "move";
      }}
      onClick={() => onAdd(ctype)}>
      <img src={ctype.icon} alt="" draggable={false} />
      <span>{ctype.label}</span>
    </button>
  );
}

// The catalog by tier and, within a tier, by service family, with a search box and the types this
// browser added last. Drag an entry onto a lane, or click it to add it to its own tier's lane; Enter in
// the search box adds the first match.
export default function Palette({ catalog, readOnly, onAdd, recent = [] }: {
  catalog: Catalog;
  readOnly: boolean;
  onAdd: (ctype: ComponentType) => void;
  recent?: string[];
}) {
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const familyLabels = useMemo(
    (): Record<string, string> => Object.fromEntries((catalog.families || []).map((f) => [f.id, f.label])),
    [catalog],
  );
  const matches = useMemo(
    () => catalog.types.filter((t) => !q || q.split(/\s+/).every((word) => searchText(t, familyLabels[t.family ?? ""] || "").includes(word))),
    [catalog, familyLabels, q],
  );
  const tiers = useMemo(
    () =>
      catalog.tiers
        .map((tier) => ({
          tier,
          families: (catalog.families || [{ id: undefined as string | undefined, label: "" }])
            .map((family) => ({
              family,
              types: matches.filter((t) => t.tier === tier.id && (family.id === undefined || t.family === family.id)),
            }))
            .filter((group) => group.types.length),
        }))
        .filter((group) => group.families.length),
    [catalog, matches],
  );
  const byType = useMemo(() => Object.fromEntries(catalog.types.map((t) => [t.type, t])), [catalog]);
  const recentTypes = q ? [] : recent.map((type) => byType[type]).filter((t): t is ComponentType => Boolean(t));
  return (
    <aside className="palette" aria-label="Component palette">
      <input type="search" placeholder={`Search ${catalog.types.length} services`} value={query} aria-label="Search services"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && matches.length && !readOnly) {
            e.preventDefault();
            onAdd(matches[0]);
          } else if (e.key === "Escape") {
            setQuery("");
          }
        }} />
      {q ? <p className="palette-count" role="status">{matches.length ? `${matches.length} found` : `No service matches “${query.trim()}”.`}</p> : null}
      {recentTypes.length ? (
        <section data-palette-section="recent" aria-label="Recently used">
          <h3>Recently used</h3>
          {recentTypes.map((t) => (
            <PaletteItem key={t.type} ctype={t} readOnly={readOnly} onAdd={onAdd} recent />
          ))}
        </section>
      ) : null}
      {tiers.map(({ tier, families }) => (
        <section key={tier.id} data-palette-tier={tier.id} aria-label={tier.label}>
          <h3>{tier.label}</h3>
          {families.map(({ family, types }) => (
            <div key={family.id ?? "all"} className="palette-family" role="group" data-palette-family={family.id}
              aria-label={family.label || tier.label}>
              {family.label ? <h4>{family.label}</h4> : null}
              {types.map((t) => (
                <PaletteItem key={t.type} ctype={t} readOnly={readOnly} onAdd={onAdd} />
              ))}
            </div>
          ))}
        </section>
      ))}
    </aside>
  );
}
