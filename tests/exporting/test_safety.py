"""Hostile names cannot break the YAML or become code in the CDK app; the output is deterministic."""

from __future__ import annotations

import ast
import io
import json
import zipfile
from typing import Any

import pytest
import yaml

from apps.designs.document import validate_design
from apps.designs.patterns import pattern_library
from apps.exporting.bundle import export_zip, sam_files
from apps.exporting.cdk import cdk_files
from apps.exporting.plan import logical_id, unique_logical_ids
from apps.exporting.validate import lint_errors, translate_sam

HOSTILE = [
    "Orders\nAWSTemplateFormatVersion: evil",
    "'; import os; os.system('rm -rf /') #",
    '"""\nimport os\n"""',
    "!!python/object/apply:os.system ['id']",
    "${AWS::AccountId} {{resolve:secretsmanager:x}} & *anchor",
    "</script><img src=x onerror=alert(1)>",
    "__import__('subprocess').call(['sh'])",
    "x" * 200,
]


def hostile_design() -> Any:
    doc = pattern_library()["single-domain"].design.canonical()
    doc["name"] = HOSTILE[0]
    for component, label in zip(doc["components"], HOSTILE, strict=False):
        component["label"] = label
    return validate_design(doc)


def test_hostile_labels_stay_plain_strings_in_the_sam_template() -> None:
    design = hostile_design()
    text = sam_files(design)["template.yaml"]
    template = yaml.safe_load(text)
    assert set(template) == {
        "AWSTemplateFormatVersion",
        "Transform",
        "Description",
        "Metadata",
        "Parameters",
        "Conditions",
        "Resources",
        "Outputs",
    }
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    resources = template["Resources"]
    assert resources["Cdn"]["Properties"]["DistributionConfig"]["Comment"] == HOSTILE[1]
    assert resources["Api"]["Properties"]["Description"] == "$ {AWS::AccountId} { {resolve:secretsmanager:x}} & *anchor"
    assert resources["Handler"]["Properties"]["Description"] == HOSTILE[5]
    assert template["Description"].startswith(HOSTILE[0])
    assert "{{resolve:" not in text  # a dynamic reference in a label is broken up, never resolved
    # No user text inside an intrinsic that interprets it (Fn::Sub would expand ${...}).
    for label in HOSTILE:
        assert label not in json.dumps(
            [node for node in _walk(template) if isinstance(node, dict) and "Fn::Sub" in node]
        )
    assert lint_errors(text) == []
    assert lint_errors(json.dumps(translate_sam(text))) == []


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


ALLOWED_NAMES = {
    "cdk", "Duration", "Size", "apigw", "apigwv2", "apigwv2_authorizers", "apigwv2_integrations", "acm", "cloudfront",
    "origins", "codedeploy", "cognito", "dynamodb", "ec2", "elasticache", "events", "targets", "iam", "kinesis", "kms",
    "lambda_", "event_sources", "logs", "opensearch", "rds", "s3", "sns", "subscriptions", "sqs", "sfn", "tasks",
    "Construct", "self", "scope", "construct_id", "account_group", "kwargs", "super", "json", "os", "HERE", "__file__",
    "TierplanStack", "None", "True", "False", "str",
}  # fmt: skip


def test_hostile_labels_become_string_literals_and_nothing_else_in_the_cdk_app() -> None:
    files = cdk_files(hostile_design())
    module = ast.parse(files["tierplan_stack.py"])
    app = ast.parse(files["app.py"])
    for tree in (module, app):
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                assert (
                    node.id in ALLOWED_NAMES or node.id.startswith(("c_", "g_")) or node.id in {"app", "environment"}
                ), node.id
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names]
                assert all(
                    n.split(".")[0] in {"aws_cdk", "constructs", "json", "os", "tierplan_stack"}
                    or isinstance(node, ast.ImportFrom)
                    for n in names
                )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id in {"super", "TierplanStack", "str"}, node.func.id
            assert not isinstance(node, (ast.Lambda, ast.Global, ast.Delete, ast.With))
    constants = {n.value for n in ast.walk(module) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert HOSTILE[1] in constants and HOSTILE[5] in constants  # present, but only as data
    assert all(
        not line.lstrip().startswith("#") or "import os" not in line for line in files["tierplan_stack.py"].splitlines()
    )
    modules = {n.module for n in ast.walk(module) if isinstance(n, ast.ImportFrom)}
    assert modules <= {"__future__", "aws_cdk", "constructs"}


def test_hostile_labels_stay_plain_text_in_the_readmes() -> None:
    readme = sam_files(hostile_design())["README.md"]
    first = readme.splitlines()[0]
    assert "\n" not in first and "<img" not in readme and "\\<" in first or "Orders" in first


def test_logical_ids_are_alphanumeric_and_deduplicated_deterministically() -> None:
    assert logical_id("orders_fn") == "OrdersFn"
    assert logical_id("a_1") == "A1"
    assert unique_logical_ids(["a_1", "a1", "a__1"], set()) == {"a_1": "A1", "a1": "A12", "a__1": "A13"}
    assert unique_logical_ids(["stage"], {"Stage"}) == {"stage": "Stage2"}


@pytest.mark.parametrize("fmt", ["sam", "cdk-python"])
def test_the_same_design_exports_the_same_bytes(fmt: str) -> None:
    design = pattern_library()["three-tier-vpc"].design
    assert export_zip(design, fmt) == export_zip(design, fmt)


def test_the_sam_zip_has_template_handlers_config_and_readme() -> None:
    archive = zipfile.ZipFile(io.BytesIO(export_zip(pattern_library()["secured-edge"].design, "sam")))
    names = set(archive.namelist())
    assert {
        "template.yaml",
        "samconfig.toml",
        "README.md",
        "src/handler/app.py",
        "src/headers_fn/app.py",
        "src/authorizer_fn/app.py",
    } <= names
    assert (
        "sam build" in archive.read("README.md").decode()
        and "sam deploy --guided" in archive.read("README.md").decode()
    )
    assert 'stack_name = "secured-api-and-edge"' in archive.read("samconfig.toml").decode()


def test_the_cdk_zip_pins_aws_cdk_lib_and_has_the_same_handlers() -> None:
    archive = zipfile.ZipFile(io.BytesIO(export_zip(pattern_library()["secured-edge"].design, "cdk-python")))
    names = set(archive.namelist())
    assert {"app.py", "tierplan_stack.py", "cdk.json", "requirements.txt", "README.md", "src/handler/app.py"} <= names
    assert archive.read("requirements.txt").decode().startswith("aws-cdk-lib==2.")
    assert json.loads(archive.read("cdk.json"))["app"] == "python3 app.py"
