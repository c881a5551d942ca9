"""The design document (``tierplan.design/v1``): one schema that validates it and publishes its JSON Schema.

Pure Python (pydantic + the catalog), no Django: the API, the CLI and every engine validate through
``validate_design``. Validation has two passes: pydantic checks shapes and types, then
``_semantic_problems`` checks what a type system cannot (references, uniqueness, catalog schemas).
Every problem names the JSON pointer of the bad field.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    SerializerFunctionWrapHandler,
    ValidationError,
    WithJsonSchema,
    model_serializer,
)

from apps.core.jsontext import JsonRefused, loads_strict
from apps.core.pointers import Invalid, Problem, json_pointer, nul_problems
from apps.designs.catalog import Catalog, get_catalog, json_depth, json_type
from apps.designs.cfn_schemas import resource_problems
from apps.designs.domains import domain_problems
from apps.designs.fargate import FARGATE_SIZES, fargate_size_problems
from apps.designs.instances import EC2_CAPACITIES, batch_instance_problems

SCHEMA_ID = "tierplan.design/v1"
MAX_BYTES = 2 * 1024 * 1024
MAX_COMPONENTS = 1000
MAX_CONNECTIONS = 5000
MAX_GROUPS = 200
MAX_LABEL = 200
SLUG_PATTERN = r"^[a-z][a-z0-9_]*$"
REGION_PATTERN = r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$"


def _finite_number(value: Any) -> int | float:
    # JSON numbers only: no booleans, no numeric strings, no NaN/Infinity. Ints stay ints so that a
    # saved document reads back the way it was written.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number")
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Number = Annotated[int | float, PlainValidator(_finite_number), WithJsonSchema({"type": "number"})]
NonNegative = Annotated[Number, Field(ge=0)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=64)]
Label = Annotated[str, Field(max_length=MAX_LABEL)]
JsonFields = dict[str, Any]


class _Strict(BaseModel):
    # strict: "3" is not 3 and 1 is not true; forbid: a misspelt field is an error, not silently dropped.
    model_config = ConfigDict(extra="forbid", strict=True)


class Position(_Strict):
    x: Annotated[Number, Field(ge=-1e7, le=1e7)]
    y: Annotated[Number, Field(ge=-1e7, le=1e7)]


class Size(_Strict):
    width: Annotated[Number, Field(gt=0, le=1e7)]
    height: Annotated[Number, Field(gt=0, le=1e7)]


class TierEntry(_Strict):
    id: str = Field(description="presentation, logic or data")
    label: Label | None = None


class Group(_Strict):
    id: Slug
    kind: str = Field(description="Group kind from the catalog: vpc or account")
    label: Label = ""
    parent: Slug | None = Field(default=None, description="Id of the group this one is nested in")
    props: JsonFields = Field(default_factory=dict)
    position: Position | None = None
    size: Size | None = None


LOGICAL_ID_PATTERN = r"^[A-Za-z0-9]{1,255}$"
LogicalId = Annotated[str, Field(pattern=LOGICAL_ID_PATTERN, max_length=255)]
KEPT_MAX_BYTES = 1024 * 1024  # the template a design was imported from is at most 1 MB
KEPT_MAX_DEPTH = 64


class _Kept(_Strict):
    """What an imported template said that the design does not model, kept so that exports write it back.

    Optional and left out of the canonical form when absent, so documents without it (every design not
    imported) read, validate and hash exactly as before.
    """

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value not in (None, {}, [], "")}


class ComponentCloudFormation(_Kept):
    """The template resource a component was imported from, as far as its props do not say it."""

    logical_id: LogicalId = Field(description="Logical id in the imported template; exports keep it")
    resource_type: Annotated[str, Field(max_length=256)] = Field(
        default="", description="The resource's type in the imported template"
    )
    properties: JsonFields = Field(
        default_factory=dict,
        description="The resource's Properties as written (intrinsics in long form); exports write back the "
        "ones the component's props and connections do not produce",
    )
    modelled: Annotated[list[Annotated[str, Field(max_length=255)]], Field(max_length=200)] = Field(
        default_factory=list,
        description="Properties the component's props stand for: exports write these from the props (so an edit "
        "on the canvas takes effect) and every other kept property as written",
    )
    attributes: JsonFields = Field(
        default_factory=dict,
        description="Condition, DependsOn, Metadata, DeletionPolicy, UpdateReplacePolicy, UpdatePolicy, CreationPolicy",
    )
    parts: JsonFields = Field(
        default_factory=dict,
        description="Resources of the template folded into this component (a task definition, a resolver…), by logical id",
    )


class DesignCloudFormation(_Kept):
    """The sections of an imported template that are not resources, and the resources drawn as nothing."""

    format_version: Annotated[str, Field(max_length=64)] = ""
    description: Annotated[str, Field(max_length=1024)] = ""
    transform: Any = Field(default=None, description="Transform, as written (a name or a list)")
    parameters: JsonFields = Field(default_factory=dict)
    mappings: JsonFields = Field(default_factory=dict)
    conditions: JsonFields = Field(default_factory=dict)
    rules: JsonFields = Field(default_factory=dict)
    outputs: JsonFields = Field(default_factory=dict)
    metadata: JsonFields = Field(default_factory=dict)
    globals: JsonFields = Field(default_factory=dict, description="SAM's Globals section")
    resources: JsonFields = Field(
        default_factory=dict,
        description="Resources kept exactly as written and not drawn (roles, permissions, resources whose "
        "properties a component cannot hold), by logical id",
    )


def _without_absent_keep(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("cloudformation") is None:
        data.pop("cloudformation", None)
    return data


class Component(_Strict):
    id: Slug
    type: str = Field(description="Component type from the catalog")
    tier: str | None = Field(default=None, description="Tier id; defaults to the type's tier")
    label: Label = ""
    props: JsonFields = Field(default_factory=dict, description="Configuration, per the type's props schema")
    usage: JsonFields = Field(default_factory=dict, description="Traffic, per the type's usage schema")
    group: Slug | None = None
    position: Position | None = None
    cloudformation: ComponentCloudFormation | None = Field(
        default=None, description="Imported designs: the template resource this component came from"
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_absent_keep(handler(self))


class Connection(_Strict):
    id: Slug
    source: Slug
    target: Slug
    kind: str = Field(description="Connection kind from the catalog")
    label: Label = ""
    props: JsonFields = Field(default_factory=dict)


class Workload(_Strict):
    requests_per_month: Annotated[NonNegative, Field(le=1e13)] = 1_000_000
    avg_request_kb: Annotated[NonNegative, Field(le=102400)] = 2
    avg_response_kb: Annotated[NonNegative, Field(le=102400)] = 8
    monthly_active_users: Annotated[NonNegative, Field(le=1e10)] = 10_000


def _default_tiers() -> list[TierEntry]:
    return [TierEntry(id=name) for name in get_catalog().tier_order]


class Design(_Strict):
    """A validated design document. Build one with ``validate_design``, not directly."""

    schema_: Literal["tierplan.design/v1"] = Field(alias="schema")
    name: Annotated[str, Field(min_length=1, max_length=MAX_LABEL)]
    description: Annotated[str, Field(max_length=5000)] = ""
    region: Annotated[str, Field(pattern=REGION_PATTERN)] = "us-east-1"
    tiers: list[TierEntry] = Field(default_factory=_default_tiers)
    groups: Annotated[list[Group], Field(max_length=MAX_GROUPS)] = Field(default_factory=list)
    components: Annotated[list[Component], Field(max_length=MAX_COMPONENTS)] = Field(default_factory=list)
    connections: Annotated[list[Connection], Field(max_length=MAX_CONNECTIONS)] = Field(default_factory=list)
    workload: Workload = Field(default_factory=Workload)
    cloudformation: DesignCloudFormation | None = Field(
        default=None, description="Imported designs: what the template held that the design does not model"
    )

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_absent_keep(handler(self))

    def canonical(self) -> dict[str, Any]:
        """The document as plain JSON data, with defaults filled in (what is stored and hashed)."""
        return self.model_dump(mode="json", by_alias=True)

    def content_hash(self) -> str:
        return content_hash(self.canonical())

    def component(self, component_id: str) -> Component:
        return next(c for c in self.components if c.id == component_id)


class DesignInvalid(Invalid):
    """The document is not a valid design; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems or [Problem("", "invalid design")])
        first = self.problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        self.args = (f"{first.pointer or '/'}: {first.message}{more}",)


def enclosing_groups(groups: Mapping[str, Group], group_id: str | None) -> list[Group]:
    """The group ``group_id`` and the groups it is nested in, innermost first.

    Unknown ids and cycles end the walk (validation refuses both, but engines may see unvalidated data).
    """
    chain: list[Group] = []
    seen: set[str] = set()
    while group_id is not None and group_id not in seen and group_id in groups:
        seen.add(group_id)
        chain.append(groups[group_id])
        group_id = groups[group_id].parent
    return chain


def enclosing_group(groups: Mapping[str, Group], group_id: str | None, kind: str) -> Group | None:
    """The innermost group of ``kind`` that ``group_id`` is, or is nested in."""
    return next((group for group in enclosing_groups(groups, group_id) if group.kind == kind), None)


def account_region(design: Design, account: Group | None) -> str:
    """The region an account group's services run in: its own ``region`` prop, else the design's."""
    region = account.props.get("region") if account is not None else None
    return region if isinstance(region, str) and region else design.region


@dataclass(frozen=True)
class Link:
    """A connection with its two components resolved (what engines walk instead of raw ids)."""

    connection: Connection
    source: Component
    target: Component

    @property
    def id(self) -> str:
        return self.connection.id

    @property
    def kind(self) -> str:
        return self.connection.kind

    def prop(self, name: str) -> Any:
        """The connection's prop, or its kind's catalog default."""
        spec = get_catalog().connection_kinds[self.kind].props.fields.get(name)
        return self.connection.props.get(name, spec.default if spec else None)


def content_hash(canonical: dict[str, Any]) -> str:
    """sha256 of the canonical JSON form: key order and whitespace never change the hash."""
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def validate_design(data: Any, *, catalog: Catalog | None = None) -> Design:
    """Validate a parsed design document; return it with defaults filled in or raise ``DesignInvalid``."""
    catalog = catalog or get_catalog()
    if not isinstance(data, dict):
        raise DesignInvalid([Problem("", "a design document must be a JSON object")])
    nul = nul_problems(data)
    if nul:
        raise DesignInvalid(nul)
    try:
        design = Design.model_validate(data)
    except ValidationError as exc:
        raise DesignInvalid([_problem_from_pydantic(error) for error in exc.errors()]) from None
    problems = _semantic_problems(design, catalog)
    if problems:
        raise DesignInvalid(problems)
    for component in design.components:
        if component.tier is None:
            component.tier = catalog.types[component.type].tier
    return design


def parse_design(raw: bytes | str) -> Design:
    """Decode, size-check and validate a design document given as JSON text (the CLI's entry point)."""
    encoded = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(encoded) > MAX_BYTES:
        raise DesignInvalid([Problem("", f"the document is {len(encoded)} bytes; at most {MAX_BYTES} are allowed")])
    try:
        data = loads_strict(encoded.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DesignInvalid([Problem("", f"the document is not UTF-8 ({exc.reason} at byte {exc.start})")]) from None
    except JsonRefused as exc:
        raise DesignInvalid([Problem("", str(exc))]) from None
    return validate_design(data)


def empty_design(name: str) -> dict[str, Any]:
    """The canonical form of a design with nothing in it yet."""
    return Design.model_validate({"schema": SCHEMA_ID, "name": name}).canonical()


def _problem_from_pydantic(error: Any) -> Problem:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "missing":
        message = "this field is required"
    elif message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return Problem(json_pointer(loc), message)


def _duplicates(items: Iterable[Any], collection: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        if item.id in seen:
            first = json_pointer((collection, seen[item.id], "id"))
            problems.append(
                Problem(json_pointer((collection, index, "id")), f"duplicate id {item.id!r} (first used at {first})")
            )
        else:
            seen[item.id] = index
    return problems


def _unknown(name: str, known: Iterable[str], what: str) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
    return f"unknown {what} {name!r}{hint}"


def _semantic_problems(design: Design, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []

    tier_ids = set()
    for index, entry in enumerate(design.tiers):
        if entry.id not in catalog.tiers:
            problems.append(Problem(json_pointer(("tiers", index, "id")), _unknown(entry.id, catalog.tiers, "tier")))
        elif entry.id in tier_ids:
            problems.append(Problem(json_pointer(("tiers", index, "id")), f"tier {entry.id!r} is listed twice"))
        tier_ids.add(entry.id)

    problems += _duplicates(design.groups, "groups")
    groups = {group.id: group for group in design.groups}
    for index, group in enumerate(design.groups):
        group_kind = catalog.group_kinds.get(group.kind)
        if group_kind is None:
            problems.append(
                Problem(
                    json_pointer(("groups", index, "kind")), _unknown(group.kind, catalog.group_kinds, "group kind")
                )
            )
        else:
            problems += group_kind.props.check(group.props, ("groups", index, "props"))
        if group.parent is not None:
            pointer = json_pointer(("groups", index, "parent"))
            parent = groups.get(group.parent)
            if parent is None:
                problems.append(Problem(pointer, f"no group has the id {group.parent!r}"))
            elif group_kind is not None and parent.kind not in group_kind.parents:
                allowed = ", ".join(sorted(group_kind.parents)) or "no group"
                problems.append(Problem(pointer, f"a {group.kind} group can only be nested in: {allowed}"))
            elif _has_cycle(group.id, groups):
                problems.append(Problem(pointer, "groups are nested in a cycle"))

    problems += _duplicates(design.components, "components")
    components = {component.id: component for component in design.components}
    for index, component in enumerate(design.components):
        ctype = catalog.types.get(component.type)
        if ctype is None:
            problems.append(
                Problem(
                    json_pointer(("components", index, "type")),
                    _unknown(component.type, catalog.types, "component type"),
                )
            )
        else:
            prop_problems = ctype.props.check(component.props, ("components", index, "props"))
            problems += prop_problems
            problems += ctype.usage.check(component.usage, ("components", index, "usage"))
            if component.type == "cloudformation_resource" and not prop_problems:
                # its properties follow CloudFormation's schema of its resource type, not the catalog's
                problems += resource_problems(component.props, ctype.props.defaults(), ("components", index, "props"))
            if component.type in ("rds_instance", "aurora_cluster"):
                problems += aurora_capacity_problems(
                    component.props, ctype.props.defaults(), ("components", index, "props")
                )
            if component.type == "nested_application" and not prop_problems:
                problems += nested_application_problems(component.props, ("components", index, "props"))
            on_instances = component.type == "batch_job_queue" and (
                {**ctype.props.defaults(), **component.props}.get("capacity") in EC2_CAPACITIES
            )
            if on_instances:
                problems += batch_instance_problems(
                    component.props, ctype.props.defaults(), ("components", index, "props")
                )
            elif component.type in FARGATE_SIZES:
                cpu, memory = FARGATE_SIZES[component.type]
                problems += fargate_size_problems(
                    component.props, ctype.props.defaults(), ("components", index, "props"), cpu=cpu, memory=memory
                )
        tier = component.tier if component.tier is not None else (ctype.tier if ctype else None)
        if tier is not None and tier not in tier_ids:
            problems.append(
                Problem(
                    json_pointer(("components", index, "tier")),
                    f"tier {tier!r} is not one of the design's tiers ({', '.join(sorted(tier_ids))})",
                )
            )
        if component.group is not None and component.group not in groups:
            problems.append(
                Problem(json_pointer(("components", index, "group")), f"no group has the id {component.group!r}")
            )

    problems += _duplicates(design.connections, "connections")
    for index, connection in enumerate(design.connections):
        ends_known = True
        for end in ("source", "target"):
            ref = getattr(connection, end)
            if ref not in components:
                problems.append(Problem(json_pointer(("connections", index, end)), f"no component has the id {ref!r}"))
                ends_known = False
        if connection.source == connection.target:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")), "a connection cannot link a component to itself"
                )
            )
        kind = catalog.connection_kinds.get(connection.kind)
        if kind is None:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "kind")),
                    _unknown(connection.kind, catalog.connection_kinds, "connection kind"),
                )
            )
            continue
        problems += kind.props.check(connection.props, ("connections", index, "props"))
        if ends_known:
            source_type = components[connection.source].type
            target_type = components[connection.target].type
            if (
                source_type in catalog.types
                and target_type in catalog.types
                and not kind.allows(source_type, target_type)
            ):
                valid = catalog.kinds_between(source_type, target_type)
                hint = f"valid kinds: {', '.join(valid)}" if valid else "no kind of connection is valid between them"
                why = kind.excludes.get((source_type, target_type))
                if why:
                    hint = f"{why}; {hint}"
                problems.append(
                    Problem(
                        json_pointer(("connections", index, "kind")),
                        f"a {connection.kind!r} connection cannot go from {source_type} to {target_type} ({hint})",
                    )
                )
            elif (connection.kind, source_type, target_type) == ("integrate", "api_gateway_rest", "load_balancer"):
                balancer = {**catalog.types[target_type].props.defaults(), **components[connection.target].props}
                if balancer.get("balancer_type") != "network":
                    problems.append(
                        Problem(
                            json_pointer(("connections", index, "target")),
                            "a REST API reaches a load balancer through a VPC link to a Network Load Balancer "
                            "(Tierplan does not write the VPC link V2 a REST API needs for an Application Load "
                            "Balancer yet): make it balancer_type network, or use an HTTP API",
                        )
                    )
            elif connection.kind == "poll":
                problems += poll_source_problems(source_type, connection.props, ("connections", index, "props"))
                if connection.props.get("enhanced_fan_out") and (source_type, target_type) != (
                    "kinesis_stream",
                    "lambda_function",
                ):
                    problems.append(
                        Problem(
                            json_pointer(("connections", index, "props", "enhanced_fan_out")),
                            "enhanced fan-out is a Kinesis stream consumer that Tierplan maps to a Lambda function "
                            "only; poll a Kinesis stream with a function, or leave it off",
                        )
                    )
    problems += domain_problems(
        design,
        components,
        catalog,
        lambda group_id, kind: enclosing_group(groups, group_id, kind),
        lambda account: account_region(design, account),
    )
    problems += _kept_problems(design)
    return problems + _layer_problems(design, components) + _web_acl_problems(design, components, groups)


def _macro_in(value: Any) -> str | None:
    """The first macro kept CloudFormation would run (a Transform or Fn::Transform not named AWS::…)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            names = _listed_names(item.get("transform")) if item is value else []  # the design block's
            call = item.get("Fn::Transform")
            if isinstance(call, dict):
                names += _listed_names(call.get("Name"))
            for name in names:
                if not name.startswith("AWS::"):
                    return name
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _listed_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [str(item) for item in items]


def _kept_problems(design: Design) -> list[Problem]:
    """What the kept CloudFormation of an imported design may not do: outgrow the template it came from,
    nest past what any walk over it should follow, or give two resources one logical id."""
    problems: list[Problem] = []
    kept: list[tuple[tuple[str | int, ...], Any]] = []
    if design.cloudformation is not None:
        kept.append((("cloudformation",), design.cloudformation.model_dump(mode="json")))
    owners: dict[str, str] = {}
    for index, component in enumerate(design.components):
        if component.cloudformation is None:
            continue
        path: tuple[str | int, ...] = ("components", index, "cloudformation")
        kept.append((path, component.cloudformation.model_dump(mode="json")))
        names = [(component.cloudformation.logical_id, (*path, "logical_id"))]
        names += [(name, (*path, "parts", name)) for name in component.cloudformation.parts]
        for name, where in names:
            if name in owners:
                problems.append(Problem(json_pointer(where), f"logical id {name!r} is already used at {owners[name]}"))
            owners.setdefault(name, json_pointer(where))
    if design.cloudformation is not None:
        for name in design.cloudformation.resources:
            if name in owners:
                pointer = json_pointer(("cloudformation", "resources", name))
                problems.append(Problem(pointer, f"logical id {name!r} is already used at {owners[name]}"))
    total = 0
    for path, value in kept:
        macro = _macro_in(value)
        if macro is not None:
            problems.append(
                Problem(json_pointer(path), f"runs the macro {macro!r}; only AWS's transforms (AWS::…) are kept")
            )
        if json_depth(value) > KEPT_MAX_DEPTH:
            problems.append(Problem(json_pointer(path), f"is nested more than {KEPT_MAX_DEPTH} levels deep"))
        total += len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if total > KEPT_MAX_BYTES:
        problems.append(
            Problem("/cloudformation", f"the kept CloudFormation is {total} bytes; at most {KEPT_MAX_BYTES}")
        )
    return problems


STACK_PARAMETER_NAME = re.compile(r"^[A-Za-z0-9]{1,255}$")


def nested_application_problems(props: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
    """A nested stack comes from one place, and its parameters are named and valued as CloudFormation takes them."""
    problems: list[Problem] = []
    if props.get("application_id") and props.get("template_url"):
        problems.append(Problem(json_pointer((*path, "template_url")), "give application_id or template_url, not both"))
    for name, value in (props.get("parameters") or {}).items():
        pointer = json_pointer((*path, "parameters", name))
        if not STACK_PARAMETER_NAME.match(name):
            problems.append(Problem(pointer, "a parameter name is 1 to 255 letters and digits"))
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            problems.append(Problem(pointer, f"must be a string or a number, not {json_type(value)}"))
        elif isinstance(value, str) and (len(value) > 4096 or re.search(r"[\x00-\x1f\x7f]|\{\{", value)):
            problems.append(Problem(pointer, "must be one line of at most 4,096 characters without {{"))
    return problems


def _web_acl_problems(
    design: Design, components: Mapping[str, Component], groups: Mapping[str, Group]
) -> list[Problem]:
    """What AWS WAF refuses: a rate limit under 10, one web ACL for CloudFront and for regional resources
    (its scope is one or the other), a CloudFront web ACL outside us-east-1, a target in another account."""
    problems: list[Problem] = []
    for index, component in enumerate(design.components):
        if component.type != "waf_web_acl":
            continue
        limit = component.props.get("rate_limit")
        if isinstance(limit, int) and 0 < limit < 10:
            problems.append(
                Problem(
                    json_pointer(("components", index, "props", "rate_limit")), "must be 0 (no limit) or at least 10"
                )
            )
        account = enclosing_group(groups, component.group, "account")
        region = account_region(design, account)
        scopes: set[str] = set()
        for position, connection in enumerate(design.connections):
            target = components.get(connection.target)
            if connection.kind != "protect" or connection.source != component.id or target is None:
                continue
            pointer = json_pointer(("connections", position, "target"))
            scope = "CLOUDFRONT" if target.type == "cloudfront" else "REGIONAL"
            if scopes and scope not in scopes:
                problems.append(
                    Problem(pointer, "a web ACL protects CloudFront distributions or regional resources, not both")
                )
            scopes.add(scope)
            if scope == "CLOUDFRONT" and region != "us-east-1":
                problems.append(
                    Problem(
                        pointer, f"a web ACL for CloudFront is created in us-east-1, and {component.id} is in {region}"
                    )
                )
            if enclosing_group(groups, target.group, "account") is not account:
                problems.append(Problem(pointer, f"{target.id} is in another account group than {component.id}"))
    return problems


MAX_LAYERS = 5  # Lambda's quota of layers per function


def _layer_problems(design: Design, components: Mapping[str, Component]) -> list[Problem]:
    """What Lambda refuses about a function's layers: more than five, or any on a Lambda@Edge function."""
    problems: list[Problem] = []
    used: dict[str, int] = {}
    for index, connection in enumerate(design.connections):
        function = components.get(connection.source)
        if connection.kind != "layer" or function is None or function.type != "lambda_function":
            continue
        used[function.id] = used.get(function.id, 0) + 1
        if used[function.id] > MAX_LAYERS:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "source")),
                    f"{function.id} already uses {MAX_LAYERS} layers, the most Lambda allows one function",
                )
            )
        if function.props.get("role") == "edge":
            problems.append(
                Problem(json_pointer(("connections", index, "kind")), "a Lambda@Edge function cannot use layers")
            )
    return problems


# Poll props that name what to read in one kind of source: required for it when marked so, and ignored
# (never exported) on a poll from any other source, as the editor keeps one set of props per kind.
# prop: (the source type it belongs to, whether that source needs it)
POLL_SOURCE_PROPS = {
    "queue_name": ("mq_broker", True),
    "database_name": ("documentdb_cluster", True),
    "collection_name": ("documentdb_cluster", False),
    "topic": ("msk_cluster", True),
}


def poll_source_problems(source_type: str, props: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
    """Problems with the source-specific props of a poll connection from ``source_type``: a missing one."""
    return [
        Problem(json_pointer((*path, name)), f"required when Lambda polls a {owner}")
        for name, (owner, required) in POLL_SOURCE_PROPS.items()
        if source_type == owner and required and not props.get(name)
    ]


AURORA_ENGINES = ("aurora-postgresql", "aurora-mysql")
ACU_STEP = 0.5  # Aurora Serverless v2 capacities are set in half-ACU steps


def aurora_capacity_problems(
    props: Mapping[str, Any], defaults: Mapping[str, Any], path: tuple[str | int, ...]
) -> list[Problem]:
    """Problems with an Aurora Serverless v2 capacity range that one field's bounds cannot catch.

    AWS takes capacities in half-ACU steps and refuses a minimum above the maximum. The catalog bounds
    each field but cannot relate two, so this cross-field check sits here (the cost model asks too).
    Only Aurora engines use the range; an RDS instance ignores it.
    """
    values = {**defaults, **props}
    if values.get("engine") not in AURORA_ENGINES:
        return []
    problems = []
    names = ("min_capacity_acu", "max_capacity_acu")
    capacities = {name: float(values[name]) for name in names if _is_number(values.get(name))}
    for name, value in capacities.items():
        if (value / ACU_STEP) % 1:
            problems.append(
                Problem(
                    json_pointer((*path, name)),
                    f"must be a multiple of {ACU_STEP} ACU (Aurora scales in half-ACU steps)",
                )
            )
    low, high = capacities.get("min_capacity_acu"), capacities.get("max_capacity_acu")
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                json_pointer((*path, "min_capacity_acu")),
                f"the minimum capacity ({low:g} ACU) is above the maximum capacity ({high:g} ACU)",
            )
        )
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _has_cycle(start: str, groups: dict[str, Group]) -> bool:
    seen = {start}
    current = groups[start].parent
    while current is not None and current in groups:
        if current in seen:
            return True
        seen.add(current)
        current = groups[current].parent
    return False


def design_json_schema(catalog: Catalog | None = None) -> dict[str, Any]:
    """JSON Schema (2020-12) of the design document, including each type's props and usage schemas."""
    catalog = catalog or get_catalog()
    schema = Design.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    defs = schema["$defs"]
    defs["Component"]["properties"]["type"]["enum"] = sorted(catalog.types)
    defs["Component"]["properties"]["tier"] = {
        "enum": list(catalog.tier_order),
        "description": "Tier id; defaults to the type's tier",
    }
    defs["Component"]["allOf"] = [
        {
            "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
            "then": {"properties": {"props": ctype.props.json_schema(), "usage": ctype.usage.json_schema()}},
        }
        for name, ctype in catalog.types.items()
    ]
    defs["Connection"]["properties"]["kind"]["enum"] = sorted(catalog.connection_kinds)
    defs["Connection"]["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"properties": {"props": kind.props.json_schema()}},
        }
        for name, kind in catalog.connection_kinds.items()
    ]
    defs["Group"]["properties"]["kind"]["enum"] = sorted(catalog.group_kinds)
    defs["Group"]["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"properties": {"props": kind.props.json_schema()}},
        }
        for name, kind in catalog.group_kinds.items()
    ]
    defs["TierEntry"]["properties"]["id"]["enum"] = list(catalog.tier_order)
    return schema
