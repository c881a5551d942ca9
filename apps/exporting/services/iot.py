"""IoT rules: an AWS IoT Core topic rule, its actions and its error action; and IoT things, the registry
entries of the devices that publish the messages rules select.

Every action but Lambda's acts with the rule's own role (one statement per target); a function is
invoked through a resource policy (``AWS::Lambda::Permission``) that names this rule only. Both
exports are built from one description of the rule, as for pipes and schedules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, tag_list, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import Service
from apps.exporting.services.events import Code, cdk_role, literal, source_account_trust

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

# (action, what names the target: CloudFormation attribute or None for Ref, CDK attribute, IAM actions).
ACTIONS = {
    "sqs_queue": ("Sqs", "QueueUrl", (None, "queue_url"), ["sqs:SendMessage"]),
    "sns_topic": ("Sns", "TargetArn", (None, "topic_arn"), ["sns:Publish"]),
    "kinesis_stream": ("Kinesis", "StreamName", (None, "stream_name"), ["kinesis:PutRecord"]),
    "firehose_stream": ("Firehose", "DeliveryStreamName", (None, "ref"), ["firehose:PutRecord", "firehose:PutRecordBatch"]),
    "step_functions": ("StepFunctions", "StateMachineName", ("Name", "state_machine_name"), ["states:StartExecution"]),
    "dynamodb_table": ("DynamoDBv2", "TableName", (None, "table_name"), ["dynamodb:PutItem"]),
}  # fmt: skip
# The resource each role statement is about (the ARN, where the action names the target otherwise).
RESOURCE_ARNS = {
    "sqs_queue": ("Arn", "queue_arn"),
    "sns_topic": (None, "topic_arn"),
    "kinesis_stream": ("Arn", "stream_arn"),
    "firehose_stream": ("Arn", "attr_arn"),
    "step_functions": (None, "state_machine_arn"),
    "dynamodb_table": ("Arn", "table_arn"),
}


def named(attributes: tuple[str | None, str], target: Component, sam: SamTemplate | None) -> Any:
    """The target named by a CloudFormation attribute (SAM) or a construct attribute (CDK)."""
    if sam is None:
        return Code(f"{var(target)}.{attributes[1]}")
    return getatt(sam.id(target), attributes[0]) if attributes[0] else ref(sam.id(target))


def action(target: Component, role: Any, sam: SamTemplate | None) -> dict[str, Any]:
    if target.type == "lambda_function":
        return {"Lambda": {"FunctionArn": named(("Arn", "function_arn"), target, sam)}}
    kind, key, attributes, _ = ACTIONS[target.type]
    body: dict[str, Any] = {key: named(attributes, target, sam), "RoleArn": role}
    if kind == "DynamoDBv2":
        body = {"PutItem": {"TableName": body.pop("TableName")}, "RoleArn": role}
    if kind == "Sns":
        body["MessageFormat"] = "RAW"
    return {kind: body}


def rule_payload(
    plan: Plan, rule: Component, role: Any, sam: SamTemplate | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The TopicRulePayload and the statements of the rule's role (empty when only functions act)."""
    links = plan.out(rule, "deliver")
    payload: dict[str, Any] = {
        "Sql": plan.prop(rule, "sql"),
        "AwsIotSqlVersion": plan.prop(rule, "sql_version"),
        "RuleDisabled": not plan.prop(rule, "enabled"),
        "Description": plan.label(rule),
        "Actions": [action(link.target, role, sam) for link in links],
    }
    targets = [link.target for link in links if link.target.type != "lambda_function"]
    error = plan.dead_letter(rule)
    if error is not None:
        payload["ErrorAction"] = action(error, role, sam)
        targets.append(error)
    statements = [
        {"Effect": "Allow", "Action": ACTIONS[t.type][3], "Resource": [named(RESOURCE_ARNS[t.type], t, sam)]}
        for t in targets
    ]
    return payload, statements


def needs_role(plan: Plan, rule: Component) -> bool:
    return plan.dead_letter(rule) is not None or any(
        link.target.type != "lambda_function" for link in plan.out(rule, "deliver")
    )


def invoked_functions(plan: Plan, rule: Component) -> list[Link]:
    return [link for link in plan.out(rule, "deliver") if link.target.type == "lambda_function"]


def sam_iot_rule(sam: SamTemplate, rule: Component) -> None:
    plan, logical = sam.plan, sam.id(rule)
    role = getatt(f"{logical}Role", "Arn") if needs_role(plan, rule) else None
    payload, statements = rule_payload(plan, rule, role, sam)
    if role is not None:
        sam.add(
            f"{logical}Role",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": source_account_trust("iot.amazonaws.com"),
                "Policies": [
                    {"PolicyName": "actions", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
                ],
            },
            rule,
        )
    sam.add(logical, "AWS::IoT::TopicRule", {"TopicRulePayload": payload, "Tags": tag_list(rule)}, rule)
    for link in invoked_functions(plan, rule):
        sam.add(
            f"{logical}To{sam.id(link.target)}Permission",
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": getatt(sam.id(link.target), "Arn"),
                "Principal": "iot.amazonaws.com",
                "SourceArn": getatt(logical, "Arn"),
                "SourceAccount": ref("AWS::AccountId"),
            },
            rule,
        )
    sam.output(f"{logical}Arn", getatt(logical, "Arn"), f"IoT rule of {plan.label(rule)}", rule)


def cdk_iot_rule(cdk: CdkStack, rule: Component) -> None:
    plan, v, logical = cdk.plan, var(rule), cdk.id(rule)
    role = Code(f"{v}_role.role_arn") if needs_role(plan, rule) else None
    payload, statements = rule_payload(plan, rule, role, None)
    if role is not None:
        cdk_role(cdk, rule, "iot.amazonaws.com", statements)
    tag = {"key": "tierplan:component", "value": rule.id}
    cdk.emit(
        f"{v} = cdk.aws_iot.CfnTopicRule(self, {py(logical)}, "
        f"topic_rule_payload=cdk.aws_iot.CfnTopicRule.TopicRulePayloadProperty(actions=[], sql={py(payload['Sql'])}), "
        f"tags=[cdk.CfnTag(**{py(tag)})])"
    )
    if role is not None:
        cdk.emit(f"{v}.node.add_dependency({v}_role)")
    cdk.emit(f"{v}.add_property_override('TopicRulePayload', {literal(payload)})")
    for link in invoked_functions(plan, rule):
        cdk.emit(
            f"{var(link.target)}.add_permission({py(logical + 'To' + cdk.id(link.target) + 'Permission')}, "
            f"principal=iam.ServicePrincipal('iot.amazonaws.com'), source_arn={v}.attr_arn, "
            "source_account=cdk.Aws.ACCOUNT_ID)"
        )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Arn')}, value={v}.attr_arn)")
    cdk.emit()


def sam_iot_thing(sam: SamTemplate, thing: Component) -> None:
    # The thing's name is CloudFormation's to choose (unique in the account and Region): the output gives it
    # to the device, which connects with it as its client id.
    logical = sam.id(thing)
    sam.add(logical, "AWS::IoT::Thing", {}, thing)
    sam.output(f"{logical}ThingName", ref(logical), f"IoT thing of {sam.plan.label(thing)}", thing)


def cdk_iot_thing(cdk: CdkStack, thing: Component) -> None:
    v, logical = var(thing), cdk.id(thing)
    cdk.emit(f"{v} = cdk.aws_iot.CfnThing(self, {py(logical)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'ThingName')}, value={v}.ref)")
    cdk.emit()


SERVICES = (
    Service("iot_rule", sam=sam_iot_rule, cdk=cdk_iot_rule, cdk_order=47),
    Service("iot_thing", sam=sam_iot_thing, cdk=cdk_iot_thing, cdk_order=48),
)
