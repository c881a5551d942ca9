"""cloudformation_resource: any CloudFormation resource type, its properties checked against AWS's own schema."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.costing.engine import estimate
from apps.designs.catalog import OBJECT_MAX_BYTES, OBJECT_MAX_DEPTH, get_catalog
from apps.designs.cfn_schemas import is_intrinsic, resource_types, search_resource_types
from apps.designs.document import DesignInvalid, design_json_schema, validate_design

PROPS = "/components/1/props"


def resource_design(resource_type: str | None, properties: Any, **connection: Any) -> dict[str, Any]:
    """A function and one CloudFormation resource (props left out where None), optionally connected."""
    props: dict[str, Any] = {"properties": properties}
    if resource_type is not None:
        props["resource_type"] = resource_type
    doc: dict[str, Any] = {
        "schema": "tierplan.design/v1",
        "name": "Resource",
        "components": [
            {"id": "reader", "type": "lambda_function"},
            {"id": "settings", "type": "cloudformation_resource", "props": props},
        ],
    }
    if connection:
        doc["connections"] = [
            {"id": "uses", "source": "reader", "target": "settings", "kind": "reference", **connection}
        ]
    return doc


def problems_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc)
    return [(problem.pointer, problem.message) for problem in caught.value.problems]


VALID: dict[str, dict[str, Any]] = {
    "AWS::SSM::Parameter": {"Name": "/orders/table", "Type": "String", "Value": "orders", "Tier": "Standard"},
    "AWS::Route53::RecordSet": {
        "HostedZoneId": "Z0123456789ABC",
        "Name": "api.example.com.",
        "Type": "CNAME",
        "TTL": "300",
        "ResourceRecords": ["d111111abcdef8.cloudfront.net"],
    },
    "AWS::CloudWatch::Alarm": {
        "AlarmName": "orders-errors",
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "EvaluationPeriods": 1,
        "MetricName": "Errors",
        "Namespace": "AWS/Lambda",
        "Period": 300,
        "Statistic": "Sum",
        "Threshold": 1,
        "Dimensions": [{"Name": "FunctionName", "Value": "orders"}],
    },
    "AWS::Glue::Job": {
        "Name": "nightly-export",
        "Role": "arn:aws:iam::123456789012:role/glue",
        "Command": {"Name": "glueetl", "ScriptLocation": "s3://scripts/export.py", "PythonVersion": "3"},
        "GlueVersion": "4.0",
        "MaxRetries": 1,
    },
    "AWS::ECR::Repository": {
        "RepositoryName": "orders",
        "ImageScanningConfiguration": {"ScanOnPush": True},
        "ImageTagMutability": "IMMUTABLE",
        "Tags": [{"Key": "team", "Value": "orders"}],
    },
}


@pytest.mark.parametrize("resource_type", sorted(VALID))
def test_it_accepts_valid_properties_of_real_resource_types(resource_type: str) -> None:
    design = validate_design(resource_design(resource_type, VALID[resource_type]))
    assert design.components[1].props["properties"] == VALID[resource_type]


def test_a_fresh_card_with_no_props_is_a_valid_ssm_parameter() -> None:
    doc = resource_design("AWS::SSM::Parameter", {})
    doc["components"][1]["props"] = {}
    validate_design(doc)
    defaults = get_catalog().types["cloudformation_resource"].props.defaults()
    assert defaults["resource_type"] == "AWS::SSM::Parameter"
    defaults["properties"]["Value"] = "changed"  # a copy: the catalog's default stays as it was
    assert get_catalog().types["cloudformation_resource"].props.defaults()["properties"]["Value"] == "change-me"


def test_it_refuses_an_unknown_property_naming_it_and_the_closest_one() -> None:
    properties = {"Type": "String", "Value": "x", "Nmae": "/orders/table"}
    assert problems_of(resource_design("AWS::SSM::Parameter", properties)) == [
        (f"{PROPS}/properties/Nmae", "unknown property Nmae of AWS::SSM::Parameter; did you mean Name?")
    ]


def test_it_refuses_a_missing_required_property_at_its_pointer() -> None:
    assert problems_of(resource_design("AWS::SSM::Parameter", {"Type": "String"})) == [
        (f"{PROPS}/properties/Value", "required property Value of AWS::SSM::Parameter is missing")
    ]


def test_it_refuses_a_missing_required_property_of_a_nested_object() -> None:
    properties = {"RepositoryName": "orders", "Tags": [{"Key": "team"}]}
    assert problems_of(resource_design("AWS::ECR::Repository", properties)) == [
        (f"{PROPS}/properties/Tags/0/Value", "required property Value of Tags[0] is missing")
    ]


def test_it_refuses_a_value_of_the_wrong_type() -> None:
    properties = {"Type": "String", "Value": {"text": "orders"}}
    assert problems_of(resource_design("AWS::SSM::Parameter", properties)) == [
        (f"{PROPS}/properties/Value", "Value must be a string, not an object")
    ]


def test_it_refuses_a_value_outside_the_schemas_enum() -> None:
    [(pointer, message)] = problems_of(resource_design("AWS::SSM::Parameter", {"Type": "Strin", "Value": "x"}))
    assert pointer == f"{PROPS}/properties/Type"
    assert message.startswith("Type must be one of") and '"String"' in message


def test_it_takes_numbers_and_booleans_spelt_as_strings_like_cloudformation_does() -> None:
    properties = {**VALID["AWS::CloudWatch::Alarm"], "EvaluationPeriods": "2", "ActionsEnabled": "true"}
    validate_design(resource_design("AWS::CloudWatch::Alarm", properties))
    properties["EvaluationPeriods"] = "two"
    assert problems_of(resource_design("AWS::CloudWatch::Alarm", properties)) == [
        (f"{PROPS}/properties/EvaluationPeriods", "EvaluationPeriods must be an integer, not a string")
    ]


def test_it_refuses_a_read_only_property() -> None:
    properties = {"Type": "String", "Value": "x", "Arn": "arn:aws:ssm:us-east-1:123456789012:parameter/x"}
    assert problems_of(resource_design("AWS::SSM::Parameter", properties)) == [
        (f"{PROPS}/properties/Arn", "Arn is read-only: CloudFormation sets it, a template cannot")
    ]


def test_it_refuses_an_unknown_resource_type_suggesting_close_ones() -> None:
    assert problems_of(resource_design("AWS::SSM::Paramter", {})) == [
        (
            f"{PROPS}/resource_type",
            "CloudFormation has no resource type AWS::SSM::Paramter; did you mean AWS::SSM::Parameter?",
        )
    ]


def test_it_refuses_a_resource_type_that_is_not_three_names() -> None:
    [(pointer, message)] = problems_of(resource_design("Custom::Thing", {}))
    assert pointer == f"{PROPS}/resource_type"
    assert "AWS::SSM::Parameter" in message


def test_sam_types_are_left_to_tierplans_own_component_types() -> None:
    assert not any(name.startswith("AWS::Serverless::") for name in resource_types())
    [(pointer, message)] = problems_of(resource_design("AWS::Serverless::Function", {}))
    assert pointer == f"{PROPS}/resource_type" and "AWS::Serverless::Function" in message


def test_intrinsic_functions_are_accepted_wherever_a_value_is_expected() -> None:
    properties = {
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": {"Ref": "AWS::NoValue"},
        "MetricName": {"Fn::Join": ["", ["Err", "ors"]]},
        "Namespace": "AWS/Lambda",
        "Period": {"Fn::Select": [0, [60, 300]]},
        "Statistic": "Sum",
        "Threshold": 1,
        "AlarmActions": [{"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts"}],
        "Dimensions": {"Fn::Split": [",", "a,b"]},
        "AlarmDescription": {"Fn::Sub": ["Errors of ${Name}", {"Name": {"Ref": "AWS::StackName"}}]},
    }
    validate_design(resource_design("AWS::CloudWatch::Alarm", properties))
    glue = {**VALID["AWS::Glue::Job"], "Role": {"Fn::GetAtt": ["GlueRole", "Arn"]}}
    validate_design(resource_design("AWS::Glue::Job", glue))
    assert is_intrinsic({"Condition": "IsProd"}) and not is_intrinsic({"Ref": "a", "Other": 1})


def test_intrinsic_functions_the_export_cannot_declare_are_refused() -> None:
    properties = {"Type": "String", "Value": {"Fn::If": ["IsProd", "a", "b"]}}
    assert problems_of(resource_design("AWS::SSM::Parameter", properties)) == [
        (f"{PROPS}/properties/Value/Fn::If", "Fn::If cannot be exported: the exported template declares no conditions")
    ]
    properties = {"Type": "String", "Value": {"Fn::Sbu": "x"}}
    assert problems_of(resource_design("AWS::SSM::Parameter", properties)) == [
        (f"{PROPS}/properties/Value/Fn::Sbu", "unknown intrinsic function Fn::Sbu; did you mean Fn::Sub?")
    ]


def test_substitutions_belong_in_fn_sub_and_dynamic_references_nowhere() -> None:
    outside = {"Type": "String", "Value": "${AWS::Region}"}
    [(pointer, message)] = problems_of(resource_design("AWS::SSM::Parameter", outside))
    assert pointer == f"{PROPS}/properties/Value" and "Fn::Sub" in message
    secret = {"Type": "String", "Value": {"Fn::Sub": "{{resolve:secretsmanager:prod/db:SecretString:password}}"}}
    [(pointer, message)] = problems_of(resource_design("AWS::SSM::Parameter", secret))
    assert pointer == f"{PROPS}/properties/Value/Fn::Sub" and "dynamic reference" in message
    token = {"Type": "String", "Value": {"Fn::Sub": "${Token[TOKEN.12]}"}}
    [(pointer, _)] = problems_of(resource_design("AWS::SSM::Parameter", token))
    assert pointer == f"{PROPS}/properties/Value/Fn::Sub"


def test_properties_must_be_an_object() -> None:
    assert problems_of(resource_design("AWS::SSM::Parameter", "Type: String")) == [
        (f"{PROPS}/properties", "must be an object, not a string")
    ]


def test_oversize_properties_are_refused() -> None:
    properties = {"Type": "String", "Value": "x" * OBJECT_MAX_BYTES}
    [(pointer, message)] = problems_of(resource_design("AWS::SSM::Parameter", properties))
    assert pointer == f"{PROPS}/properties"
    assert message.endswith(f"at most {OBJECT_MAX_BYTES} are allowed")


def test_deeply_nested_properties_are_refused() -> None:
    nested: dict[str, Any] = {}
    for _ in range(OBJECT_MAX_DEPTH - 1):  # {} and its 19 wrappers: 20 levels, 21 inside the properties
        nested = {"x": nested}
    properties = {"Type": "String", "Value": "x", "Tags": nested}
    [(pointer, message)] = problems_of(resource_design("AWS::SSM::Parameter", properties))
    assert pointer == f"{PROPS}/properties"
    assert message == f"is nested {OBJECT_MAX_DEPTH + 1} levels deep; at most {OBJECT_MAX_DEPTH} are allowed"


def test_the_design_schema_publishes_the_object_prop_and_its_bounds() -> None:
    schema = design_json_schema()
    [rule] = [rule for rule in schema["$defs"]["Component"]["allOf"]
              if rule["if"]["properties"]["type"]["const"] == "cloudformation_resource"]  # fmt: skip
    properties = rule["then"]["properties"]["props"]["properties"]["properties"]
    assert properties["type"] == "object"
    assert properties["x-max-bytes"] == OBJECT_MAX_BYTES and properties["x-max-depth"] == OBJECT_MAX_DEPTH


# -- the reference connection ---------------------------------------------------------------------


def test_a_function_references_a_resource_with_iam_actions() -> None:
    doc = resource_design(
        "AWS::SSM::Parameter", VALID["AWS::SSM::Parameter"], props={"actions": "ssm:GetParameter, ssm:Get*"}
    )
    validate_design(doc)


@pytest.mark.parametrize("actions", ["ssm:GetParameter; rm", "*", "GetParameter", "ssm:${x}", "ssm:Get Parameter"])
def test_a_reference_refuses_what_is_not_a_list_of_iam_actions(actions: str) -> None:
    doc = resource_design("AWS::SSM::Parameter", VALID["AWS::SSM::Parameter"], props={"actions": actions})
    [(pointer, _)] = problems_of(doc)
    assert pointer == "/connections/0/props/actions"


def test_only_a_function_may_reference_a_resource() -> None:
    doc = resource_design("AWS::SSM::Parameter", VALID["AWS::SSM::Parameter"])
    doc["components"][0]["type"] = "sqs_queue"
    doc["connections"] = [{"id": "uses", "source": "reader", "target": "settings", "kind": "reference"}]
    [(pointer, _)] = problems_of(doc)
    assert pointer == "/connections/0/kind"


# -- the estimate ------------------------------------------------------------------------------------


def test_the_estimate_lists_the_resource_as_not_estimated() -> None:
    doc = resource_design("AWS::Glue::Job", VALID["AWS::Glue::Job"], props={"actions": "glue:StartJobRun"})
    result = estimate(validate_design(doc))
    [resource] = [component for component in result["components"] if component["id"] == "settings"]
    assert resource["lines"] == [] and resource["monthly_usd"] == 0
    notes = [text for text in result["assumptions"] if text.startswith("settings:")]
    assert notes == [
        "settings: AWS::Glue::Job is not estimated (Tierplan has no cost model for an arbitrary CloudFormation "
        "resource type); add its cost yourself."
    ]
    assert not any("Entry points" in text and "settings" in text for text in result["assumptions"])


def test_no_traffic_flows_along_a_reference() -> None:
    doc = resource_design("AWS::SSM::Parameter", VALID["AWS::SSM::Parameter"], props={"actions": "ssm:GetParameter"})
    result = estimate(validate_design(doc))
    [resource] = [component for component in result["components"] if component["id"] == "settings"]
    assert resource["quantities"] == {}
    [function] = [component for component in result["components"] if component["id"] == "reader"]
    assert function["monthly_usd"] > 0


# -- the list of resource types for the editor ------------------------------------------------------


def test_the_search_puts_the_service_first() -> None:
    found = search_resource_types("ssm")
    assert found[0].startswith("AWS::SSM::") and "AWS::SSM::Parameter" in found
    assert search_resource_types("AWS::SSM::Parameter")[0] == "AWS::SSM::Parameter"
    assert search_resource_types("route53 record")[:1] == ["AWS::Route53::RecordSet"]


@pytest.mark.django_db
def test_the_endpoint_searches_and_pages_the_resource_types() -> None:
    client = APIClient()
    response = client.get("/api/catalog/cloudformation-types/", {"q": "ssm param", "limit": "5"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    first = body["results"][0]
    assert first["type"] == "AWS::SSM::Parameter"
    assert sorted(first["required"]) == ["Type", "Value"]
    assert "Name" in first["properties"] and "Arn" not in first["properties"]
    everything = client.get("/api/catalog/cloudformation-types/").json()
    assert everything["count"] == len(resource_types()) > 1000
    assert len(everything["results"]) == 50


@pytest.mark.django_db
def test_the_endpoint_refuses_a_bad_query() -> None:
    from tests.projects.helpers import assert_error

    response = APIClient().get("/api/catalog/cloudformation-types/", {"q": "x" * 201})
    assert_error(response, 400, "invalid", ["/q"])
