"""The IAM statements written for roles SAM does not build (ECS tasks, Batch jobs) are exactly what the SAM
transform makes of the same policy templates: checked against aws-sam-translator's own processor."""

from __future__ import annotations

from typing import Any

import pytest
from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor

from apps.exporting.services.policy_templates import TEMPLATES, iam_statements

PROCESSOR = PolicyTemplatesProcessor(PolicyTemplatesProcessor.get_default_policy_templates_json())


def plain(value: Any) -> Any:
    """A document with each Fn::Sub's variable renamed to `name`, so both sides spell it alike, and a
    Fn::Sub of the variable alone replaced by its value."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], list):
        text, variables = value["Fn::Sub"]
        if len(variables) == 1:
            (variable,) = variables
            if text == "${" + variable + "}":  # a substitution of the value alone is the value
                return variables[variable]
            return {"Fn::Sub": [text.replace("${" + variable + "}", "${name}"), {"name": variables[variable]}]}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def normalized(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        ({**s, "Action": sorted(s["Action"] if isinstance(s["Action"], list) else [s["Action"]])} for s in statements),
        key=repr,
    )


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_template_grants_what_the_sam_transform_grants(name: str) -> None:
    given = {parameter: {"Ref": f"Target{parameter}"} for parameter in TEMPLATES[name]["parameters"]}
    ours = iam_statements([{name: given}], role="test")
    theirs = PROCESSOR.convert(name, given)["Statement"]
    assert normalized(plain(ours)) == normalized(plain(theirs))
