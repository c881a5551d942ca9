"""A SAM or CloudFormation template → a ``tierplan.design/v1`` document and a report. Pure Python, no Django.

Every resource ends somewhere, and the report says where:

- a **component** of the catalog type whose ``cloudformation_types`` start with (or name) its type;
- a **part** of such a component when its type is one of the component's other ``cloudformation_types``
  and it refers to, or is referred to by, the component (a task definition, a listener, a resolver…);
- a **connection** (or part of one) when it is catalog wiring the exporters regenerate (an event source
  mapping, an SNS subscription, a Lambda permission…);
- a ``cloudformation_resource`` component holding its type and properties verbatim;
- **kept, not drawn** in the design's ``cloudformation.resources`` when no component can hold it as it is
  (roles, unconsumed wiring, properties using conditions or mappings, custom resources).

Nothing is dropped: what a component's props cannot say stays in its ``cloudformation`` block, and the
template's other sections in the design's, so an export can write it back. The catalog drives the whole
mapping, so a type added to ``catalog.yaml`` maps the day it lands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apps.designs.catalog import Catalog, ComponentType, get_catalog
from apps.designs.cfn_schemas import resource_problems
from apps.designs.document import SCHEMA_ID, Design, DesignInvalid, validate_design
from apps.designs.patterns import flow_order, lay_out
from apps.exporting.plan import referenced_names
from apps.importing.loader import TemplateRefused, load_template
from apps.importing.props import props_from, with_globals

GENERIC = "cloudformation_resource"
ATTRIBUTES = (
    "Condition",
    "DependsOn",
    "Metadata",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
)
# A rule is a component of its own (the catalog draws one eventbridge_bus per rule: its pattern or
# schedule is the component's), never a part of the bus it listens on.
NEVER_PARTS = frozenset({"AWS::Events::Rule"})
SECTIONS = {
    "AWSTemplateFormatVersion": "format_version",
    "Description": "description",
    "Transform": "transform",
    "Parameters": "parameters",
    "Mappings": "mappings",
    "Conditions": "conditions",
    "Rules": "rules",
    "Outputs": "outputs",
    "Metadata": "metadata",
    "Globals": "globals",
}


@dataclass
class ResourceEntry:
    """What one resource of the template became."""

    logical_id: str
    resource_type: str
    became: str  # component | part | connection | kept
    component: str | None = None  # the component (or, for a part, its owner)
    connections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generic: bool = False  # a component of the generic cloudformation_resource type

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"logical_id": self.logical_id, "type": self.resource_type, "became": self.became}
        if self.component:
            data["component"] = self.component
        if self.connections:
            data["connections"] = self.connections
        if self.notes:
            data["notes"] = self.notes
        return data


@dataclass
class ImportReport:
    resources: dict[str, ResourceEntry] = field(default_factory=dict)
    connections: list[dict[str, Any]] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)
    kept_sections: list[str] = field(default_factory=list)
    # Components SAM makes from a function's events (its implicit API, a schedule's rule): no resource
    # of the template stands for them, the export writes them as resources of their own.
    implicit: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        became = [entry.became for entry in self.resources.values()]
        mapped = sum(1 for entry in self.resources.values() if entry.became == "component" and not entry.generic)
        return {
            "resources": len(became),
            "components": became.count("component"),
            "mapped_to_catalog_types": mapped,
            "kept_as_cloudformation_resource": became.count("component") - mapped,
            "parts": became.count("part"),
            "connections": became.count("connection"),
            "kept_not_drawn": became.count("kept"),
            "connections_drawn": len(self.connections),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "resources": [entry.as_dict() for entry in self.resources.values()],
            "connections": self.connections,
            "kept_sections": self.kept_sections,
            "implicit_components": self.implicit,
            "not_understood": self.not_understood,
        }


@dataclass
class ImportResult:
    design: Design
    report: ImportReport


def component_id(logical_id: str) -> str:
    """A design id from a logical id: OrdersTable → orders_table, MyAPIFunction → my_api_function."""
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", logical_id)
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words)
    slug = re.sub(r"[^a-z0-9_]+", "_", words.lower()).strip("_") or "resource"
    return (slug if slug[0].isalpha() else f"r_{slug}")[:64].rstrip("_")


class Importer:
    """One template's import. ``run()`` returns the design document (as data) and fills ``report``."""

    def __init__(self, template: Mapping[str, Any], *, name: str, catalog: Catalog) -> None:
        self.template = template
        self.name = name
        self.catalog = catalog
        self.resources: dict[str, dict[str, Any]] = dict(template["Resources"])
        globals_ = template.get("Globals")
        self.globals: dict[str, Any] = globals_ if isinstance(globals_, dict) else {}
        self.report = ImportReport()
        self.refs = {
            lid: referenced_names(r.get("Properties") or {}) & set(self.resources) for lid, r in self.resources.items()
        }
        self.referrers: dict[str, set[str]] = {lid: set() for lid in self.resources}
        for lid, names in self.refs.items():
            for name in names:
                self.referrers[name].add(lid)
        self.components: dict[str, dict[str, Any]] = {}  # component id → component data
        self.owner: dict[str, str] = {}  # logical id → component id (components and their parts)
        self.ctype_of: dict[str, ComponentType] = {}  # logical id → catalog type of its component
        self.kept: dict[str, Any] = {}  # logical id → resource kept verbatim, not drawn
        self.connections: list[dict[str, Any]] = []
        self.taken_ids: set[str] = set()
        self.network_notes: dict[str, list[str]] = {}  # VPC logical id → what its group's props assume

    # -- classification ---------------------------------------------------------------------------------

    def candidates(self, logical_id: str) -> list[ComponentType]:
        resource = self.resources[logical_id]
        resource_type = resource["Type"]
        found = self.catalog.types_for_resource(resource_type)
        if resource_type == "AWS::ApiGatewayV2::Api" and len(found) > 1:
            websocket = (resource.get("Properties") or {}).get("ProtocolType") == "WEBSOCKET"
            found = [t for t in found if ("websocket" in t.name) == websocket] or found
        return found

    def classify(self) -> None:
        pending: dict[str, list[ComponentType]] = {}
        for logical_id, resource in self.resources.items():
            found = self.candidates(logical_id)
            resource_type = resource["Type"]
            if not found:
                continue
            mains = [t for t in found if t.cloudformation_types[0] == resource_type]
            if mains and (len(mains) == len(found) or resource_type in NEVER_PARTS):
                self.add_component(logical_id, mains[0])
            else:
                pending[logical_id] = found
        while pending:
            self.attach_parts(pending)
            if not pending:
                break
            # The most referred-to first: a cluster its instances name becomes the component they join.
            logical_id = max(
                pending, key=lambda lid: (len(self.referrers[lid] & set(pending)), -list(pending).index(lid))
            )
            found = pending.pop(logical_id)
            mains = [t for t in found if t.cloudformation_types[0] == self.resources[logical_id]["Type"]]
            if mains or not self.lone_part_kept_apart(logical_id, found):
                self.add_component(logical_id, (mains or found)[0])

    def lone_part_kept_apart(self, logical_id: str, found: list[ComponentType]) -> bool:
        """A part type with no component of its type in the template to join (an OpenSearch Serverless
        security policy naming its collection by name, not by reference) would become a component of its
        own, which the export writes as a whole new collection: it is kept as written instead, when the
        template has a component of that type to name (else it stands for the component)."""
        names = {t.name for t in found}
        if not any(self.ctype_of[n].name in names for n in self.owner):
            return False
        self.add_generic_or_keep(logical_id)
        return True

    def attach_parts(self, pending: dict[str, list[ComponentType]]) -> None:
        changed = True
        while changed:
            changed = False
            for logical_id in list(pending):
                if self.resources[logical_id]["Type"] in NEVER_PARTS:
                    continue
                names = {t.name for t in pending[logical_id]}
                neighbours = sorted(self.refs[logical_id] | self.referrers[logical_id])
                owner = next((n for n in neighbours if n in self.owner and self.ctype_of[n].name in names), None)
                if owner is None:
                    continue
                pending.pop(logical_id)
                self.add_part(logical_id, self.owner[owner], self.ctype_of[owner])
                changed = True

    # -- components ------------------------------------------------------------------------------------

    def new_id(self, logical_id: str) -> str:
        base = component_id(logical_id)
        candidate, number = base, 2
        while candidate in self.taken_ids:
            suffix = f"_{number}"
            candidate, number = base[: 64 - len(suffix)] + suffix, number + 1
        self.taken_ids.add(candidate)
        return candidate

    def keep_block(self, logical_id: str) -> dict[str, Any]:
        resource = self.resources[logical_id]
        return {
            "logical_id": logical_id,
            "resource_type": resource["Type"],
            "properties": resource.get("Properties") or {},
            # every key beside Type and Properties, the known attributes and any other the template has
            "attributes": {key: value for key, value in resource.items() if key not in ("Type", "Properties")},
            "parts": {},
        }

    def add_component(self, logical_id: str, ctype: ComponentType) -> None:
        resource = self.resources[logical_id]
        properties = with_globals(resource["Type"], resource.get("Properties") or {}, self.globals)
        parameters = self.template.get("Parameters")
        props, notes, modelled = props_from(
            ctype, resource["Type"], properties, parameters if isinstance(parameters, dict) else None
        )
        if ctype.name == "eventbridge_bus" and resource["Type"] == "AWS::Events::Rule" and not props:
            notes.append("the rule has neither a literal schedule nor a literal event pattern")
        cid = self.new_id(logical_id)
        self.components[cid] = {
            "id": cid,
            "type": ctype.name,
            "label": logical_id[:200],
            "props": props,
            "cloudformation": self.keep_block(logical_id) | {"modelled": modelled},
        }
        self.owner[logical_id] = cid
        self.ctype_of[logical_id] = ctype
        self.report.resources[logical_id] = ResourceEntry(logical_id, resource["Type"], "component", cid, notes=notes)

    def add_part(self, logical_id: str, cid: str, ctype: ComponentType) -> None:
        resource = self.resources[logical_id]
        self.components[cid]["cloudformation"]["parts"][logical_id] = resource
        self.owner[logical_id] = cid
        self.ctype_of[logical_id] = ctype
        self.report.resources[logical_id] = ResourceEntry(
            logical_id, resource["Type"], "part", cid, notes=[f"part of {cid} ({ctype.label}), kept as written"]
        )

    def add_generic_or_keep(self, logical_id: str) -> None:
        resource = self.resources[logical_id]
        ctype = self.catalog.types[GENERIC]
        props = {"resource_type": resource["Type"], "properties": resource.get("Properties") or {}}
        problems = ctype.props.check(props, ("props",))
        if not problems:
            problems = resource_problems(props, ctype.props.defaults(), ("props",))
        if problems:
            self.keep(logical_id, f"kept as written, not drawn: a {GENERIC} cannot hold it ({problems[0].message})")
            return
        cid = self.new_id(logical_id)
        self.components[cid] = {
            "id": cid,
            "type": GENERIC,
            "label": logical_id[:200],
            "props": props,
            "cloudformation": self.keep_block(logical_id) | {"properties": {}},
        }
        self.owner[logical_id] = cid
        self.ctype_of[logical_id] = ctype
        self.report.resources[logical_id] = ResourceEntry(
            logical_id, resource["Type"], "component", cid, notes=[f"kept verbatim as {GENERIC}"], generic=True
        )

    def fold_wiring(self, wiring: Any) -> None:
        """Wiring no connection consumed: a part of the one component it touches (an execution role, a log
        group), the permission of a connection between the components it touches, or kept and not drawn."""
        changed = True
        while changed:
            changed = False
            for logical_id in self.resources:
                if logical_id in self.report.resources:
                    continue
                touched = {self.owner[n] for n in self.refs[logical_id] | self.referrers[logical_id] if n in self.owner}
                if len(touched) == 1:
                    cid = touched.pop()
                    self.add_part(logical_id, cid, self.catalog.types[self.components[cid]["type"]])
                    changed = True
        for logical_id, resource in self.resources.items():
            if logical_id in self.report.resources:
                continue
            touched = {self.owner[n] for n in self.refs[logical_id] | self.referrers[logical_id] if n in self.owner}
            links = sorted(c["id"] for (s, t, _), c in wiring.pairs.items() if s in touched and t in touched)
            what = self.catalog.wiring_types.get(resource["Type"], "wiring")
            if links:
                self.report.resources[logical_id] = ResourceEntry(
                    logical_id, resource["Type"], "connection", connections=links, notes=[f"{what}, kept as written"]
                )
                self.kept[logical_id] = resource
            else:
                self.keep(logical_id, f"kept as written, not drawn ({what})")

    def drop_regenerated_dependencies(self) -> None:
        """DependsOn on wiring the export regenerates under its own names (a subscription, a permission)
        would name nothing in the export: those entries are dropped from what is kept, and reported."""
        gone = {
            lid for lid, entry in self.report.resources.items() if entry.became == "connection" and lid not in self.kept
        }
        if not gone:
            return
        holders = [
            (c["cloudformation"]["logical_id"], c["cloudformation"]["attributes"])
            for c in self.components.values()
            if "cloudformation" in c
        ]
        holders += [
            (lid, r)
            for c in self.components.values()
            if "cloudformation" in c
            for lid, r in c["cloudformation"]["parts"].items()
        ]
        holders += list(self.kept.items())
        for logical_id, holder in holders:
            depends = holder.get("DependsOn")
            names = depends if isinstance(depends, list) else [depends] if depends is not None else []
            dropped = [name for name in names if name in gone]
            if not dropped:
                continue
            rest = [name for name in names if name not in gone]
            if rest:
                holder["DependsOn"] = rest if isinstance(depends, list) else rest[0]
            else:
                holder.pop("DependsOn")
            self.report.resources[logical_id].notes.append(
                f"DependsOn {', '.join(dropped)} left out: the export regenerates that wiring under its own names"
            )

    def keep(self, logical_id: str, note: str) -> None:
        resource = self.resources[logical_id]
        self.kept[logical_id] = resource
        self.report.resources[logical_id] = ResourceEntry(logical_id, resource["Type"], "kept", notes=[note])

    # -- the whole import ---------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        from apps.importing.groups import vpc_groups
        from apps.importing.wiring import Wiring

        self.classify()
        wiring = Wiring(self)
        wiring.implicit_components()
        for logical_id, resource in self.resources.items():
            if logical_id in self.report.resources:
                continue
            if resource["Type"] in self.catalog.wiring_types:
                continue  # the wiring pass decides: consumed into a connection, or kept
            self.add_generic_or_keep(logical_id)
        wiring.connect_all()
        groups = vpc_groups(wiring)
        self.fold_wiring(wiring)
        self.drop_regenerated_dependencies()
        self.report.resources = {
            lid: self.report.resources[lid] for lid in self.resources if lid in self.report.resources
        }
        sections = {key: self.template[key] for key in SECTIONS if key in self.template}
        self.report.kept_sections = list(sections)
        kept = {SECTIONS[key]: value for key, value in sections.items()}
        if "description" in kept and not isinstance(kept["description"], str):
            self.report.not_understood.append("Description is not text; it was left out")
            kept.pop("description")
        if "format_version" in kept and not isinstance(kept["format_version"], str):
            kept.pop("format_version")
        for key in ("parameters", "mappings", "conditions", "rules", "outputs", "metadata", "globals"):
            if key in kept and not isinstance(kept[key], dict):
                self.report.not_understood.append(f"{key.capitalize()} is not a mapping; it was left out")
                kept.pop(key)
        if self.kept:
            kept["resources"] = self.kept
        description = self.template.get("Description")
        return {
            "schema": SCHEMA_ID,
            "name": self.name,
            "description": description[:5000] if isinstance(description, str) else "",
            "groups": groups,
            "components": list(self.components.values()),
            "connections": self.connections,
            "cloudformation": kept,
        }


def macro_problems(template: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Macros the template runs (refused: their code runs at deploy time and no one reviewed it here) and
    the AWS-owned ones that fetch something from outside the template (kept and reported)."""
    transforms = template.get("Transform")
    names = [t for t in (transforms if isinstance(transforms, list) else [transforms]) if t is not None]
    external: list[str] = []
    stack: list[Any] = [template.get("Resources"), template.get("Outputs"), template.get("Conditions")]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            call = item.get("Fn::Transform")
            if isinstance(call, dict):
                names.append(call.get("Name"))
                location = (
                    (call.get("Parameters") or {}).get("Location") if isinstance(call.get("Parameters"), dict) else None
                )
                external.append(f"Fn::Transform {call.get('Name')} reads {location!r} at deploy time; kept as written")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    macros = sorted({str(name) for name in names if not (isinstance(name, str) and name.startswith("AWS::"))})
    return macros, external


def import_template(
    raw: bytes | str, *, name: str = "Imported template", catalog: Catalog | None = None
) -> ImportResult:
    """Read a SAM or CloudFormation template and return the design it makes, with the report.

    Raises ``TemplateRefused`` for input that is not a template Tierplan reads (the message says why).
    The design is validated like any other document; a failure there is a bug of this engine, not of the
    input, and surfaces as ``DesignInvalid``.
    """
    notes: list[str] = []
    template = load_template(raw, notes)
    macros, external = macro_problems(template)
    if macros:
        raise TemplateRefused(
            f"the template runs the macro {', '.join(macros)}: its code would run at deploy time, so it is not imported"
        )
    notes += external
    catalog = catalog or get_catalog()
    importer = Importer(template, name=name[:200] or "Imported template", catalog=catalog)
    document = importer.run()
    importer.report.not_understood[:0] = notes
    design = validated(document, catalog, importer.report)
    # Laid out along the connections (the template's resource order is kept in the document and its export).
    design = lay_out(design, ranks=flow_order(design))
    return ImportResult(design=design, report=importer.report)


CONNECTION_POINTER = re.compile(r"^/connections/(\d+)(/|$)")


def validated(document: dict[str, Any], catalog: Catalog, report: ImportReport) -> Design:
    """The design, validated; a connection the catalog allows between two types but refuses for these two
    components (a REST API to an Application Load Balancer, say) is left undrawn and reported, its wiring
    still kept as written. Anything else that fails is a bug of this engine and is raised."""
    for _ in range(3):
        try:
            return validate_design(document, catalog=catalog)
        except DesignInvalid as invalid:
            found = [CONNECTION_POINTER.match(problem.pointer) for problem in invalid.problems]
            if not all(found):
                raise
            refused = {int(match.group(1)) for match in found if match}
            for index in sorted(refused):
                connection = document["connections"][index]
                messages = "; ".join(p.message for p, m in zip(invalid.problems, found, strict=True)
                                     if m and int(m.group(1)) == index)  # fmt: skip
                report.not_understood.append(
                    f"{connection['source']} → {connection['target']} ({connection['kind']}) is not drawn: "
                    f"{messages}; its wiring stays in the template as written"
                )
            report.connections = [c for c in report.connections if c["id"] not in
                                  {document["connections"][i]["id"] for i in refused}]  # fmt: skip
            document["connections"] = [c for i, c in enumerate(document["connections"]) if i not in refused]
    return validate_design(document, catalog=catalog)


__all__ = ["ImportReport", "ImportResult", "TemplateRefused", "component_id", "import_template"]
