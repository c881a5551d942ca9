"""Custom resources and KMS keys: the resources, what connected functions may do, and what the export
refuses. The generated tests lint, transform and synthesize them; these check content."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.catalog import get_catalog
from apps.designs.document import DesignInvalid, validate_design
from apps.exporting.cdk import stack_module
from apps.exporting.plan import ExportError, Plan
from apps.exporting.sam import sam_template

TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:provisioner"


def export(components: list[dict[str, Any]], connections: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "Governance",
        "components": components,
        "connections": [{"id": f"c{index}", **c} for index, c in enumerate(connections)],
    }
    plan = Plan(validate_design(doc))
    return sam_template(plan), stack_module(plan)


def comp(id: str, type: str, **props: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "props": props}


def link(source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "kind": kind, "props": props}


# -- custom resources --------------------------------------------------------------------------------


def test_any_custom_type_name_is_drawn_as_a_custom_resource() -> None:
    catalog = get_catalog()
    for resource_type in ("Custom::SeedTable", "Custom::S3Create", "AWS::CloudFormation::CustomResource"):
        assert [t.name for t in catalog.types_for_resource(resource_type)] == ["custom_resource"]
        assert catalog.drawable(resource_type)


def test_a_custom_resource_is_served_by_the_function_it_is_connected_to() -> None:
    sam, cdk = export(
        [
            comp("seeder", "lambda_function", timeout_s=120),
            comp(
                "seed",
                "custom_resource",
                resource_type="Custom::SeedTable",
                properties="TableName=orders;Note=a = b",
                service_timeout_s=300,
            ),
        ],
        [link("seed", "seeder", "provide")],
    )
    resource = sam["Resources"]["Seed"]
    assert resource["Type"] == "Custom::SeedTable"
    assert resource["Properties"] == {
        "ServiceToken": {"Fn::GetAtt": ["Seeder", "Arn"]},
        "ServiceTimeout": 300,
        "TableName": "orders",
        "Note": "a = b",
    }
    # CloudFormation calls a function of the same stack with the deployer's permissions: no permission resource.
    assert not [r for r in sam["Resources"].values() if r["Type"] == "AWS::Lambda::Permission"]
    assert (
        "c_seed = cdk.CustomResource(self, 'Seed', service_token=c_seeder.function_arn, "
        "resource_type='Custom::SeedTable', properties={'TableName': 'orders', 'Note': 'a = b'}, "
        "service_timeout=Duration.seconds(300))"
    ) in cdk


def test_a_generic_custom_resource_served_from_outside_names_its_provider() -> None:
    sam, cdk = export(
        [comp("ext", "custom_resource", resource_type="AWS::CloudFormation::CustomResource", service_token=TOKEN)], []
    )
    assert sam["Resources"]["Ext"] == {
        "Type": "AWS::CloudFormation::CustomResource",
        "Properties": {"ServiceToken": TOKEN},
    }
    # The CDK's CustomResource is AWS::CloudFormation::CustomResource unless told another type.
    assert f"c_ext = cdk.CustomResource(self, 'Ext', service_token={TOKEN!r})" in cdk


def test_a_custom_resource_without_a_provider_is_refused() -> None:
    with pytest.raises(ExportError, match="it has no provider"):
        export([comp("seed", "custom_resource")], [])


def test_a_custom_resource_has_one_provider() -> None:
    with pytest.raises(ExportError, match="one provider"):
        export(
            [comp("a", "lambda_function"), comp("b", "lambda_function"), comp("seed", "custom_resource")],
            [link("seed", "a", "provide"), link("seed", "b", "provide")],
        )


def test_an_authorizer_cannot_serve_a_custom_resource() -> None:
    with pytest.raises(ExportError, match="authorizer or an edge function"):
        export(
            [comp("authz", "lambda_function", role="authorizer"), comp("seed", "custom_resource")],
            [link("seed", "authz", "provide")],
        )


@pytest.mark.parametrize(
    "properties",
    ["ServiceToken=arn:aws:sns:us-east-1:123456789012:x", "A=1;ServiceTimeout=5", "1Bad=x", "A=${AWS::Region}", "A"],
)
def test_properties_that_clash_with_the_service_token_or_are_not_name_value_pairs_are_refused(properties: str) -> None:
    with pytest.raises(DesignInvalid) as caught:
        export([comp("seed", "custom_resource", properties=properties, service_token=TOKEN)], [])
    assert caught.value.problems[0].pointer == "/components/0/props/properties"


def test_custom_type_names_follow_cloudformation() -> None:
    for bad in ("Custom::", "Custom::a b", "Custom::" + "x" * 61, "AWS::S3::Bucket"):
        with pytest.raises(DesignInvalid):
            export([comp("seed", "custom_resource", resource_type=bad, service_token=TOKEN)], [])


@pytest.mark.parametrize("properties", ["A=1;A=2", "A=1;B=2;A=3", "Rows=1;Table=x;Rows=2'"])
def test_repeated_property_names_are_refused(properties: str) -> None:
    with pytest.raises(DesignInvalid) as caught:
        export([comp("seed", "custom_resource", properties=properties, service_token=TOKEN)], [])
    assert caught.value.problems[0].pointer == "/components/0/props/properties"


def test_names_that_only_end_alike_are_not_repeats() -> None:
    sam, _ = export([comp("seed", "custom_resource", properties="XRows=1;Rows=2;A=Rows=3", service_token=TOKEN)], [])
    assert sam["Resources"]["Seed"]["Properties"] == {"ServiceToken": TOKEN, "XRows": "1", "Rows": "2", "A": "Rows=3"}


# -- KMS keys ----------------------------------------------------------------------------------------


def test_a_key_rotates_is_retained_and_gets_its_alias() -> None:
    sam, cdk = export([comp("data_key", "kms_key", alias="orders/data", rotation_period_days=180)], [])
    key = sam["Resources"]["DataKey"]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["Properties"]["RotationPeriodInDays"] == 180
    assert sam["Resources"]["DataKeyAlias"]["Properties"] == {
        "AliasName": "alias/orders/data",
        "TargetKeyId": {"Ref": "DataKey"},
    }
    assert "removal_policy=cdk.RemovalPolicy.RETAIN" in cdk
    assert "rotation_period=Duration.days(180)" in cdk and "alias='alias/orders/data'" in cdk


def test_a_key_without_rotation_names_no_rotation_period_and_no_alias_when_none_is_given() -> None:
    sam, cdk = export([comp("k", "kms_key", enable_key_rotation=False)], [])
    assert "RotationPeriodInDays" not in sam["Resources"]["K"]["Properties"]
    assert "KAlias" not in sam["Resources"]
    assert "rotation_period" not in cdk and "alias=" not in cdk


@pytest.mark.parametrize(
    ("kind", "actions"),
    [
        ("read", ["kms:Decrypt"]),
        ("write", ["kms:Encrypt", "kms:GenerateDataKey"]),
        ("read_write", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]),
    ],
)
def test_a_function_may_do_with_the_key_what_its_connection_says_and_no_more(kind: str, actions: list[str]) -> None:
    sam, cdk = export([comp("fn", "lambda_function"), comp("k", "kms_key")], [link("fn", "k", kind)])
    function = sam["Resources"]["Fn"]["Properties"]
    assert function["Environment"]["Variables"]["K_KEY_ARN"] == {"Fn::GetAtt": ["K", "Arn"]}
    assert function["Policies"] == [
        {"Statement": [{"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["K", "Arn"]}}]}
    ]
    assert f"iam.Grant.add_to_principal(grantee=c_fn, actions={actions!r}, resource_arns=[c_k.key_arn])" in cdk


def test_a_state_machine_cannot_use_a_key() -> None:
    with pytest.raises(DesignInvalid, match="execution history"):
        export([comp("flow", "step_functions"), comp("k", "kms_key")], [link("flow", "k", "read")])


def test_an_alias_in_the_aws_namespace_is_refused() -> None:
    with pytest.raises(DesignInvalid):
        export([comp("k", "kms_key", alias="aws/s3")], [])


def test_every_interface_endpoint_the_catalog_names_can_be_written_by_the_cdk() -> None:
    from apps.exporting.services.network import INTERFACE_SERVICES

    for ctype in get_catalog():
        if ctype.vpc_endpoint is not None and ctype.vpc_endpoint.type == "Interface":
            assert ctype.vpc_endpoint.service in INTERFACE_SERVICES, ctype.name


# -- dashboards --------------------------------------------------------------------------------------


def test_a_dashboard_graphs_each_connected_component_with_the_statistic_that_suits_its_metrics() -> None:
    sam, cdk = export(
        [comp("fn", "lambda_function"), comp("q", "sqs_queue"), comp("board", "cloudwatch_dashboard")],
        [link("fn", "board", "metric"), link("q", "board", "metric", metric="ApproximateAgeOfOldestMessage")],
    )
    body = sam["Resources"]["Board"]["Properties"]["DashboardBody"]["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else "<ref>" for part in body)
    assert '"markdown":"# CloudWatch dashboard"' in text
    assert '["AWS/Lambda","Errors","FunctionName","<ref>",{"stat":"Sum"}]' in text
    assert '["AWS/Lambda","Duration","FunctionName","<ref>",{"stat":"Average"}]' in text
    assert '["AWS/SQS","ApproximateAgeOfOldestMessage","QueueName","<ref>",{"stat":"Maximum"}]' in text
    assert "ApproximateNumberOfMessagesVisible" not in text  # the connection chose one metric
    assert {"Fn::GetAtt": ["Q", "QueueName"]} in body and {"Ref": "Fn"} in body
    assert "cloudwatch.Dashboard(self, 'Board', start='-PT3H')" in cdk
    assert cdk.count("cloudwatch.GraphWidget(") == 2


def test_a_dashboard_refuses_a_metric_its_source_does_not_publish() -> None:
    with pytest.raises(ExportError, match="publishes"):
        export(
            [comp("fn", "lambda_function"), comp("board", "cloudwatch_dashboard")],
            [link("fn", "board", "metric", metric="ApproximateAgeOfOldestMessage")],
        )


# -- trails ------------------------------------------------------------------------------------------


def trail_design(**trail: Any) -> tuple[dict[str, Any], str]:
    return export(
        [
            comp("media", "s3_bucket"),
            comp("logs", "s3_bucket"),
            comp("fn", "lambda_function"),
            comp("trail", "cloudtrail_trail", **trail),
        ],
        [
            link("trail", "logs", "archive"),
            link("media", "trail", "audit", read_write_type="WriteOnly"),
            link("fn", "trail", "audit"),
        ],
    )


def test_a_trail_writes_to_its_bucket_once_the_bucket_lets_cloudtrail_in() -> None:
    sam, cdk = trail_design(s3_key_prefix="audit/prod")
    resource = sam["Resources"]["Trail"]
    assert resource["DependsOn"] == ["LogsPolicy"]
    assert resource["Properties"]["S3BucketName"] == {"Ref": "Logs"}
    assert resource["Properties"]["S3KeyPrefix"] == "audit/prod"
    statements = sam["Resources"]["LogsPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    write = next(s for s in statements if s.get("Sid") == "CloudTrailWriteTrail")
    assert write["Principal"] == {"Service": "cloudtrail.amazonaws.com"} and write["Action"] == "s3:PutObject"
    assert write["Resource"] == {"Fn::Sub": "${Logs.Arn}/audit/prod/AWSLogs/${AWS::AccountId}/*"}
    assert write["Condition"] == {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    # The audited bucket's own policy lets CloudTrail do nothing.
    media = sam["Resources"]["MediaPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert not [s for s in media if s.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}]
    assert "cloudtrail.Trail(self, 'Trail', bucket=c_logs" in cdk


def test_a_trail_records_the_data_events_of_what_it_audits_one_selector_per_kind() -> None:
    sam, cdk = trail_design()
    assert sam["Resources"]["Trail"]["Properties"]["EventSelectors"] == [
        {
            "ReadWriteType": "WriteOnly",
            "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": [{"Fn::Sub": "${Media.Arn}/"}]}],
        },
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::Lambda::Function", "Values": [{"Fn::GetAtt": ["Fn", "Arn"]}]}],
        },
    ]
    assert (
        "c_trail.add_s3_event_selector([cloudtrail.S3EventSelector(bucket=c_media)], "
        "read_write_type=cloudtrail.ReadWriteType.WRITE_ONLY, include_management_events=True)"
    ) in cdk
    assert "c_trail.add_lambda_event_selector([c_fn], read_write_type=cloudtrail.ReadWriteType.ALL" in cdk


def test_a_trail_without_a_bucket_or_recording_nothing_is_refused() -> None:
    with pytest.raises(ExportError, match="'archive'"):
        export([comp("trail", "cloudtrail_trail")], [])
    with pytest.raises(ExportError, match="records nothing"):
        export(
            [comp("logs", "s3_bucket"), comp("trail", "cloudtrail_trail", include_management_events=False)],
            [link("trail", "logs", "archive")],
        )


# -- log subscriptions -------------------------------------------------------------------------------


def test_a_function_subscribed_to_another_functions_logs_may_be_invoked_by_that_log_group_only() -> None:
    sam, cdk = export(
        [comp("app", "lambda_function"), comp("sub", "lambda_function")],
        [link("app", "sub", "logs", filter_pattern='{ $.level = "ERROR" }')],
    )
    permission = sam["Resources"]["AppLogsToSubPermission"]["Properties"]
    assert permission["Principal"] == "logs.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["AppLogGroup", "Arn"]}
    assert sam["Resources"]["AppLogsToSubFilter"] == {
        "Type": "AWS::Logs::SubscriptionFilter",
        "Properties": {
            "LogGroupName": {"Ref": "AppLogGroup"},
            "FilterPattern": '{ $.level = "ERROR" }',
            "DestinationArn": {"Fn::GetAtt": ["Sub", "Arn"]},
        },
        "DependsOn": ["AppLogsToSubPermission"],
    }
    assert "destination=logs_destinations.LambdaDestination(c_sub)" in cdk
    assert """filter_pattern=logs.FilterPattern.literal('{ $.level = "ERROR" }')""" in cdk


def test_a_stream_subscribed_to_a_functions_logs_gets_records_through_a_role_that_may_put_only_there() -> None:
    sam, cdk = export(
        [comp("app", "lambda_function"), comp("stream", "kinesis_stream")], [link("app", "stream", "logs")]
    )
    role = sam["Resources"]["AppLogsToStreamRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "logs.amazonaws.com"}
    assert role["Policies"][0]["PolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Action": ["kinesis:PutRecord"], "Resource": {"Fn::GetAtt": ["Stream", "Arn"]}}
    ]
    subscription = sam["Resources"]["AppLogsToStreamFilter"]
    assert subscription["Properties"]["RoleArn"] == {"Fn::GetAtt": ["AppLogsToStreamRole", "Arn"]}
    assert subscription["Properties"]["FilterPattern"] == ""  # every log event
    assert "actions=['kinesis:PutRecord'], resources=[c_stream.stream_arn]" in cdk


@pytest.mark.parametrize(
    ("props", "why"),
    [({"logging": False}, "logging is off"), ({"role": "edge", "runtime": "nodejs22.x"}, "Lambda@Edge")],
)
def test_a_function_without_a_log_group_of_the_stack_cannot_be_subscribed_to(props: dict[str, Any], why: str) -> None:
    with pytest.raises(ExportError, match=why):
        export([comp("app", "lambda_function", **props), comp("sub", "lambda_function")], [link("app", "sub", "logs")])


def test_a_log_group_takes_two_subscription_filters() -> None:
    components = [comp("app", "lambda_function")] + [comp(f"s{n}", "lambda_function") for n in range(3)]
    with pytest.raises(ExportError, match="at most 2"):
        export(components, [link("app", f"s{n}", "logs") for n in range(3)])


# -- Automation runbooks -----------------------------------------------------------------------------


def runbook(**props: Any) -> tuple[dict[str, Any], str]:
    return export(
        [comp("fn", "lambda_function"), comp("flow", "step_functions"), comp("book", "ssm_document", **props)],
        [link("book", "fn", "invoke"), link("book", "flow", "invoke")],
    )


def test_a_runbook_has_a_step_per_invoke_connection_passing_its_parameters() -> None:
    sam, cdk = runbook(parameters="OrderId,Reason,OrderId", on_failure="Continue")
    content = sam["Resources"]["Book"]["Properties"]["Content"]
    assert content["assumeRole"] == {"Fn::GetAtt": ["BookRole", "Arn"]}
    assert content["parameters"] == {"OrderId": {"type": "String"}, "Reason": {"type": "String"}}
    payload = '{"OrderId": "{{OrderId}}", "Reason": "{{Reason}}"}'
    assert content["mainSteps"] == [
        {
            "name": "Step1Fn",
            "action": "aws:invokeLambdaFunction",
            "onFailure": "Continue",
            "inputs": {"FunctionName": {"Ref": "Fn"}, "Payload": payload},
        },
        {
            "name": "Step2Flow",
            "action": "aws:executeStateMachine",
            "onFailure": "Continue",
            "inputs": {"stateMachineArn": {"Ref": "Flow"}, "input": payload},
        },
    ]
    assert "'FunctionName': c_fn.function_name" in cdk and "'assumeRole': c_book_role.role_arn" in cdk


def test_a_runbook_role_may_invoke_and_start_its_steps_targets_only() -> None:
    sam, cdk = runbook()
    role = sam["Resources"]["BookRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ssm.amazonaws.com"}
    assert role["Policies"][0]["PolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [{"Fn::GetAtt": ["Fn", "Arn"]}]},
        {"Effect": "Allow", "Action": "states:StartExecution", "Resource": [{"Ref": "Flow"}]},
    ]
    assert "actions=['states:StartExecution'], resources=[c_flow.state_machine_arn]" in cdk
    # No parameters: the steps take no payload.
    assert "Payload" not in sam["Resources"]["Book"]["Properties"]["Content"]["mainSteps"][0]["inputs"]


def test_a_runbook_without_steps_is_refused() -> None:
    with pytest.raises(ExportError, match="at least one step"):
        export([comp("book", "ssm_document")], [])


# -- Application Insights ----------------------------------------------------------------------------


def test_application_insights_watches_a_resource_group_of_the_whole_stack() -> None:
    sam, cdk = export([comp("fn", "lambda_function"), comp("insights", "application_insights")], [])
    assert sam["Resources"]["InsightsResourceGroup"]["Properties"] == {
        "Name": {"Fn::Sub": "ApplicationInsights-${AWS::StackName}"},
        "ResourceQuery": {"Type": "CLOUDFORMATION_STACK_1_0"},
    }
    assert sam["Resources"]["Insights"]["Properties"] == {
        "ResourceGroupName": {"Ref": "InsightsResourceGroup"},
        "AutoConfigurationEnabled": True,
        "CWEMonitorEnabled": False,
    }
    assert (
        "cdk.aws_applicationinsights.CfnApplication(self, 'Insights', resource_group_name=c_insights_group.ref" in cdk
    )


def test_a_stack_has_one_application_insights() -> None:
    with pytest.raises(ExportError, match="already monitors this stack"):
        export([comp("a", "application_insights"), comp("b", "application_insights")], [])
