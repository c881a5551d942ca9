"""Reading a SAM or CloudFormation template safely. Pure Python, no Django.

The text is untrusted: it may be a file someone pasted from anywhere. So it is size-checked before
parsing, YAML is read with PyYAML's safe constructor (no Python objects) extended only by
CloudFormation's intrinsic short tags, and the result is walked once with a budget so that anchors and
aliases cannot expand into a "billion laughs" after parsing. Everything comes back as plain JSON data,
short tags in their long form (``!GetAtt A.B`` → ``{"Fn::GetAtt": ["A", "B"]}``), with no shared objects.

cfn-lint's decoder (``cfnlint.decode.cfn_yaml``) was not reused: it keeps aliases as shared objects, reads
every tag it does not know as a plain value instead of refusing it, and returns its own node classes.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_RESOURCES = 500
# Nodes of the parsed template once aliases are expanded: a 1 MB template of ordinary YAML holds well
# under this; an anchor bomb blows past it long before it costs any memory.
MAX_NODES = 400_000
MAX_ALIASES = 200
MAX_DEPTH = 64

# Short tag → the long form's key. !GetAtt and !Condition are special-cased below.
INTRINSIC_TAGS = {
    "!Ref": "Ref",
    "!Sub": "Fn::Sub",
    "!GetAtt": "Fn::GetAtt",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Not": "Fn::Not",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!FindInMap": "Fn::FindInMap",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!ImportValue": "Fn::ImportValue",
    "!GetAZs": "Fn::GetAZs",
    "!Transform": "Fn::Transform",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
    "!Condition": "Condition",
}


class TemplateRefused(ValueError):
    """The input is not a template Tierplan will read; the message says why (and where, when known)."""


def _where(node: yaml.Node) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


class _Loader(yaml.SafeLoader):
    """SafeLoader plus CloudFormation's short tags; duplicate keys and unknown tags are refused."""

    aliases = 0
    notes: list[str]

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                event = self.peek_event()
                raise TemplateRefused(
                    f"the template uses more than {MAX_ALIASES} YAML aliases (line {event.start_mark.line + 1}); "
                    "CloudFormation does not need them"
                )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise TemplateRefused(f"expected a mapping at {_where(node)}")
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise TemplateRefused(f"a mapping key must be a plain value ({_where(key_node)})")
            if key in seen and key != "<<":
                # CloudFormation takes the last one, so the template deploys; say so rather than refuse it
                self.notes.append(
                    f"the key {key!r} appears twice in one mapping ({_where(key_node)}); the last is used"
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _construct_timestamp(loader: _Loader, node: yaml.Node) -> Any:
    # 2010-09-09 (AWSTemplateFormatVersion) is a string to CloudFormation, not a date.
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _construct_intrinsic(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    tag = "!" + suffix
    key = INTRINSIC_TAGS.get(tag)
    if key is None:
        known = ", ".join(sorted(INTRINSIC_TAGS))
        raise TemplateRefused(f"unknown tag {tag} at {_where(node)} (CloudFormation's are: {known})")
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag == "!GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            value = [resource, attribute]
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {key: value}


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_multi_constructor("!", _construct_intrinsic)


def _plain(value: Any) -> Any:
    """A deep copy of ``value`` with no shared objects, refused past MAX_NODES nodes or MAX_DEPTH levels.

    Iterative: aliases make the YAML a graph, and a recursive walk could be driven past the stack.
    """
    budget = MAX_NODES
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, int]] = [(value, root, 0, 1)]
    while stack:
        item, parent, slot, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise TemplateRefused(
                f"the template expands to more than {MAX_NODES} values (YAML anchors and aliases repeated "
                "over and over?); refused"
            )
        if depth > MAX_DEPTH:
            raise TemplateRefused(f"the template is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            copy: Any = {}
            for key, child in item.items():
                copy[str(key) if not isinstance(key, str) else key] = None
                stack.append((child, copy, str(key) if not isinstance(key, str) else key, depth + 1))
        elif isinstance(item, list):
            copy = [None] * len(item)
            stack.extend((child, copy, index, depth + 1) for index, child in enumerate(item))
        elif item is None or isinstance(item, (str, bool, int, float)):
            copy = item
        else:  # a binary or set scalar, which no template needs
            raise TemplateRefused(f"the template holds a value of an unsupported kind ({type(item).__name__})")
        parent[slot] = copy
    return root[0]


def parse_text(text: str, notes: list[str] | None = None) -> Any:
    """Parse template text as JSON (when it looks like JSON) or YAML; raise TemplateRefused if neither.

    What is read but worth telling (a key given twice: the last one counts) is added to ``notes``.
    """
    notes = notes if notes is not None else []
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        try:
            return json.loads(
                stripped, object_pairs_hook=lambda pairs: _json_object(pairs, notes), parse_constant=_json_constant
            )
        except json.JSONDecodeError as exc:
            raise TemplateRefused(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
        except RecursionError:
            raise TemplateRefused(f"the template is nested more than {MAX_DEPTH} levels deep") from None
    try:
        loader = _Loader(stripped)
    except yaml.reader.ReaderError as exc:  # checked up front: a character YAML never allows
        raise TemplateRefused(
            f"not valid YAML: the character #x{exc.character:04x} at position {exc.position} is not allowed in YAML"
        ) from None
    loader.notes = notes
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        where = (
            f" at line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1}" if exc.problem_mark else ""
        )
        raise TemplateRefused(f"not valid YAML: {exc.problem or exc.context}{where}") from None
    except yaml.YAMLError as exc:
        raise TemplateRefused(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise TemplateRefused(f"the template is nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def _json_object(pairs: list[tuple[str, Any]], notes: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            notes.append(f"the key {key!r} appears twice in one JSON object; the last is used")
        result[key] = value
    return result


def _json_constant(name: str) -> Any:
    raise TemplateRefused(f"not valid JSON: {name} is not a JSON value")


def load_template(raw: bytes | str, notes: list[str] | None = None) -> dict[str, Any]:
    """Decode, size-check, parse and shape-check a template; return it as plain JSON data.

    Raises TemplateRefused with a message a person can act on: too large, not UTF-8, not JSON or YAML,
    a tag that is not one of CloudFormation's intrinsics, an alias bomb, not a template (no
    ``Resources`` mapping), or more resources than CloudFormation allows in one stack. What was read
    but deserves a word (duplicate keys) is appended to ``notes``.
    """
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_BYTES:
        raise TemplateRefused(f"the template is {size:,} bytes; at most {MAX_BYTES:,} (1 MB) are read")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateRefused(f"the template is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    else:
        text = raw
    if "\x00" in text:
        raise TemplateRefused("the template holds a NUL character; it is not a text file")
    if not text.strip():
        raise TemplateRefused("the template is empty")
    document = _plain(parse_text(text, notes))
    if not isinstance(document, dict):
        raise TemplateRefused(
            f"not a template: a CloudFormation template is a mapping with a Resources section, not {_kind(document)}"
        )
    resources = document.get("Resources")
    if not isinstance(resources, dict) or not resources:
        raise TemplateRefused(
            "not a template: it has no Resources mapping (every template declares at least one resource)"
        )
    if len(resources) > MAX_RESOURCES:
        raise TemplateRefused(
            f"the template declares {len(resources)} resources; CloudFormation allows at most {MAX_RESOURCES} in one stack"
        )
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            raise TemplateRefused(f"Resources/{logical_id} is not a resource: it needs a Type (a string)")
        properties = resource.get("Properties", {})
        if properties is not None and not isinstance(properties, dict):
            raise TemplateRefused(f"Resources/{logical_id}/Properties must be a mapping")
    return document


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a piece of text"
    return "a single value" if value is not None else "nothing"
