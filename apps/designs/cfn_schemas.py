"""CloudFormation's own resource schemas: the resource types there are, and checks of a resource's properties.

Pure Python, no Django. The schemas are the resource provider schemas AWS publishes, as cfn-lint ships
them in its package (loaded through its ``PROVIDER_SCHEMA_MANAGER``, offline). A ``cloudformation_resource``
component's ``properties`` are validated against its type's schema with ``jsonschema``, with what a
template allows on top of JSON Schema:

- an intrinsic function (``{"Ref": …}``, ``{"Fn::GetAtt": …}``, ``{"Fn::Sub": …}``…) stands for a value
  of any type, so it satisfies whatever schema applies where it is written;
- like CloudFormation (and cfn-lint), a string that spells a number or a boolean is accepted where one
  is expected, and a number or boolean where a string is;
- read-only properties (``Arn``…) are CloudFormation's to set, never the template's.

And what Tierplan adds, because the export writes these properties into the template as they are: no
``{{resolve:…}}`` dynamic reference anywhere (an export never pulls secrets in), ``${…}`` only in the
template string of ``Fn::Sub`` (the one place CloudFormation substitutes it), and only the intrinsic
functions an exported template can satisfy (it declares no conditions or mappings and runs no macros).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from apps.core.pointers import Problem, json_pointer
from apps.designs.catalog import json_type

REGION = "us-east-1"  # the region whose list of resource types the editor offers and designs are checked with
TYPE_PATTERN = re.compile(r"[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+", re.ASCII)
MAX_PROBLEMS = 20  # per resource: past this, more messages hide the first ones rather than help

# Intrinsic functions whose value the exported template can always compute.
SUPPORTED_INTRINSICS = frozenset(
    {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Base64", "Fn::Cidr",
     "Fn::GetAZs", "Fn::ImportValue"}
)  # fmt: skip
# The others, with why an export cannot keep them.
REFUSED_INTRINSICS = {
    "Condition": "the exported template declares no conditions",
    "Fn::If": "the exported template declares no conditions",
    "Fn::Equals": "the exported template declares no conditions",
    "Fn::And": "the exported template declares no conditions",
    "Fn::Or": "the exported template declares no conditions",
    "Fn::Not": "the exported template declares no conditions",
    "Fn::FindInMap": "the exported template declares no mappings",
    "Fn::Transform": "macros run code at deploy time that no one reviewed",
    "Fn::Length": "it needs the AWS::LanguageExtensions transform",
    "Fn::ToJsonString": "it needs the AWS::LanguageExtensions transform",
}
DYNAMIC_REFERENCE = re.compile(r"\{\{\s*resolve", re.IGNORECASE)
CDK_TOKEN = "${Token["  # what the CDK reads as one of its own tokens in any string


class UnknownResourceType(LookupError):
    """No CloudFormation schema for this resource type; ``suggestions`` are the closest known types."""

    def __init__(self, resource_type: str, suggestions: list[str]) -> None:
        self.resource_type = resource_type
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"CloudFormation has no resource type {resource_type}{hint}")


def is_intrinsic(value: Any) -> bool:
    """Whether ``value`` is an intrinsic function call: an object with one key, ``Ref``, ``Condition`` or ``Fn::…``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return isinstance(key, str) and (key in ("Ref", "Condition") or key.startswith("Fn::"))


# -- the list of resource types ------------------------------------------------------------------------


@cache
def resource_types() -> tuple[str, ...]:
    """Every resource type a ``cloudformation_resource`` may be, sorted.

    SAM's ``AWS::Serverless::*`` types are left out: they need the SAM transform, which a CDK app does
    not have, and Tierplan's own component types stand for them.
    """
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER  # imported here: cfn-lint takes a while to import

    return tuple(
        sorted(
            name
            for name in PROVIDER_SCHEMA_MANAGER.get_resource_types(REGION)
            if TYPE_PATTERN.fullmatch(name) and not name.startswith("AWS::Serverless::")
        )
    )


def search_resource_types(query: str) -> list[str]:
    """Resource types whose name holds every word of ``query`` (case-insensitive), best matches first.

    An exact name comes first, then names whose service part starts with the first word
    (``ssm`` → ``AWS::SSM::…`` before ``AWS::SSMContacts::…``), then the rest, each alphabetically.
    """
    words = [word for word in re.split(r"[\s:]+", query.lower()) if word]
    if not words:
        return list(resource_types())

    def rank(name: str) -> tuple[int, str]:
        lowered = name.lower()
        parts = lowered.split("::")
        if lowered == query.strip().lower():
            return 0, name
        if parts[1] == words[0]:
            return 1, name
        if parts[1].startswith(words[0]):
            return 2, name
        return 3, name

    found = [name for name in resource_types() if all(word in name.lower() for word in words)]
    return sorted(found, key=rank)


def close_resource_types(resource_type: str, limit: int = 3) -> list[str]:
    """The known resource types spelt most like ``resource_type`` (for "did you mean …?")."""
    known = resource_types()
    by_lower = {name.lower(): name for name in known}
    matches = difflib.get_close_matches(resource_type.lower(), list(by_lower), n=limit, cutoff=0.75)
    return [by_lower[match] for match in matches]


# -- one resource type's schema ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceSchema:
    """What a template may write for one resource type, and the validator of its properties."""

    type_name: str
    properties: tuple[str, ...]  # writable properties, in the schema's order
    required: tuple[str, ...]
    read_only: frozenset[str]
    validator: Any  # a jsonschema validator of the properties object

    def problems(self, properties: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
        """Problems with ``properties`` for this type, each with the JSON pointer of its property."""
        found: dict[str, Problem] = {}
        for error in self.validator.iter_errors(properties):
            for problem in _problems_from_error(error, path, self):
                found.setdefault(problem.pointer + "\0" + problem.message, problem)
        return sorted(found.values(), key=lambda problem: problem.pointer)


@cache
def resource_schema(resource_type: str) -> ResourceSchema:
    """The schema of ``resource_type``; raises ``UnknownResourceType`` when CloudFormation has none."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER, ResourceNotFoundError

    if resource_type not in resource_types():
        raise UnknownResourceType(resource_type, close_resource_types(resource_type))
    try:
        raw = PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, resource_type).schema
    except ResourceNotFoundError:
        raise UnknownResourceType(resource_type, close_resource_types(resource_type)) from None
    read_only = frozenset(_top_level_names(raw.get("readOnlyProperties") or ()))
    properties = {name: spec for name, spec in (raw.get("properties") or {}).items() if name not in read_only}
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in raw.get("required") or () if name not in read_only],
        "additionalProperties": raw.get("additionalProperties", True),
        "definitions": raw.get("definitions") or {},
    }
    for keyword in ("oneOf", "anyOf", "allOf", "dependencies", "dependentRequired"):
        if keyword in raw:
            schema[keyword] = raw[keyword]
    return ResourceSchema(
        type_name=resource_type,
        properties=tuple(properties),
        required=tuple(schema["required"]),
        read_only=read_only,
        validator=_validator_class()(schema),
    )


def _top_level_names(pointers: Any) -> Iterator[str]:
    for pointer in pointers:
        parts = str(pointer).split("/")
        if len(parts) == 3 and parts[1] == "properties":  # "/properties/Arn"; nested ones are not writable either
            yield parts[2]


# -- the validator: JSON Schema as CloudFormation applies it --------------------------------------------


@cache
def _validator_class() -> Any:
    from jsonschema import Draft7Validator, validators

    keywords = dict(Draft7Validator.VALIDATORS)
    keywords.update(type=_type, pattern=_pattern, patternProperties=_pattern_properties)
    keywords["additionalProperties"] = _additional_properties
    # An intrinsic function's value is known at deploy time only: it satisfies every keyword.
    wrapped = {name: _unless_intrinsic(check) for name, check in keywords.items()}
    return validators.extend(Draft7Validator, wrapped)


def _unless_intrinsic(check: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
    def keyword(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if is_intrinsic(instance):
            return
        errors = check(validator, value, instance, schema)
        if errors is not None:
            yield from errors

    return keyword


@cache
def _compiled(pattern: str) -> Any:
    """The pattern compiled with ``regex`` (which knows ``\\p{L}``), or None when even that cannot read it.

    A handful of AWS's patterns are not valid in any Python engine (surrogate ranges); those are not
    checked rather than refusing every value.
    """
    import regex

    try:
        return regex.compile(pattern)
    except (regex.error, ValueError):
        return None


def _matches(pattern: str, text: str) -> bool:
    compiled = _compiled(pattern)
    return compiled is None or compiled.search(text) is not None


def _is_type(instance: Any, type_name: str) -> bool:
    # Lenient like CloudFormation: "5" is an integer, "true" a boolean and 5 a string in a template.
    if isinstance(instance, bool):
        return type_name in ("boolean", "string")
    if isinstance(instance, int):
        return type_name in ("integer", "number", "string")
    if isinstance(instance, float):
        return type_name in ("number", "string") or (type_name == "integer" and instance.is_integer())
    if isinstance(instance, str):
        if type_name == "string":
            return True
        if type_name == "boolean":
            return instance.lower() in ("true", "false")
        if type_name in ("integer", "number"):
            pattern = r"-?\d+" if type_name == "integer" else r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
            return re.fullmatch(pattern, instance.strip(), re.ASCII) is not None
        return False
    if isinstance(instance, dict):
        return type_name == "object"
    if isinstance(instance, list):
        return type_name == "array"
    return instance is None and type_name == "null"


def _type(validator: Any, types: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    names = [types] if isinstance(types, str) else list(types)
    if not any(_is_type(instance, name) for name in names):
        yield ValidationError("wrong type")


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if isinstance(instance, str) and not _matches(pattern, instance):
        yield ValidationError("pattern")


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not isinstance(instance, dict):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _matches(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _extra_keys(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    known = schema.get("properties") or {}
    patterns = schema.get("patternProperties") or {}
    return [key for key in instance if key not in known and not any(_matches(p, key) for p in patterns)]


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not isinstance(instance, dict):
        return
    extras = _extra_keys(instance, schema)
    if isinstance(additional, dict):
        for key in extras:
            yield from validator.descend(instance[key], additional, path=key)
    elif additional is False:
        for key in extras:
            yield ValidationError("unknown property", path=(key,))


# -- errors, in words that name the property -------------------------------------------------------------


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _named(path: tuple[Any, ...], resource: ResourceSchema) -> str:
    """How a message names the property at ``path`` (relative to the properties object)."""
    if not path:
        return f"the properties of {resource.type_name}"
    return "".join(f"[{part}]" if isinstance(part, int) else (f".{part}" if index else str(part))
                   for index, part in enumerate(path))  # fmt: skip


def _problems_from_error(error: Any, base: tuple[str | int, ...], resource: ResourceSchema) -> list[Problem]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        # The alternative that came closest says more than "matches none of the alternatives".
        return _problems_from_error(best_match(error.context), base, resource)
    path = tuple(error.absolute_path)
    pointer = json_pointer((*base, *path))
    name = _named(path, resource)
    value, instance = error.validator_value, error.instance
    if error.validator == "additionalProperties":
        key = path[-1] if path else ""
        parent = path[:-1]
        if not parent and key in resource.read_only:
            return [Problem(pointer, f"{key} is read-only: CloudFormation sets it, a template cannot")]
        known = list(resource.properties) if not parent else list(error.schema.get("properties") or {})
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"; did you mean {close[0]}?" if close else f" (known: {', '.join(known[:30]) or 'none'})"
        where = resource.type_name if not parent else _named(parent, resource)
        return [Problem(pointer, f"unknown property {key} of {where}{hint}")]
    if error.validator == "required":
        missing = [key for key in value if isinstance(instance, dict) and key not in instance]
        where = resource.type_name if not path else name
        return [
            Problem(json_pointer((*base, *path, key)), f"required property {key} of {where} is missing")
            for key in missing
        ]
    if error.validator == "type":
        wanted = " or ".join(_with_article(kind) for kind in ([value] if isinstance(value, str) else value))
        return [Problem(pointer, f"{name} must be {wanted}, not {json_type(instance)}")]
    message = {
        "enum": lambda: (
            f"{name} must be one of {', '.join(_shown(v, 40) for v in value[:12])}" + (" …" if len(value) > 12 else "")
        ),
        "const": lambda: f"{name} must be {_shown(value)}",
        "pattern": lambda: f"{name} does not match the format CloudFormation expects ({_shown(value, 80)})",
        "minLength": lambda: f"{name} must be at least {value} characters long",
        "maxLength": lambda: f"{name} must be at most {value} characters long",
        "minimum": lambda: f"{name} must be at least {value}",
        "maximum": lambda: f"{name} must be at most {value}",
        "exclusiveMinimum": lambda: f"{name} must be more than {value}",
        "exclusiveMaximum": lambda: f"{name} must be less than {value}",
        "minItems": lambda: f"{name} must have at least {value} items",
        "maxItems": lambda: f"{name} must have at most {value} items",
        "uniqueItems": lambda: f"{name} must not repeat an item",
        "minProperties": lambda: f"{name} must have at least {value} properties",
        "maxProperties": lambda: f"{name} must have at most {value} properties",
        "multipleOf": lambda: f"{name} must be a multiple of {value}",
    }.get(error.validator)
    text = message() if message else f"{name}: {error.message}"
    return [Problem(pointer, text if len(text) <= 300 else text[:299] + "…")]


def _with_article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


# -- what the export needs on top of the schema ----------------------------------------------------------


def _template_problems(value: Any, path: tuple[str | int, ...], *, sub_template: bool = False) -> Iterator[Problem]:
    """Dynamic references, ``${`` outside ``Fn::Sub`` and intrinsic functions an export cannot keep."""
    if isinstance(value, str):
        pointer = json_pointer(path)
        if DYNAMIC_REFERENCE.search(value):
            yield Problem(pointer, "must not hold a {{resolve:…}} dynamic reference: an export never pulls in secrets")
        elif CDK_TOKEN in value:
            yield Problem(pointer, "must not hold ${Token[, which the CDK reads as one of its own references")
        elif "${" in value and not sub_template:
            yield Problem(pointer, 'CloudFormation substitutes ${…} only inside Fn::Sub: write {"Fn::Sub": "…"}')
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _template_problems(item, (*path, index))
        return
    if not isinstance(value, dict):
        return
    if is_intrinsic(value):
        ((function, argument),) = value.items()
        pointer = json_pointer((*path, function))
        if function in REFUSED_INTRINSICS:
            yield Problem(pointer, f"{function} cannot be exported: {REFUSED_INTRINSICS[function]}")
            return
        if function not in SUPPORTED_INTRINSICS:
            close = difflib.get_close_matches(function, sorted(SUPPORTED_INTRINSICS), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            yield Problem(pointer, f"unknown intrinsic function {function}{hint}")
            return
        if function == "Ref" and not isinstance(argument, str):
            yield Problem(pointer, "Ref takes the name of a resource or a pseudo parameter, as a string")
            return
        if function == "Fn::Sub":
            # The template string (alone, or first of [template, variables]) is where ${…} belongs.
            if isinstance(argument, str):
                yield from _template_problems(argument, (*path, function), sub_template=True)
                return
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                yield from _template_problems(argument[0], (*path, function, 0), sub_template=True)
                for index, item in enumerate(argument[1:], start=1):
                    yield from _template_problems(item, (*path, function, index))
                return
            yield Problem(pointer, "Fn::Sub takes a string, or a list of a string and an object of variables")
            return
        yield from _template_problems(argument, (*path, function))
        return
    for key, item in value.items():
        if "${" in key or DYNAMIC_REFERENCE.search(key):
            yield Problem(json_pointer((*path, key)), "a property name must not hold ${ or {{resolve")
        yield from _template_problems(item, (*path, key))


def properties_problems(
    resource_type: str, properties: Mapping[str, Any], path: tuple[str | int, ...]
) -> list[Problem]:
    """Problems with ``properties`` of a resource of ``resource_type``; ``path`` leads to the properties object.

    An unknown resource type is one problem at the ``resource_type`` beside ``path``, naming the closest
    known types. At most ``MAX_PROBLEMS`` problems are returned (the last one says how many more).
    """
    try:
        resource = resource_schema(resource_type)
    except UnknownResourceType as exc:
        return [Problem(json_pointer((*path[:-1], "resource_type")), str(exc))]
    if is_intrinsic(properties):
        return [
            Problem(json_pointer(path), "must be the object of the resource's properties, not an intrinsic function")
        ]
    problems = [problem for key, value in properties.items() for problem in _template_problems({key: value}, path)]
    problems += resource.problems(properties, path)
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS + 1
        problems = [*problems[: MAX_PROBLEMS - 1], Problem(json_pointer(path), f"and {more} more problems")]
    return problems


def resource_problems(
    props: Mapping[str, Any], defaults: Mapping[str, Any], path: tuple[str | int, ...]
) -> list[Problem]:
    """Problems with a ``cloudformation_resource`` component's props (``path`` leads to them).

    Call it once the catalog's own checks of ``resource_type`` and ``properties`` passed: it reads the
    props with the catalog defaults filled in, as every engine does.
    """
    values = {**defaults, **props}
    resource_type, properties = values.get("resource_type"), values.get("properties")
    if not isinstance(resource_type, str) or not isinstance(properties, dict):
        return []
    return properties_problems(resource_type, properties, (*path, "properties"))
