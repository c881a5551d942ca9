"""Lambda function URLs (an entry point clients request directly) and Lambda destinations (where an
asynchronous invocation's result goes), in SAM and in CDK."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import validate_design
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.plan import ExportError, Plan


def doc(components: list[dict[str, Any]], connections: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Functions",
        "components": components,
        "connections": [{"id": f"c{index}", **c} for index, c in enumerate(connections or [])],
    }


def function(component_id: str = "fn", **props: Any) -> dict[str, Any]:
    return {"id": component_id, "type": "lambda_function", "props": props}


def sam(document: dict[str, Any]) -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(document))["template.yaml"])


def cdk(document: dict[str, Any]) -> str:
    return cdk_files(validate_design(document))["tierplan_stack.py"]


def link(source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "kind": kind, "props": props}


# -- function URLs ------------------------------------------------------------------------------------


def test_a_function_without_a_url_and_no_client_has_none() -> None:
    template = sam(doc([function()]))
    assert "FunctionUrlConfig" not in template["Resources"]["Fn"]["Properties"]
    assert "add_function_url" not in cdk(doc([function()]))


def test_a_public_url_with_cors_is_written_in_sam_and_cdk() -> None:
    document = doc([function(function_url="public", function_url_cors_origins="https://app.example.com")])
    template = sam(document)
    assert template["Resources"]["Fn"]["Properties"]["FunctionUrlConfig"] == {
        "AuthType": "NONE",
        "Cors": {"AllowOrigins": ["https://app.example.com"], "AllowHeaders": ["content-type", "authorization"],
                 "MaxAge": 600},
    }  # fmt: skip
    assert template["Outputs"]["FnFunctionUrl"]["Value"] == {"Fn::GetAtt": ["FnUrl", "FunctionUrl"]}
    code = cdk(document)
    assert "c_fn_url = c_fn.add_function_url(auth_type=lambda_.FunctionUrlAuthType.NONE, cors=" in code
    assert "allowed_origins=['https://app.example.com']" in code


def test_a_function_clients_request_gets_an_iam_url_when_it_has_none() -> None:
    document = doc([{"id": "web", "type": "browser"}, function()], [link("web", "fn", "request")])
    assert sam(document)["Resources"]["Fn"]["Properties"]["FunctionUrlConfig"] == {"AuthType": "AWS_IAM"}
    assert "add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM)" in cdk(document)


def test_the_url_of_a_function_that_publishes_an_alias_is_on_the_alias_in_cdk_as_in_sam() -> None:
    document = doc([function(function_url="aws_iam", provisioned_concurrency=1)])
    assert sam(document)["Resources"]["Fn"]["Properties"]["AutoPublishAlias"] == "live"
    assert "c_fn_url = c_fn_alias.add_function_url(" in cdk(document)


def test_a_lambda_at_edge_function_cannot_have_a_url() -> None:
    document = doc([function(role="edge", runtime="nodejs22.x", function_url="aws_iam")])
    with pytest.raises(ExportError, match="cannot have a function URL"):
        Plan(validate_design(document))


# -- destinations -------------------------------------------------------------------------------------


def test_success_and_failure_destinations_become_the_event_invoke_config() -> None:
    document = doc(
        [function(), {"id": "done", "type": "sqs_queue"}, {"id": "failed", "type": "sns_topic"}],
        [link("fn", "done", "destination", on="success"), link("fn", "failed", "destination", on="failure")],
    )
    assert sam(document)["Resources"]["Fn"]["Properties"]["EventInvokeConfig"] == {
        "DestinationConfig": {
            "OnFailure": {"Type": "SNS", "Destination": {"Ref": "Failed"}},
            "OnSuccess": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["Done", "Arn"]}},
        }
    }
    assert (
        "c_fn.configure_async_invoke(on_failure=destinations.SnsDestination(c_failed), "
        "on_success=destinations.SqsDestination(c_done))"
    ) in cdk(document)


@pytest.mark.parametrize(
    ("target_type", "sam_type", "cdk_class"),
    [("eventbridge_bus", "EventBridge", "EventBridgeDestination"), ("lambda_function", "Lambda", "LambdaDestination")],
)
def test_buses_and_functions_are_destinations_too(target_type: str, sam_type: str, cdk_class: str) -> None:
    document = doc([function(), {"id": "next", "type": target_type}], [link("fn", "next", "destination")])
    config = sam(document)["Resources"]["Fn"]["Properties"]["EventInvokeConfig"]["DestinationConfig"]
    assert config == {"OnFailure": {"Type": sam_type, "Destination": {"Fn::GetAtt": ["Next", "Arn"]}}}
    assert f"on_failure=destinations.{cdk_class}(c_next)" in cdk(document)


def test_sam_gives_the_function_the_permission_its_destination_needs() -> None:
    from apps.exporting.validate import translate_sam

    document = doc([function(), {"id": "done", "type": "sqs_queue"}], [link("fn", "done", "destination", on="success")])
    translated = translate_sam(sam_files(validate_design(document))["template.yaml"])
    role = next(r for r in translated["Resources"].values() if r["Type"] == "AWS::IAM::Role")
    actions = [s["Action"] for p in role["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    assert "sqs:SendMessage" in actions


def test_two_failure_destinations_are_refused() -> None:
    document = doc(
        [function(), {"id": "a", "type": "sqs_queue"}, {"id": "b", "type": "sqs_queue"}],
        [link("fn", "a", "destination"), link("fn", "b", "destination")],
    )
    with pytest.raises(ExportError, match="one on-failure destination"):
        Plan(validate_design(document))


def test_a_scheduled_rule_is_not_a_destination() -> None:
    document = doc(
        [function(), {"id": "tick", "type": "eventbridge_bus", "props": {"schedule_expression": "rate(5 minutes)"}}],
        [link("fn", "tick", "destination")],
    )
    with pytest.raises(ExportError, match="no event bus"):
        Plan(validate_design(document))
