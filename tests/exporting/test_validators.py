"""Every pattern and a design with every type export SAM and CDK that the real AWS tools accept."""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from typing import Any

import pytest
import yaml

from apps.designs.catalog import get_catalog
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.parity import ONLY_IN_CDK, ONLY_IN_SAM
from apps.exporting.validate import lint_errors, translate_sam
from tests.exporting.conftest import export_designs

DESIGNS = export_designs()
# A function on a runtime AWS no longer lets anyone create (or update) still exports; cfn-lint says so.
RETIRED_RUNTIME = re.compile(r"^\[E253[13]: ")


def lint_errors_but_retired_runtimes(template: str) -> list[str]:
    return [error for error in lint_errors(template) if not RETIRED_RUNTIME.match(error)]


@pytest.mark.parametrize("slug", sorted(DESIGNS))
def test_the_sam_template_lints_clean_and_transforms(slug: str) -> None:
    template = sam_files(DESIGNS[slug])["template.yaml"]
    assert yaml.safe_load(template)["Transform"] == "AWS::Serverless-2016-10-31"
    assert lint_errors_but_retired_runtimes(template) == []
    transformed = translate_sam(template)
    assert "Transform" not in transformed
    assert lint_errors_but_retired_runtimes(json.dumps(transformed)) == []


@pytest.mark.parametrize("slug", sorted(DESIGNS))
def test_the_cdk_app_synthesizes_a_template_that_lints_clean(
    slug: str, synthesized: dict[str, list[dict[str, Any]]]
) -> None:
    templates = synthesized[slug]
    assert templates
    for template in templates:
        assert lint_errors_but_retired_runtimes(json.dumps(template)) == []


@pytest.mark.parametrize("slug", sorted(DESIGNS))
def test_sam_and_cdk_create_the_same_resource_types_but_for_the_listed_differences(
    slug: str, synthesized: dict[str, list[dict[str, Any]]]
) -> None:
    sam_types = {r["Type"] for r in translate_sam(sam_files(DESIGNS[slug])["template.yaml"])["Resources"].values()}
    cdk_types = {r["Type"] for t in synthesized[slug] for r in t["Resources"].values()} - {"AWS::CDK::Metadata"}
    assert sam_types - cdk_types <= set(ONLY_IN_SAM), sam_types - cdk_types
    assert cdk_types - sam_types <= set(ONLY_IN_CDK), cdk_types - sam_types
    assert "AWS::Lambda::Function" not in (sam_types ^ cdk_types)


def test_the_multi_account_pattern_gives_one_cdk_stack_per_account(
    synthesized: dict[str, list[dict[str, Any]]],
) -> None:
    stacks = synthesized["team-microservices"]
    assert len(stacks) == 2
    tables = [[r for r in t["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"] for t in stacks]
    assert [len(t) for t in tables] == [1, 1]


def test_the_multi_account_sam_template_deploys_one_account_at_a_time() -> None:
    template = yaml.safe_load(sam_files(DESIGNS["team-microservices"])["template.yaml"])
    assert template["Parameters"]["Account"]["AllowedValues"] == ["all", "orders_account", "payments_account"]
    assert template["Resources"]["OrdersTable"]["Condition"] == "DeployOrdersAccount"
    assert template["Resources"]["PaymentsApi"]["Condition"] == "DeployPaymentsAccount"


def test_each_account_deploys_to_the_region_its_group_names(synthesized: dict[str, list[dict[str, Any]]]) -> None:
    design = DESIGNS["accounts-in-two-regions"]
    config = tomllib.loads(sam_files(design)["samconfig.toml"])
    assert config["default"]["deploy"]["parameters"]["region"] == "us-east-1"
    payments = config["payments_account"]["deploy"]["parameters"]
    assert payments["region"] == "eu-central-1" and payments["parameter_overrides"] == "Account=payments_account"
    assert config["orders_account"]["deploy"]["parameters"]["region"] == "us-east-1"
    assert "`payments_account`: region `eu-central-1`" in sam_files(design)["README.md"]
    app = cdk_files(design)["app.py"]
    assert "account_group='payments_account', env=cdk.Environment(region='eu-central-1')" in app
    assert "account_group='orders_account', env=cdk.Environment(region='us-east-1')" in app
    assert len(synthesized["accounts-in-two-regions"]) == 2


def test_a_runtime_aws_no_longer_creates_exports_with_that_as_its_only_lint_error() -> None:
    """Every runtime is in the every-runtime design; the retired ones, and only they, draw E2531/E2533."""
    errors = lint_errors(sam_files(DESIGNS["every-runtime"])["template.yaml"])
    assert errors and all(RETIRED_RUNTIME.match(error) for error in errors), errors
    named = {re.search(r"Runtime '([^']+)'", error).group(1) for error in errors}  # type: ignore[union-attr]
    today = datetime.date.today()
    retired = {r.id for r in get_catalog().runtimes.values() if r.block_create is not None and r.block_create <= today}
    assert named == retired
