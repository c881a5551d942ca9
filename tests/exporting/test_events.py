"""EventBridge pipes and Scheduler schedules in SAM and CDK: the resources, their roles, what is refused."""

from __future__ import annotations

import ast
import json
from typing import Any

import pytest

from apps.designs.document import validate_design
from apps.exporting.cdk import stack_module
from apps.exporting.plan import ExportError, Plan
from apps.exporting.sam import sam_template

HOSTILE = "Orders ${AWS::AccountId} {{resolve:ssm:/secret}}\n'); import os #"


def export(components: list[dict[str, Any]], connections: list[tuple[str, str, str]]) -> tuple[dict[str, Any], str]:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "Events",
        "components": components,
        "connections": [
            {"id": f"c{i}", "source": s, "target": t, "kind": k, "props": {}} for i, (s, t, k) in enumerate(connections)
        ],
    }
    plan = Plan(validate_design(doc))
    return sam_template(plan), stack_module(plan)


def c(id: str, type: str, **props: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "props": props}


def statements(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for policy in resource["Properties"]["Policies"] for s in policy["PolicyDocument"]["Statement"]]


ENRICHED = (
    [
        c("orders", "sqs_queue"),
        c("pipe", "eventbridge_pipe", filter_pattern='{"body": {"status": ["paid"]}}'),
        c("lookup", "lambda_function"),
        c("flow", "step_functions"),
    ],
    [("orders", "pipe", "poll"), ("pipe", "lookup", "enrich"), ("pipe", "flow", "deliver")],
)


def test_a_pipe_reads_its_queue_filters_enriches_and_starts_its_workflow() -> None:
    sam, _ = export(*ENRICHED)
    pipe = sam["Resources"]["Pipe"]
    assert pipe["Type"] == "AWS::Pipes::Pipe"
    props = pipe["Properties"]
    assert props["Source"] == {"Fn::GetAtt": ["Orders", "Arn"]}
    assert props["Enrichment"] == {"Fn::GetAtt": ["Lookup", "Arn"]}
    assert props["Target"] == {"Ref": "Flow"}
    assert props["RoleArn"] == {"Fn::GetAtt": ["PipeRole", "Arn"]}
    assert props["SourceParameters"]["SqsQueueParameters"] == {"BatchSize": 10, "MaximumBatchingWindowInSeconds": 0}
    pattern = props["SourceParameters"]["FilterCriteria"]["Filters"][0]["Pattern"]
    assert json.loads(pattern) == {"body": {"status": ["paid"]}}
    assert props["TargetParameters"] == {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


def test_the_pipe_role_allows_only_reading_its_source_calling_its_enrichment_and_starting_its_target() -> None:
    sam, cdk = export(*ENRICHED)
    role = sam["Resources"]["PipeRole"]
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": "pipes.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    granted = {(tuple(s["Action"]), json.dumps(s["Resource"])) for s in statements(role)}
    assert granted == {
        (("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), '[{"Fn::GetAtt": ["Orders", "Arn"]}]'),
        (("lambda:InvokeFunction",), '[{"Fn::GetAtt": ["Lookup", "Arn"]}]'),
        (("states:StartExecution",), '[{"Ref": "Flow"}]'),
    }
    assert "cdk.aws_pipes.CfnPipe(self, 'Pipe', role_arn=c_pipe_role.role_arn, source=c_orders.queue_arn" in cdk
    assert "iam.PolicyStatement(actions=['lambda:InvokeFunction'], resources=[c_lookup.function_arn])" in cdk


def test_a_pipe_reading_a_stream_sends_what_fails_to_its_dead_letter_queue() -> None:
    sam, _ = export(
        [
            c("clicks", "kinesis_stream"),
            c("pipe", "eventbridge_pipe"),
            c("bus", "eventbridge_bus"),
            c("dlq", "sqs_queue"),
        ],
        [("clicks", "pipe", "poll"), ("pipe", "bus", "deliver"), ("pipe", "dlq", "dead_letter")],
    )
    props = sam["Resources"]["Pipe"]["Properties"]
    stream = props["SourceParameters"]["KinesisStreamParameters"]
    assert stream["StartingPosition"] == "LATEST"
    assert stream["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["Dlq", "Arn"]}}
    assert props["TargetParameters"]["EventBridgeEventBusParameters"]["DetailType"] == "pipe"
    actions = {a for s in statements(sam["Resources"]["PipeRole"]) for a in s["Action"]}
    assert {"kinesis:GetRecords", "events:PutEvents", "sqs:SendMessage"} <= actions


@pytest.mark.parametrize(
    ("components", "connections", "why"),
    [
        ([c("pipe", "eventbridge_pipe"), c("fn", "lambda_function")], [("pipe", "fn", "deliver")], "exactly one queue"),
        ([c("q", "sqs_queue"), c("pipe", "eventbridge_pipe")], [("q", "pipe", "poll")], "exactly one target"),
        (
            [
                c("q", "sqs_queue"),
                c("pipe", "eventbridge_pipe"),
                c("flow", "step_functions"),
                c("fn", "lambda_function"),
            ],
            [("q", "pipe", "poll"), ("pipe", "flow", "enrich"), ("pipe", "fn", "deliver")],
            "Express workflows only",
        ),
        (
            [c("q", "sqs_queue"), c("pipe", "eventbridge_pipe"), c("fn", "lambda_function"), c("dlq", "sqs_queue")],
            [("q", "pipe", "poll"), ("pipe", "fn", "deliver"), ("pipe", "dlq", "dead_letter")],
            "redrive policy",
        ),
    ],
)
def test_a_pipe_aws_would_refuse_is_refused_with_the_reason(
    components: list[dict[str, Any]], connections: list[tuple[str, str, str]], why: str
) -> None:
    with pytest.raises(ExportError, match=why):
        export(components, connections)


def test_a_schedule_is_a_group_with_one_schedule_per_target_sharing_one_role() -> None:
    sam, cdk = export(
        [
            c("nightly", "scheduler_schedule", schedule_expression="cron(0 2 * * ? *)", timezone="Europe/Paris",
              flexible_window_minutes=15),
            c("job", "lambda_function"),
            c("orders", "sqs_queue", fifo=True),
            c("dlq", "sqs_queue"),
        ],
        [("nightly", "job", "deliver"), ("nightly", "orders", "deliver"), ("nightly", "dlq", "dead_letter")],
    )  # fmt: skip
    resources = sam["Resources"]
    assert resources["Nightly"]["Type"] == "AWS::Scheduler::ScheduleGroup"
    job = resources["NightlyToJob"]["Properties"]
    assert job["GroupName"] == {"Ref": "Nightly"}
    assert job["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert job["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert job["FlexibleTimeWindow"] == {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}
    assert job["Target"]["Arn"] == {"Fn::GetAtt": ["Job", "Arn"]}
    assert job["Target"]["RoleArn"] == {"Fn::GetAtt": ["NightlyRole", "Arn"]}
    assert job["Target"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["Dlq", "Arn"]}}
    assert resources["NightlyToOrders"]["Properties"]["Target"]["SqsParameters"] == {"MessageGroupId": "nightly"}
    granted = {(a, json.dumps(s["Resource"])) for s in statements(resources["NightlyRole"]) for a in s["Action"]}
    assert granted == {
        ("lambda:InvokeFunction", '[{"Fn::GetAtt": ["Job", "Arn"]}]'),
        ("sqs:SendMessage", '[{"Fn::GetAtt": ["Orders", "Arn"]}]'),
        ("sqs:SendMessage", '[{"Fn::GetAtt": ["Dlq", "Arn"]}]'),
    }
    assert cdk.count("cdk.aws_scheduler.CfnSchedule(self,") == 2


def test_a_schedule_without_a_target_is_an_empty_group() -> None:
    sam, _ = export([c("later", "scheduler_schedule")], [])
    assert [r["Type"] for r in sam["Resources"].values()] == ["AWS::Scheduler::ScheduleGroup"]


def test_a_hostile_label_stays_text_in_pipes_and_schedules() -> None:
    components, connections = ENRICHED
    labelled = [{**components[1], "label": HOSTILE}, *components[:1], *components[2:]]
    labelled.append({**c("nightly", "scheduler_schedule"), "label": HOSTILE})
    sam, cdk = export(labelled, [*connections, ("nightly", "lookup", "deliver")])
    text = json.dumps(sam)
    assert "${AWS::AccountId}" not in text and "{{resolve" not in text and "\\n'" not in text
    tree = ast.parse(cdk)  # the label is a string literal in the stack, never code
    assert sum(isinstance(node, ast.Import) for node in ast.walk(tree)) == sum(
        isinstance(node, ast.Import) for node in ast.parse(export(*ENRICHED)[1]).body
    )
    assert any(isinstance(n, ast.Constant) and "'); import os #" in str(n.value) for n in ast.walk(tree))
    assert sam["Resources"]["Pipe"]["Properties"]["Description"].startswith("Orders $\uff5bAWS::AccountId}")


def test_a_function_writing_to_an_ses_identity_may_send_from_it_only() -> None:
    sam, cdk = export(
        [c("mail", "ses_identity", identity="mail.example.com"), c("sender", "lambda_function")],
        [("sender", "mail", "write")],
    )
    identity = sam["Resources"]["Mail"]
    assert identity["Type"] == "AWS::SES::EmailIdentity"
    assert identity["Properties"]["EmailIdentity"] == "mail.example.com"
    assert identity["Properties"]["DkimSigningAttributes"] == {"NextSigningKeyLength": "RSA_2048_BIT"}
    assert identity["Properties"]["ConfigurationSetAttributes"] == {
        "ConfigurationSetName": {"Ref": "MailConfigurationSet"}
    }
    assert sam["Resources"]["MailConfigurationSet"]["Type"] == "AWS::SES::ConfigurationSet"
    function = sam["Resources"]["Sender"]["Properties"]
    assert function["Environment"]["Variables"]["MAIL_SES_IDENTITY"] == {"Ref": "Mail"}
    [policy] = function["Policies"]
    assert policy["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["ses:SendEmail", "ses:SendRawEmail"],
            "Resource": [
                {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${Mail}"},
                {
                    "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${MailConfigurationSet}"
                },
            ],
        }
    ]
    assert (
        "c_mail = cdk.aws_ses.EmailIdentity(self, 'Mail', identity=cdk.aws_ses.Identity.domain('mail.example.com')"
        in cdk
    )
    assert "c_sender.add_environment('MAIL_SES_IDENTITY', c_mail.email_identity_name)" in cdk
    assert "resource='identity', resource_name=c_mail.email_identity_name" in cdk


def test_an_address_identity_has_no_domain_keys_to_size() -> None:
    sam, cdk = export([c("mail", "ses_identity", identity="orders@example.com", configuration_set=False)], [])
    assert "DkimSigningAttributes" not in sam["Resources"]["Mail"]["Properties"]
    assert "MailConfigurationSet" not in sam["Resources"]
    assert "cdk.aws_ses.Identity.email('orders@example.com')" in cdk


def test_a_firehose_stream_buffers_compresses_transforms_and_writes_to_its_bucket() -> None:
    sam, cdk = export(
        [
            c("clicks", "firehose_stream", buffering_interval_s=60, buffering_size_mb=64, compression="GZIP"),
            c("lake", "s3_bucket"),
            c("shape", "lambda_function"),
            c("tracker", "lambda_function"),
        ],
        [("clicks", "lake", "deliver"), ("clicks", "shape", "enrich"), ("tracker", "clicks", "write")],
    )
    stream = sam["Resources"]["Clicks"]
    assert stream["Type"] == "AWS::KinesisFirehose::DeliveryStream"
    props = stream["Properties"]
    assert props["DeliveryStreamType"] == "DirectPut"
    destination = props["ExtendedS3DestinationConfiguration"]
    assert destination["BufferingHints"] == {"IntervalInSeconds": 60, "SizeInMBs": 64}
    assert destination["CompressionFormat"] == "GZIP"
    assert destination["RoleARN"] == {"Fn::GetAtt": ["ClicksRole", "Arn"]}
    processor = destination["ProcessingConfiguration"]["Processors"][0]
    assert processor["Parameters"] == [
        {"ParameterName": "LambdaArn", "ParameterValue": {"Fn::GetAtt": ["Shape", "Arn"]}}
    ]
    actions = {a for s in statements(sam["Resources"]["ClicksRole"]) for a in s["Action"]}
    assert actions == {
        "s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
        "s3:ListBucketMultipartUploads", "s3:PutObject", "lambda:InvokeFunction", "lambda:GetFunctionConfiguration",
    }  # fmt: skip
    tracker = sam["Resources"]["Tracker"]["Properties"]
    assert tracker["Environment"]["Variables"]["CLICKS_DELIVERY_STREAM_NAME"] == {"Ref": "Clicks"}
    assert tracker["Policies"] == [{"FirehoseWritePolicy": {"DeliveryStreamName": {"Ref": "Clicks"}}}]
    assert "cdk.aws_kinesisfirehose.CfnDeliveryStream(self, 'Clicks'" in cdk
    assert "resources=[c_lake.bucket_arn, c_lake.bucket_arn + '/*']" in cdk
    assert (
        "iam.Grant.add_to_principal(grantee=c_tracker, actions=['firehose:PutRecord', 'firehose:PutRecordBatch'], resource_arns=[c_clicks.attr_arn])"
        in cdk
    )


def test_a_firehose_stream_can_read_a_kinesis_data_stream() -> None:
    sam, _ = export(
        [c("events", "kinesis_stream"), c("clicks", "firehose_stream"), c("lake", "s3_bucket")],
        [("events", "clicks", "poll"), ("clicks", "lake", "deliver")],
    )
    props = sam["Resources"]["Clicks"]["Properties"]
    assert props["DeliveryStreamType"] == "KinesisStreamAsSource"
    assert props["KinesisStreamSourceConfiguration"]["KinesisStreamARN"] == {"Fn::GetAtt": ["Events", "Arn"]}
    assert "DeliveryStreamEncryptionConfigurationInput" not in props  # only for Direct PUT


def test_a_firehose_stream_without_a_bucket_is_refused() -> None:
    with pytest.raises(ExportError, match="exactly one S3 bucket"):
        export([c("clicks", "firehose_stream")], [])


def test_an_api_destination_keeps_its_secret_out_of_the_template() -> None:
    sam, cdk = export(
        [c("bus", "eventbridge_bus"), c("partner", "eventbridge_api_destination", endpoint="https://api.example.com/v1/orders", rate_limit_per_second=20)],
        [("bus", "partner", "trigger")],
    )  # fmt: skip
    resources = sam["Resources"]
    assert sam["Parameters"]["PartnerCredential"]["NoEcho"] is True
    connection = resources["PartnerConnection"]["Properties"]
    assert connection["AuthorizationType"] == "API_KEY"
    assert connection["AuthParameters"]["ApiKeyAuthParameters"] == {
        "ApiKeyName": "x-api-key",
        "ApiKeyValue": {"Ref": "PartnerCredential"},
    }
    destination = resources["Partner"]["Properties"]
    assert destination["InvocationEndpoint"] == "https://api.example.com/v1/orders"
    assert destination["InvocationRateLimitPerSecond"] == 20
    assert destination["ConnectionArn"] == {"Fn::GetAtt": ["PartnerConnection", "Arn"]}
    rule = resources["BusToPartner"]["Properties"]
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["Partner", "Arn"]}
    assert rule["Targets"][0]["RoleArn"] == {"Fn::GetAtt": ["BusToPartnerRole", "Arn"]}
    [allowed] = statements(resources["BusToPartnerRole"])
    assert allowed["Action"] == "events:InvokeApiDestination"
    assert allowed["Resource"] == {"Fn::GetAtt": ["Partner", "Arn"]}
    assert "no_echo=True" in cdk and "cdk.SecretValue.cfn_parameter(c_partner_credential)" in cdk
    assert "targets.ApiDestination(c_partner)" in cdk


@pytest.mark.parametrize(("auth", "missing"), [("BASIC", "username"), ("OAUTH_CLIENT_CREDENTIALS", "oauth_endpoint")])
def test_an_api_destination_without_what_its_authorization_needs_is_refused(auth: str, missing: str) -> None:
    with pytest.raises(ExportError, match=missing):
        export([c("partner", "eventbridge_api_destination", auth=auth)], [])


def test_a_pipe_may_enrich_with_and_deliver_to_api_destinations() -> None:
    sam, _ = export(
        [
            c("q", "sqs_queue"),
            c("pipe", "eventbridge_pipe"),
            c("lookup", "eventbridge_api_destination", auth="BASIC", username="ops"),
            c("partner", "eventbridge_api_destination"),
        ],
        [("q", "pipe", "poll"), ("pipe", "lookup", "enrich"), ("pipe", "partner", "deliver")],
    )
    props = sam["Resources"]["Pipe"]["Properties"]
    assert props["Enrichment"] == {"Fn::GetAtt": ["Lookup", "Arn"]}
    assert props["Target"] == {"Fn::GetAtt": ["Partner", "Arn"]}
    assert (
        sam["Resources"]["LookupConnection"]["Properties"]["AuthParameters"]["BasicAuthParameters"]["Username"] == "ops"
    )
    invoked = [
        s["Resource"]
        for s in statements(sam["Resources"]["PipeRole"])
        if s["Action"] == ["events:InvokeApiDestination"]
    ]
    assert invoked == [[{"Fn::GetAtt": ["Partner", "Arn"]}], [{"Fn::GetAtt": ["Lookup", "Arn"]}]]


def test_an_iot_rule_acts_with_its_own_role_and_invokes_functions_through_their_permission() -> None:
    sam, cdk = export(
        [
            c("telemetry", "iot_rule", sql="SELECT temp FROM 'devices/+/telemetry' WHERE temp > 50"),
            c("alert", "lambda_function"),
            c("readings", "dynamodb_table"),
            c("failed", "sqs_queue"),
        ],
        [
            ("telemetry", "alert", "deliver"),
            ("telemetry", "readings", "deliver"),
            ("telemetry", "failed", "dead_letter"),
        ],
    )
    payload = sam["Resources"]["Telemetry"]["Properties"]["TopicRulePayload"]
    assert payload["Sql"] == "SELECT temp FROM 'devices/+/telemetry' WHERE temp > 50"
    assert payload["AwsIotSqlVersion"] == "2016-03-23" and payload["RuleDisabled"] is False
    assert payload["Actions"] == [
        {"Lambda": {"FunctionArn": {"Fn::GetAtt": ["Alert", "Arn"]}}},
        {
            "DynamoDBv2": {
                "PutItem": {"TableName": {"Ref": "Readings"}},
                "RoleArn": {"Fn::GetAtt": ["TelemetryRole", "Arn"]},
            }
        },
    ]
    assert payload["ErrorAction"] == {
        "Sqs": {"QueueUrl": {"Ref": "Failed"}, "RoleArn": {"Fn::GetAtt": ["TelemetryRole", "Arn"]}}
    }
    granted = {(tuple(s["Action"]), json.dumps(s["Resource"])) for s in statements(sam["Resources"]["TelemetryRole"])}
    assert granted == {
        (("dynamodb:PutItem",), '[{"Fn::GetAtt": ["Readings", "Arn"]}]'),
        (("sqs:SendMessage",), '[{"Fn::GetAtt": ["Failed", "Arn"]}]'),
    }
    permission = sam["Resources"]["TelemetryToAlertPermission"]["Properties"]
    assert permission["Principal"] == "iot.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["Telemetry", "Arn"]}
    assert (
        "c_alert.add_permission('TelemetryToAlertPermission', principal=iam.ServicePrincipal('iot.amazonaws.com'), source_arn=c_telemetry.attr_arn"
        in cdk
    )


def test_an_iot_rule_that_only_invokes_functions_needs_no_role() -> None:
    sam, _ = export([c("telemetry", "iot_rule"), c("alert", "lambda_function")], [("telemetry", "alert", "deliver")])
    assert "TelemetryRole" not in sam["Resources"]
