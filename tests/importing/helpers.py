"""Shared helpers of the import tests: the fixtures (hand-written templates) and lookups in a result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apps.importing.engine import ImportResult, import_template

FIXTURES = Path(__file__).parent / "fixtures"


def imported(name: str) -> ImportResult:
    return import_template((FIXTURES / name).read_bytes(), name=name)


def component(result: ImportResult, component_id: str) -> Any:
    return result.design.component(component_id)


def links(result: ImportResult) -> set[tuple[str, str, str]]:
    return {(c.source, c.target, c.kind) for c in result.design.connections}


def generated_template(services: int) -> str:
    """A SAM template of ``services`` × 4 resources: a function fed by its queue, writing to its table, and
    a topic (each function becomes a component with two connections)."""
    resources: dict[str, Any] = {}
    for index in range(services):
        resources[f"Fn{index}"] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": ".",
                           "Policies": [{"DynamoDBCrudPolicy": {"TableName": {"Ref": f"Table{index}"}}}],
                           "Events": {"Q": {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": [f"Queue{index}", "Arn"]}}}}},
        }  # fmt: skip
        resources[f"Table{index}"] = {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}}
        resources[f"Queue{index}"] = {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}
        resources[f"Topic{index}"] = {"Type": "AWS::SNS::Topic"}
    return json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": resources})
