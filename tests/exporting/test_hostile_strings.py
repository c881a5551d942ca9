"""Every user string that reaches an export goes through one rule: nothing in it resolves or substitutes.

A corpus of hostile strings runs through the design's name, every label, and every free-text string
prop of every component type, connection kind and group kind. The props are read from the catalog's
schemas, so a new type, kind or prop is covered by construction. Each value is either refused by
validation (with the pointer of the prop) or exported, and then no SAM or CDK output holds a
``{{resolve`` dynamic reference or a ``${…}`` that CloudFormation would substitute.

Three passes keep the runtime bounded: every value is checked against validation alone (cheap), every
accepted value is exported on its own and the output inspected (cheap), and the accepted values are
packed into a few designs that cfn-lint, the SAM translator and CDK synth check (the slow part).
"""

from __future__ import annotations

import ast
import copy
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from apps.designs.catalog import FieldSpec, get_catalog
from apps.designs.document import MAX_LABEL, DesignInvalid, validate_design
from apps.designs.patterns import pattern_library
from apps.exporting import plan as plan_module
from apps.exporting.bundle import cdk_files, export_zip, sam_files
from apps.exporting.plan import ExportError, Plan, cfn_text
from apps.exporting.starters import function_code, roles_for
from apps.exporting.validate import lint_errors, translate_sam
from apps.projects.models import Project
from tests.conftest import ROOT, design_doc
from tests.exporting.conftest import cdk_environment, write_files
from tests.exporting.designs import every_type_design
from tests.exporting.test_safety import ALLOWED_NAMES
from tests.projects.helpers import assert_error

HOSTILE = [
    "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "{{resolve:ssm:/a}}",
    "{{{resolve:ssm:/a}}}",
    "{{ resolve:ssm:/a }}",
    "${AWS::AccountId}",
    "$${AWS::Region}",
    "${!x}",
    "'",
    '"',
    "\\ \\\\ \\n \\u007b\\u007b",
    "</script><script>alert(1)</script>",
    ": # x",
    "&anchor",
    "*alias",
    "!Ref AWS::AccountId",
    "- [a, {b: c}]",
    "Ünïcödé ✓ 日本語 😀 \u202e\u200b",
    "line\nbreak\r\ttab\x1b\x7f\u2028",
    "https://app.example.com'",
    "Authorization\nX-Injected: 1",
]
# JSON props get the corpus inside JSON too, including what JSON's own escapes spell once parsed.
JSON_ESCAPED = '{"source": ["\\u007b\\u007bresolve:ssm:/a}}", "\\u0024\\u007bAWS::AccountId}"]}'
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster on big templates
LABEL = FieldSpec(name="label", type="string", max_length=MAX_LABEL)
SECRET = re.compile(r"\{\{\s*resolve", re.IGNORECASE)
PSEUDO_PARAMETERS = {
    "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
    "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
}  # fmt: skip


# -- the corpus, per prop, from the catalog ---------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    """One free-text string prop of the catalog: where it lives in the design and its schema."""

    collection: str  # groups, components or connections
    owner: str  # the group kind, component type or connection kind
    spec: FieldSpec

    @property
    def name(self) -> str:
        return self.spec.name

    def accepts(self, value: str) -> bool:
        return not self.spec.check(value, ())


def free_text_props() -> list[Prop]:
    catalog = get_catalog()
    owners: list[tuple[str, str, Any]] = [
        *(("groups", name, kind.props) for name, kind in catalog.group_kinds.items()),
        *(("components", name, kind.props) for name, kind in catalog.types.items()),
        *(("connections", name, kind.props) for name, kind in catalog.connection_kinds.items()),
    ]
    return [
        Prop(collection, owner, spec)
        for collection, owner, field_set in owners
        for spec in field_set.fields.values()
        if spec.type == "string" and spec.enum is None
    ]


PROPS = free_text_props()


def long_values(spec: FieldSpec, accepted: list[str]) -> list[str]:
    """Strings as long as the bounds allow: the whole corpus, and the part of it the prop accepts.

    A prop that accepts none of the corpus gets its own name as filler instead (so that two props
    never get the same long value).
    """
    size = spec.max_length or 1000
    pieces = dict.fromkeys(["".join(HOSTILE), "".join(accepted) or spec.name.replace("_", "")])
    return ["".join(itertools.islice(itertools.cycle(piece), size)) for piece in pieces]


def corpus(prop: Prop, base_value: str | None) -> list[str]:
    """Every hostile value for a prop: alone, after a value the prop accepts, as long as allowed."""
    values = list(HOSTILE)
    for valid in {v for v in (prop.spec.default, base_value) if isinstance(v, str) and v}:
        values += [valid + hostile for hostile in HOSTILE]
    if prop.spec.content_media_type == "application/json":
        values += [json.dumps({"source": [hostile]}) for hostile in HOSTILE]
        values += [json.dumps({"detail": {hostile: [hostile]}}, ensure_ascii=False) for hostile in HOSTILE]
        values.append(JSON_ESCAPED)
    accepted = [v for v in HOSTILE if prop.accepts(v)]
    return values + long_values(prop.spec, accepted)


def label_corpus() -> list[str]:
    return HOSTILE + long_values(LABEL, HOSTILE)


# -- the base design: every type, kind and group kind of the catalog --------------------------------


def base_document() -> dict[str, Any]:
    doc = every_type_design()
    catalog = get_catalog()
    for kind in sorted(set(catalog.group_kinds) - {g["kind"] for g in doc["groups"]}):
        doc["groups"].append({"id": f"{kind}_group", "kind": kind})
        if kind == "account":  # something to deploy in it, linked to nothing outside it
            doc["components"].append({"id": "account_queue", "type": "sqs_queue", "group": "account_group"})
    return doc


def first_instance(doc: dict[str, Any], prop: Prop) -> dict[str, Any]:
    key = "type" if prop.collection == "components" else "kind"
    return next(item for item in doc[prop.collection] if item[key] == prop.owner)


def pointer(doc: dict[str, Any], prop: Prop) -> str:
    index = doc[prop.collection].index(first_instance(doc, prop))
    return f"/{prop.collection}/{index}/props/{prop.name}"


def hostile_document(props: dict[Prop, str], label: str | None) -> dict[str, Any]:
    """The base design with each prop's value set on its first instance, and every text set to ``label``."""
    doc = copy.deepcopy(BASE)
    for prop, value in props.items():
        first_instance(doc, prop).setdefault("props", {})[prop.name] = value
    if label is not None:
        doc["name"] = label
        doc["description"] = label
        for item in (*doc["groups"], *doc["components"], *doc["connections"]):
            item["label"] = label
    return doc


BASE = base_document()


def split_by_acceptance() -> tuple[dict[Prop, list[str]], list[tuple[Prop, str]]]:
    accepted: dict[Prop, list[str]] = {prop: [] for prop in PROPS}
    refused: list[tuple[Prop, str]] = []
    for prop in PROPS:
        base_value = first_instance(BASE, prop).get("props", {}).get(prop.name)
        for value in corpus(prop, base_value):
            (accepted[prop].append(value) if prop.accepts(value) else refused.append((prop, value)))
    return accepted, refused


ACCEPTED, REFUSED = split_by_acceptance()


def test_the_base_design_has_every_type_kind_and_group_kind_of_the_catalog() -> None:
    catalog = get_catalog()
    assert {c["type"] for c in BASE["components"]} == set(catalog.types)
    assert {c["kind"] for c in BASE["connections"]} == set(catalog.connection_kinds)
    assert {g["kind"] for g in BASE["groups"]} == set(catalog.group_kinds)
    validate_design(BASE)
    assert len(PROPS) >= 20 and {p.name for p in PROPS} >= {"cors_origins", "route", "identity_source", "prefix"}


def test_every_free_text_prop_of_the_catalog_says_what_it_accepts() -> None:
    # A pattern refuses up front what the export would otherwise have to change (see catalog.yaml).
    assert [f"{p.owner}.{p.name}" for p in PROPS if not p.spec.pattern or not p.spec.max_length] == []


# -- pass 1: validation alone ----------------------------------------------------------------------


def test_every_hostile_value_a_prop_refuses_is_a_validation_error_naming_that_prop() -> None:
    assert len(REFUSED) > 500  # most of the corpus fits no pattern
    for prop, value in REFUSED:
        doc = hostile_document({prop: value}, None)
        with pytest.raises(DesignInvalid) as caught:
            validate_design(doc)
        assert pointer(doc, prop) in [p.pointer for p in caught.value.problems], (prop.owner, prop.name, value)


@pytest.mark.parametrize(
    ("owner", "name", "value"),
    [
        ("api_gateway_rest", "cors_origins", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
        ("api_gateway_rest", "cors_origins", "https://app.example.com'"),
        ("api_gateway_http", "cors_origins", "https://a.example.com,${AWS::AccountId}"),
        ("s3_bucket", "cors_origins", "https://a.example.com\n"),
        ("authorize", "identity_source", "Authorization\nX-Injected: 1"),
        ("authorize", "identity_source", "X-Token,method.request.header.Other"),
        ("invoke", "route", "GET /{{resolve:ssm:/a}}"),
        ("integrate", "route", "POST /x'"),
        ("invoke", "route", "GET /orders\n"),
        ("trigger", "prefix", "uploads/{{resolve:ssm:/a}}"),
        ("trigger", "suffix", ".jpg\n"),
        ("cloudfront", "default_root_object", "{{resolve:ssm:/a}}"),
        ("cloudfront", "default_root_object", "index.html${AWS::Region}"),
        ("eventbridge_bus", "event_pattern", '{"source": ["{{resolve:ssm:/a}}"]}'),
        ("eventbridge_bus", "event_pattern", '{"source": [NaN]}'),
        ("eventbridge_bus", "event_pattern", '["not", "an object"]'),
        ("eventbridge_bus", "schedule_expression", "cron(0 2 * * ? *\n{{resolve:ssm:/a}})"),
        ("api_gateway_rest", "stage_name", "prod\n"),
    ],
)
def test_the_values_of_the_report_are_refused(owner: str, name: str, value: str) -> None:
    prop = next(p for p in PROPS if p.owner == owner and p.name == name)
    assert not prop.accepts(value)
    doc = hostile_document({prop: value}, None)
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc)
    assert {p.pointer for p in caught.value.problems} == {pointer(doc, prop)}


def test_a_secret_in_cors_origins_is_a_400_naming_the_prop(as_alice: APIClient, project: Project) -> None:
    doc = design_doc()
    doc["components"][1]["props"]["cors_origins"] = "{{resolve:secretsmanager:prod/db:SecretString:password}}"
    response = as_alice.put(f"/api/projects/{project.pk}/design/", doc, format="json", HTTP_IF_MATCH='"1"')
    error = assert_error(response, 400, "invalid_design", ["/components/1/props/cors_origins"])
    assert "origins" in error["details"][0]["message"]
    assert project.revisions.count() == 1


# -- pass 2: every accepted value exported on its own, the output inspected -------------------------


def walk(node: Any, sub_variables: frozenset[str] | None = None) -> Iterator[tuple[str, frozenset[str] | None]]:
    """Every string of a template, with the names its Fn::Sub may substitute (None outside an Fn::Sub)."""
    if isinstance(node, str):
        yield node, sub_variables
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::Sub":
                own = frozenset(value[1]) if isinstance(value, list) and len(value) > 1 else frozenset()
                yield from walk(value, (sub_variables or frozenset()) | own)
            else:
                yield from walk(value, sub_variables)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, sub_variables)


# CDK writes one dynamic reference of its own: the generated database secret, joined with its Ref.
CDK_SECRET_FRAGMENT = "{{resolve:secretsmanager:"


def assert_nothing_resolves_or_substitutes(template: dict[str, Any], *, strict_plain: bool = True) -> None:
    names = set(template.get("Parameters", {})) | set(template.get("Resources", {})) | PSEUDO_PARAMETERS
    substitutions = {
        key
        for resource in template.get("Resources", {}).values()
        for key in (resource.get("Properties") or {}).get("DefinitionSubstitutions", {})
    }
    for string, sub_variables in walk(template):
        assert string == CDK_SECRET_FRAGMENT or not SECRET.search(string), string
        for reference in re.findall(r"\$\{([^}]*)\}", string):
            if sub_variables is not None:  # Fn::Sub substitutes it: it must be one of ours
                assert reference.split(".")[0] in names | sub_variables or reference.startswith("!"), string
            elif strict_plain:  # elsewhere only a state machine's DefinitionSubstitutions may be written so
                assert reference in substitutions, string


def assert_the_cdk_app_is_data(files: dict[str, str]) -> None:
    for name in ("app.py", "tierplan_stack.py"):
        tree = ast.parse(files[name])
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                assert node.id in ALLOWED_NAMES | {"app"} or node.id.startswith(("c_", "g_")), node.id
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not SECRET.search(node.value) and "${" not in node.value, node.value
    for name, content in files.items():
        assert not SECRET.search(content), name


# The starter handlers are our fixed source: no user text ever enters them.
HANDLER_SOURCES = {
    source for runtime in get_catalog().runtimes for role in roles_for(runtime)
    for source in function_code(runtime, role).files.values()
}  # fmt: skip


def assert_the_handlers_are_ours(files: dict[str, str]) -> None:
    sources = {name: content for name, content in files.items() if name.startswith("src/")}
    assert sources and set(sources.values()) <= HANDLER_SOURCES


def test_cfn_text_leaves_no_reference_and_keeps_length_and_is_idempotent() -> None:
    for text in label_corpus():
        safe = cfn_text(text)
        assert "{{" not in safe and "${" not in safe and len(safe) == len(text) and cfn_text(safe) == safe
        assert not re.search(r"[\x00-\x1f\x7f]", safe)
    assert cfn_text("{{{resolve:ssm:/a}}}") == "{｛｛resolve:ssm:/a}}}"  # three braces leave no "{{"
    assert cfn_text("Orders ${AWS::AccountId}") == "Orders $｛AWS::AccountId}"


def single_value_documents() -> list[dict[str, Any]]:
    """Documents in which every accepted value, and every label value, appears whole in its prop.

    Document i carries the i-th value of each prop (props do not meet in the output) and the i-th label.
    """
    labels = label_corpus()
    count = max(len(labels), *map(len, ACCEPTED.values()))
    return [
        hostile_document(
            {prop: values[i] for prop, values in ACCEPTED.items() if i < len(values)},
            labels[i] if i < len(labels) else None,
        )
        for i in range(count)
    ]


def test_every_accepted_value_exports_with_nothing_resolved_substituted_or_run() -> None:
    documents = single_value_documents()
    assert len(documents) >= max(map(len, ACCEPTED.values())) > 20
    for doc in documents:
        design = validate_design(doc)
        sam = sam_files(design)
        template = yaml.load(sam["template.yaml"], Loader=LOADER)
        assert_nothing_resolves_or_substitutes(template)
        assert not any(SECRET.search(content) for content in sam.values())
        assert_the_handlers_are_ours(sam)
        cdk = cdk_files(design)
        assert_the_cdk_app_is_data(cdk)
        assert_the_handlers_are_ours(cdk)


def test_an_event_pattern_spelling_a_reference_with_json_escapes_is_broken_up() -> None:
    bus = next(p for p in PROPS if p.name == "event_pattern")
    assert JSON_ESCAPED in ACCEPTED[bus]
    template = yaml.safe_load(sam_files(validate_design(hostile_document({bus: JSON_ESCAPED}, None)))["template.yaml"])
    pattern = template["Resources"]["Hook"]["Properties"]["Events"]["BusTrigger"]["Properties"]["Pattern"]
    assert pattern == {"source": ["{｛resolve:ssm:/a}}", "$｛AWS::AccountId}"]}


def test_a_design_name_with_a_substitution_exports_lint_clean() -> None:
    doc = pattern_library()["three-tier-basic"].design.canonical() | {"name": "Orders ${AWS::AccountId}"}
    text = sam_files(validate_design(doc))["template.yaml"]
    template = yaml.safe_load(text)
    assert template["Description"].startswith("Orders $｛AWS::AccountId} (generated by Tierplan")
    assert template["Metadata"]["Tierplan"]["design"] == "Orders $｛AWS::AccountId}"
    assert template["Metadata"]["Tierplan"]["content_hash"] == validate_design(doc).content_hash()
    assert lint_errors(text) == []


def test_a_document_that_skipped_validation_is_refused_by_the_plan() -> None:
    design = validate_design(design_doc())
    api = design.components[1].model_copy(update={"props": {"cors_origins": "{{resolve:ssm:/a}}'"}})
    fn = design.components[2].model_copy(update={"props": {"runtime": "python3.13; import os"}})
    unchecked = design.model_copy(update={"components": [design.components[0], api, fn, design.components[3]]})
    for fmt in ("sam", "cdk-python"):
        with pytest.raises(ExportError) as caught:
            export_zip(unchecked, fmt)
        assert "/components/1/props/cors_origins" in str(caught.value)
        assert "/components/2/props/runtime" in str(caught.value)


def test_an_emitter_that_bypasses_the_rule_cannot_ship_a_dynamic_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    bus = next(p for p in PROPS if p.name == "event_pattern")
    design = validate_design(hostile_document({bus: JSON_ESCAPED}, None))
    export_zip(design, "sam")
    monkeypatch.setattr(plan_module, "cfn_data", lambda value: value)
    assert Plan(design).event_pattern(design.component("bus"))["source"][0] == "{{resolve:ssm:/a}}"  # the rule is off…
    for fmt in ("sam", "cdk-python"):
        with pytest.raises(ExportError, match="dynamic reference"):  # …and the bundle still refuses it
            export_zip(design, fmt)


# -- pass 3: the accepted values packed into a few designs, checked by the real AWS tools --------------


def packed(values: list[str], accepts: Callable[[str], bool], is_json: bool) -> list[str]:
    """The values joined into as few strings as the prop accepts (JSON objects merged side by side)."""
    chunks: list[str] = []
    current: list[str] = []

    def join(parts: list[str]) -> str:
        if len(parts) == 1:
            return parts[0]
        if is_json:
            return json.dumps({f"k{i}": json.loads(part) for i, part in enumerate(parts)}, ensure_ascii=False)
        return "".join(parts)

    for value in values:
        if current and not accepts(join([*current, value])):
            chunks.append(join(current))
            current = []
        current.append(value)
    if current:
        chunks.append(join(current))
    return chunks


def packed_documents() -> list[dict[str, Any]]:
    chunks = {
        prop: packed(values, prop.accepts, prop.spec.content_media_type == "application/json")
        for prop, values in ACCEPTED.items()
        if values
    }
    labels = packed(label_corpus(), lambda text: not LABEL.check(text, ()), False)
    count = max([len(labels), *map(len, chunks.values())])
    return [
        hostile_document({prop: values[i % len(values)] for prop, values in chunks.items()}, labels[i % len(labels)])
        for i in range(count)
    ]


PACKED = packed_documents()


def test_the_packed_designs_carry_every_accepted_value() -> None:
    assert 2 <= len(PACKED) <= 4
    for prop, values in ACCEPTED.items():
        carried = "".join(str(first_instance(doc, prop).get("props", {}).get(prop.name)) for doc in PACKED)
        for value in values:
            merged = json.dumps(json.loads(value), ensure_ascii=False) if prop.spec.content_media_type else value
            assert value in carried or merged in carried, (prop.owner, prop.name, value)


@pytest.mark.parametrize("index", range(len(PACKED)))
def test_hostile_sam_templates_lint_clean_and_transform(index: int) -> None:
    text = sam_files(validate_design(PACKED[index]))["template.yaml"]
    assert lint_errors(text) == []
    transformed = translate_sam(text)
    assert_nothing_resolves_or_substitutes(transformed, strict_plain=False)


@pytest.fixture(scope="module")
def hostile_synthesized(tmp_path_factory: pytest.TempPathFactory) -> list[list[dict[str, Any]]]:
    directories = [
        write_files(cdk_files(validate_design(doc)), tmp_path_factory.mktemp(f"hostile-cdk-{index}"))
        for index, doc in enumerate(PACKED)
    ]
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "exporting" / "synth_many.py"), *map(str, directories)],
        capture_output=True,
        text=True,
        env=cdk_environment(),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [
        [json.loads(path.read_text()) for path in sorted((Path(d) / "cdk.out").glob("*.template.json"))]
        for d in directories
    ]


def test_hostile_cdk_apps_synthesize_with_nothing_resolved_or_substituted(
    hostile_synthesized: list[list[dict[str, Any]]],
) -> None:
    assert len(hostile_synthesized) == len(PACKED)
    for templates in hostile_synthesized:
        assert len(templates) == 2  # the design's stack and the account group's
        for template in templates:
            assert_nothing_resolves_or_substitutes(template)
