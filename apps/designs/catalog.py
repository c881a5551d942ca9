"""The component catalog, loaded from ``data/catalog.yaml``. Pure Python: no Django imports.

The catalog is data, like the node classes of the `diagrams` package: each component type, group kind
and connection kind is an entry with its field schemas, and every engine reads it from here.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from apps.core.jsontext import JsonRefused, loads_strict
from apps.core.pointers import Problem, json_pointer
from apps.core.strict_yaml import load_strict

CATALOG_FILE = Path(__file__).parent / "data" / "catalog.yaml"

FIELD_TYPES = ("integer", "number", "string", "boolean", "object")
# An object prop holds free-form JSON (a CloudFormation resource's properties): bounded so that one prop
# cannot fill the design document, and shallow enough for every recursive walk over it.
OBJECT_MAX_BYTES = 64 * 1024
OBJECT_MAX_DEPTH = 20
RUNTIME_FAMILIES = ("python", "nodejs", "java", "dotnet", "ruby", "provided", "go")


@dataclass(frozen=True)
class FieldSpec:
    """Schema of one prop or usage field: its type and the bounds the API enforces."""

    name: str
    type: str
    description: str = ""
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[Any, ...] | None = None
    max_length: int | None = None
    pattern: str | None = None
    unit: str | None = None
    content_media_type: str | None = None
    pattern_hint: str | None = None
    max_bytes: int | None = None  # objects: the most UTF-8 bytes of their compact JSON form
    max_depth: int | None = None  # objects: the deepest nesting of objects and arrays

    def check(self, value: Any, path: tuple[str | int, ...]) -> list[Problem]:
        """Problems with ``value`` for this field (an empty list when it is valid)."""
        pointer = json_pointer(path)
        if not _has_type(value, self.type):
            return [Problem(pointer, f"must be {_article(self.type)} {self.type}, not {json_type(value)}")]
        problems: list[Problem] = []
        if self.enum is not None and value not in self.enum:
            choices = ", ".join(json_repr(choice) for choice in self.enum)
            problems.append(Problem(pointer, f"must be one of {choices}"))
        if self.minimum is not None and value < self.minimum:
            problems.append(Problem(pointer, f"must be at least {_number(self.minimum)}"))
        if self.maximum is not None and value > self.maximum:
            problems.append(Problem(pointer, f"must be at most {_number(self.maximum)}"))
        if self.max_length is not None and len(value) > self.max_length:
            problems.append(Problem(pointer, f"must be at most {self.max_length} characters long"))
        if self.pattern is not None and isinstance(value, str) and not pattern_matches(self.pattern, value):
            expected = self.pattern_hint or f"the expected format {self.pattern}"
            problems.append(Problem(pointer, f"does not match {expected}"))
        if self.content_media_type == "application/json" and isinstance(value, str):
            why = _json_object_problem(value)
            if why:
                problems.append(Problem(pointer, why))
        if self.type == "object":
            problems += _object_bounds(value, pointer, self.max_bytes, self.max_depth)
        return problems

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type}
        for key in ("description", "default", "minimum", "maximum", "pattern"):
            value = getattr(self, key)
            if value not in (None, ""):
                schema[key] = value
        if self.enum is not None:
            schema["enum"] = list(self.enum)
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.unit:
            schema["x-unit"] = self.unit
        if self.content_media_type:
            schema["contentMediaType"] = self.content_media_type
            schema["contentSchema"] = {"type": "object"}
        if self.max_bytes is not None:
            schema["x-max-bytes"] = self.max_bytes
        if self.max_depth is not None:
            schema["x-max-depth"] = self.max_depth
        return schema


@dataclass(frozen=True)
class FieldSet:
    """A named set of fields (a type's props or usage) with unknown names rejected."""

    fields: Mapping[str, FieldSpec]

    def check(self, values: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
        problems: list[Problem] = []
        for name, value in values.items():
            spec = self.fields.get(name)
            if spec is None:
                known = ", ".join(sorted(self.fields)) or "none"
                problems.append(Problem(json_pointer((*path, name)), f"unknown field (known fields: {known})"))
            else:
                problems.extend(spec.check(value, (*path, name)))
        return problems

    def defaults(self) -> dict[str, Any]:
        # A copy: an object default must not be shared with (and changed by) whoever reads it
        return {name: copy.deepcopy(spec.default) for name, spec in self.fields.items() if spec.default is not None}

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {name: spec.json_schema() for name, spec in self.fields.items()},
            "additionalProperties": False,
        }


@dataclass(frozen=True)
class VpcEndpoint:
    """The VPC endpoint a function in private subnets needs to reach a type's service."""

    service: str  # the part after com.amazonaws.<region>.
    type: str  # Gateway (free; S3 and DynamoDB) or Interface (billed per hour and AZ)
    label: str  # how people name the service


CUSTOM_RESOURCE_PREFIX = "Custom::"
CUSTOM_RESOURCE_TYPE = "AWS::CloudFormation::CustomResource"


@dataclass(frozen=True)
class ComponentType:
    name: str
    label: str
    tier: str
    description: str
    icon: str
    props: FieldSet
    usage: FieldSet
    family: str = ""  # the service family it is listed under in the palette (catalog `families`)
    # Why no cost model can price it (the estimate lists it as not estimated, never as $0); None: priced.
    not_estimated: str | None = None
    # The CloudFormation resource types one component of this type stands for (first: the main one).
    cloudformation_types: tuple[str, ...] = ()
    # A connected function's environment variable is <COMPONENT ID>_<env_suffix>; None: no variable.
    env_suffix: str | None = None
    vpc_endpoint: VpcEndpoint | None = None
    vpc_only: bool = False  # the service runs only inside a VPC's private subnets
    # The traffic channels that reach the type (what its cost model bills) and the usage field fixing each.
    meters: Mapping[str, str | None] = field(default_factory=lambda: {"requests": None})

    def label_of(self, props: Mapping[str, Any]) -> str:
        """What one component of this type is called when it has no label of its own: the type's label,
        or for a generic CloudFormation resource the resource type it stands for."""
        if "resource_type" in self.props.fields:
            return str(props.get("resource_type") or self.props.fields["resource_type"].default)
        return self.label

    @property
    def icon_class(self) -> tuple[str, str]:
        """(module, class name) of the `diagrams` node class this type is drawn with."""
        module, _, class_name = self.icon.rpartition(".")
        return module, class_name


@dataclass(frozen=True)
class GroupKind:
    name: str
    label: str
    description: str
    props: FieldSet
    parents: frozenset[str]


@dataclass(frozen=True)
class ConnectionKind:
    name: str
    label: str
    description: str
    sources: frozenset[str]
    targets: frozenset[str]
    props: FieldSet
    # (source type, target type) pairs AWS does not support although both ends are listed, with why.
    excludes: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def allows(self, source_type: str, target_type: str) -> bool:
        return (
            source_type in self.sources
            and target_type in self.targets
            and (source_type, target_type) not in self.excludes
        )


@dataclass(frozen=True)
class Tier:
    name: str
    label: str
    description: str


@dataclass(frozen=True)
class Family:
    """A service family: how the palette groups a tier's types (Messaging and streaming, Databases…)."""

    name: str
    label: str


@dataclass(frozen=True)
class LambdaRuntime:
    """One AWS Lambda runtime id and its lifecycle dates (None where AWS has scheduled none)."""

    id: str
    family: str
    label: str
    deprecated: datetime.date | None = None
    block_create: datetime.date | None = None
    block_update: datetime.date | None = None

    def is_deprecated(self, on: datetime.date) -> bool:
        """Whether AWS has deprecated this runtime by ``on``."""
        return self.deprecated is not None and self.deprecated <= on


@dataclass(frozen=True)
class Catalog:
    tiers: Mapping[str, Tier]
    types: Mapping[str, ComponentType]
    group_kinds: Mapping[str, GroupKind]
    connection_kinds: Mapping[str, ConnectionKind]
    tier_order: tuple[str, ...] = field(default=())
    runtimes: Mapping[str, LambdaRuntime] = field(default_factory=dict)
    families: Mapping[str, Family] = field(default_factory=dict)
    # CloudFormation types that are parts of a component or a connection, with what each belongs to.
    wiring_types: Mapping[str, str] = field(default_factory=dict)

    def types_for_resource(self, resource_type: str) -> list[ComponentType]:
        """The catalog types a CloudFormation resource of ``resource_type`` can be drawn as (their
        ``cloudformation_types`` name it), in catalog order; the generic resource type is not one."""
        if resource_type.startswith(CUSTOM_RESOURCE_PREFIX):
            # A custom resource names a type of its own (Custom::SeedTable); CloudFormation treats every
            # such type as AWS::CloudFormation::CustomResource.
            resource_type = CUSTOM_RESOURCE_TYPE
        return [ctype for ctype in self if resource_type in ctype.cloudformation_types]

    def drawable(self, resource_type: str) -> bool:
        """Whether a resource of this type is a component of some catalog type or part of one."""
        return resource_type in self.wiring_types or bool(self.types_for_resource(resource_type))

    def kinds_between(self, source_type: str, target_type: str) -> list[str]:
        """Connection kinds valid from a component of ``source_type`` to one of ``target_type``."""
        return [name for name, kind in self.connection_kinds.items() if kind.allows(source_type, target_type)]

    def __iter__(self) -> Iterator[ComponentType]:
        return iter(self.types.values())


def _field_set(
    raw: Mapping[str, Any] | None, where: str, tables: Mapping[str, tuple[str, ...]] | None = None
) -> FieldSet:
    fields: dict[str, FieldSpec] = {}
    for name, spec in (raw or {}).items():
        if spec.get("type") not in FIELD_TYPES:
            raise ValueError(f"catalog: {where}.{name} has an unknown type {spec.get('type')!r}")
        enum = spec.get("enum")
        if isinstance(enum, str):  # the name of a top-level table whose keys are the choices
            if enum not in (tables or {}):
                raise ValueError(f"catalog: {where}.{name} takes its enum from an unknown table {enum!r}")
            enum = (tables or {})[enum]
        fields[name] = FieldSpec(
            name=name,
            type=spec["type"],
            description=spec.get("description", ""),
            default=spec.get("default"),
            minimum=spec.get("minimum"),
            maximum=spec.get("maximum"),
            enum=tuple(enum) if enum is not None else None,
            max_length=spec.get("max_length"),
            pattern=spec.get("pattern"),
            unit=spec.get("unit"),
            content_media_type=spec.get("content_media_type"),
            pattern_hint=spec.get("pattern_hint"),
            max_bytes=spec.get("max_bytes", OBJECT_MAX_BYTES if spec["type"] == "object" else None),
            max_depth=spec.get("max_depth", OBJECT_MAX_DEPTH if spec["type"] == "object" else None),
        )
        problems = fields[name].check(fields[name].default, (name,)) if fields[name].default is not None else []
        if problems:
            raise ValueError(f"catalog: default of {where}.{name} is invalid: {problems[0].message}")
    return FieldSet(fields)


def _meters(type_name: str, entry: Mapping[str, Any]) -> dict[str, str | None]:
    usage = entry.get("usage") or {}
    meters = dict(entry.get("meters") or {"requests": "requests_per_month" if "requests_per_month" in usage else None})
    for channel, field_name in meters.items():
        if field_name is not None and field_name not in usage:
            raise ValueError(f"catalog: {type_name}'s meter {channel} names no usage field {field_name!r}")
    return meters


def _excludes(kind: str, entry: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    excludes = {}
    for rule in entry.get("excludes") or ():
        for source in rule["sources"]:
            for target in rule["targets"]:
                if source not in entry["sources"] or target not in entry["targets"]:
                    raise ValueError(
                        f"catalog: connection kind {kind} excludes {source} → {target}, which it never allows"
                    )
                excludes[(source, target)] = rule["why"]
    return excludes


def _runtimes(raw: Mapping[str, Any] | None) -> dict[str, LambdaRuntime]:
    runtimes = {}
    for runtime_id, entry in (raw or {}).items():
        if entry.get("family") not in RUNTIME_FAMILIES:
            raise ValueError(f"catalog: runtime {runtime_id} has an unknown family {entry.get('family')!r}")
        dates = {key: entry.get(key) for key in ("deprecated", "block_create", "block_update")}
        for key, value in dates.items():
            # YAML reads an unquoted 2029-06-30 as a date; a quoted one would never compare with today
            if value is not None and not isinstance(value, datetime.date):
                raise ValueError(f"catalog: runtime {runtime_id} {key} must be a YYYY-MM-DD date, not {value!r}")
        runtimes[str(runtime_id)] = LambdaRuntime(
            id=str(runtime_id), family=entry["family"], label=entry.get("label", str(runtime_id)), **dates
        )
    return runtimes


def _wiring_types(raw: Mapping[str, Any] | None, types: Mapping[str, ComponentType]) -> dict[str, str]:
    wiring = {str(name): str(what) for name, what in (raw or {}).items()}
    for ctype in types.values():
        both = set(ctype.cloudformation_types) & set(wiring)
        if both:  # one meaning per resource type: a component, or a part of one
            raise ValueError(f"catalog: {sorted(both)} are both wiring and {ctype.name}'s own types")
    return wiring


def parse_catalog(raw: Mapping[str, Any]) -> Catalog:
    """Build a Catalog from its YAML data, failing loudly on an inconsistent entry."""
    runtimes = _runtimes(raw.get("lambda_runtimes"))
    tables = {"lambda_runtimes": tuple(runtimes)}
    tiers = {
        name: Tier(name=name, label=entry["label"], description=entry.get("description", ""))
        for name, entry in raw["tiers"].items()
    }
    families = {name: Family(name=name, label=entry["label"]) for name, entry in (raw.get("families") or {}).items()}
    types = {}
    for name, entry in raw["types"].items():
        if entry["tier"] not in tiers:
            raise ValueError(f"catalog: type {name} has an unknown default tier {entry['tier']!r}")
        if entry.get("family") not in families:
            raise ValueError(f"catalog: type {name} has an unknown family {entry.get('family')!r}")
        types[name] = ComponentType(
            name=name,
            label=entry["label"],
            tier=entry["tier"],
            family=entry["family"],
            not_estimated=entry.get("not_estimated"),
            description=entry["description"],
            icon=entry["icon"],
            props=_field_set(entry.get("props"), f"{name}.props", tables),
            usage=_field_set(entry.get("usage"), f"{name}.usage", tables),
            cloudformation_types=tuple(entry.get("cloudformation_types") or ()),
            env_suffix=entry.get("env_suffix"),
            vpc_endpoint=VpcEndpoint(**entry["vpc_endpoint"]) if entry.get("vpc_endpoint") else None,
            vpc_only=bool(entry.get("vpc_only", False)),
            meters=_meters(name, entry),
        )
    group_kinds = {
        name: GroupKind(
            name=name,
            label=entry["label"],
            description=entry.get("description", ""),
            props=_field_set(entry.get("props"), f"group {name}.props"),
            parents=frozenset(entry.get("parents") or ()),
        )
        for name, entry in raw["group_kinds"].items()
    }
    common = dict(raw.get("connection_props") or {})
    connection_kinds = {}
    for name, entry in raw["connection_kinds"].items():
        for end in ("sources", "targets"):
            unknown = set(entry[end]) - set(types)
            if unknown:
                raise ValueError(f"catalog: connection kind {name} {end} name unknown types {sorted(unknown)}")
        connection_kinds[name] = ConnectionKind(
            name=name,
            label=entry["label"],
            description=entry.get("description", ""),
            sources=frozenset(entry["sources"]),
            targets=frozenset(entry["targets"]),
            props=_field_set({**common, **(entry.get("props") or {})}, f"connection {name}.props"),
            excludes=_excludes(name, entry),
        )
    return Catalog(
        tiers=tiers,
        types=types,
        group_kinds=group_kinds,
        connection_kinds=connection_kinds,
        tier_order=tuple(tiers),
        runtimes=runtimes,
        families=families,
        wiring_types=_wiring_types(raw.get("wiring_types"), types),
    )


@cache
def get_catalog() -> Catalog:
    """The catalog shipped with Tierplan (parsed once per process)."""
    with CATALOG_FILE.open(encoding="utf-8") as handle:
        return parse_catalog(load_strict(handle))


def pattern_matches(pattern: str, value: str) -> bool:
    """Whether ``value`` matches a catalog ``pattern`` the way a JSON Schema validator would (ECMA-262).

    Python's ``$`` also matches before a final newline and its ``\\d`` takes any Unicode digit, so
    ``"prod\\n"`` would pass ``^[A-Za-z0-9_]+$``; the pattern is run with ECMA-262's meaning instead.
    """
    return _ecma_regex(pattern).search(value) is not None


@cache
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    translated, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            translated.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        translated.append(char)
        index += 1
    return re.compile("".join(translated), re.ASCII)


def _object_bounds(value: Any, pointer: str, max_bytes: int | None, max_depth: int | None) -> list[Problem]:
    if not isinstance(value, dict):
        return []
    if max_depth is not None:
        depth = json_depth(value)
        if depth > max_depth:
            return [Problem(pointer, f"is nested {depth} levels deep; at most {max_depth} are allowed")]
    if max_bytes is not None:
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if size > max_bytes:
            return [Problem(pointer, f"is {size} bytes as JSON; at most {max_bytes} are allowed")]
    return []


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in ``value`` (0 for a scalar, 1 for ``{}``).

    Iterative, so that a document nested past Python's recursion limit is measured, not crashed on.
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _json_object_problem(text: str) -> str | None:
    try:
        value = loads_strict(text)
    except JsonRefused as exc:
        return f"must be a JSON object ({exc})"
    return None if isinstance(value, dict) else "must be a JSON object"


def json_repr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return _number(value) if isinstance(value, (int, float)) else repr(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _has_type(value: Any, type_name: str) -> bool:
    if type_name == "object":
        return isinstance(value, dict)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "string":
        return isinstance(value, str)
    if isinstance(value, bool):  # True is an int in Python, never a number in JSON
        return False
    if type_name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return isinstance(value, (int, float)) and math.isfinite(value)


def json_type(value: Any) -> str:
    """A JSON value's kind with its article, for messages (\"a string\", \"an object\", \"null\")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
