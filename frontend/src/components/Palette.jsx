import { useMemo, useState } from "react";

export const DRAG_TYPE = "application/x-tierplan-type";

// The catalog grouped by tier, with icons and a search box. Drag an entry onto a lane, or click it to add
// it to its own tier's lane.
export default function Palette({ catalog, readOnly, onAdd }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return catalog.tiers.map((tier) => ({
      tier,
      types: catalog.types.filter(
        (t) =>
          t.tier === tier.id &&
          (!q || t.label.toLowerCase().includes(q) || t.type.includes(q) || t.description.toLowerCase().includes(q)),
      ),
    }));
  }, [catalog, query]);
  return (
    <aside className="palette" aria-label="Component palette">
      <input type="search" placeholder="Search services" value={query} aria-label="Search services"
        onChange={(e) => setQuery(e.target.value)} />
      {groups.map(({ tier, types }) =>
        types.length ? (
          <section key={tier.id} data-palette-tier={tier.id}>
            <h3>{tier.label}</h3>
            {types.map((t) => (
              <button key={t.type} type="button" className="palette-item" data-palette-type={t.type}
                title={t.description} disabled={readOnly} draggable={!readOnly}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, t.type);
                  e.dataTransfer.effectAllowed = "move";
                }}
                onClick={() => onAdd(t)}>
                <img src={t.icon} alt="" draggable={false} />
                <span>{t.label}</span>
              </button>
            ))}
          </section>
        ) : null,
      )}
    </aside>
  );
}
