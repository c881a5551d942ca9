"""Nested applications: a repository application or a template URL, with string parameters, in both exports;
a card naming neither is saved as a draft and refused at export with the reason."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.core.pointers import Invalid
from apps.designs.document import validate_design
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.plan import ExportError
from tests.exporting.designs import NESTED_TEMPLATE_URL, SAR_APPLICATION


def nested(**props: Any) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Nested",
        "components": [{"id": "monitoring", "type": "nested_application", "props": props}],
    }


def test_a_repository_application_is_a_sam_application_in_both_exports() -> None:
    design = validate_design(nested(application_id=SAR_APPLICATION, semantic_version="2.1.0", parameters={"Days": 7}))
    resource = yaml.safe_load(sam_files(design)["template.yaml"])["Resources"]["Monitoring"]
    assert resource["Type"] == "AWS::Serverless::Application"
    assert resource["Properties"]["Location"] == {"ApplicationId": SAR_APPLICATION, "SemanticVersion": "2.1.0"}
    assert resource["Properties"]["Parameters"] == {"Days": "7"}  # CloudFormation passes strings
    stack = cdk_files(design)["tierplan_stack.py"]
    assert "sam_.CfnApplication(self, 'Monitoring'" in stack and "parameters={'Days': '7'}" in stack


def test_a_template_url_is_a_nested_stack_in_cdk() -> None:
    design = validate_design(nested(template_url=NESTED_TEMPLATE_URL))
    resource = yaml.safe_load(sam_files(design)["template.yaml"])["Resources"]["Monitoring"]
    assert resource["Properties"]["Location"] == NESTED_TEMPLATE_URL and "Parameters" not in resource["Properties"]
    assert (
        f"cloudformation.CfnStack(self, 'Monitoring', template_url='{NESTED_TEMPLATE_URL}'"
        in cdk_files(design)["tierplan_stack.py"]
    )


def test_a_draft_naming_neither_saves_and_is_refused_at_export() -> None:
    design = validate_design(nested())
    with pytest.raises(ExportError, match="monitoring names neither an application_id nor a template_url"):
        sam_files(design)


def test_both_locations_and_hostile_parameters_are_refused_with_pointers() -> None:
    with pytest.raises(Invalid) as refused:
        validate_design(
            nested(
                application_id=SAR_APPLICATION,
                template_url=NESTED_TEMPLATE_URL,
                parameters={"Token": "{{resolve:secretsmanager:prod}}", "bad-name": "x", "Flag": True},
            )
        )
    assert sorted((p.pointer, p.message) for p in refused.value.problems) == [
        ("/components/0/props/parameters/Flag", "must be a string or a number, not a boolean"),
        ("/components/0/props/parameters/Token", "must be one line of at most 4,096 characters without {{"),
        ("/components/0/props/parameters/bad-name", "a parameter name is 1 to 255 letters and digits"),
        ("/components/0/props/template_url", "give application_id or template_url, not both"),
    ]
