"""Workflows: Step Functions state machines (standard or express) and what they invoke."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tags, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import Service, cdk_attribute, grant_call
from apps.exporting.services.messaging import sam_bus_event
from apps.exporting.services.stores import sam_bucket_name

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


# Each step's Task: its resource, its parameters (``${Name}`` is a definition substitution naming the target)
# and where its result goes. Reads keep the result beside the input, writes keep the input as it was.
LAMBDA_RETRY = [
    {
        "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
        "IntervalSeconds": 2,
        "MaxAttempts": 3,
        "BackoffRate": 2,
    }
]
# What the substitution for a target holds: (CloudFormation attribute or None for Ref, CDK attribute).
SUBSTITUTIONS = {
    "lambda_function": ("Arn", "function_arn"),
    "step_functions": (None, "state_machine_arn"),
    "dynamodb_table": (None, "table_name"),
    "s3_bucket": (None, "bucket_name"),
    "sqs_queue": (None, "queue_url"),
    "sns_topic": (None, "topic_arn"),
    "eventbridge_bus": (None, "event_bus_name"),
    "kinesis_stream": (None, "stream_name"),
    "batch_job_queue": (None, "job_queue_arn"),
}
# A second substitution some targets need: (suffix of its name, CloudFormation logical id suffix, CDK expression
# suffix). A Batch job is submitted to a queue with a job definition.
EXTRA_SUBSTITUTIONS = {"batch_job_queue": ("JobDefinition", "JobDefinition", "_job.job_definition_arn")}
# A nested standard workflow that waits for its child needs to watch the child's execution.
SYNC_EXECUTION_ACTIONS = ["states:DescribeExecution", "states:StopExecution"]
SYNC_RULE_ACTIONS = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
SYNC_RULE = "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"


def substitution(target_logical: str) -> str:
    return f"{target_logical}Ref"


def task(plan: Plan, link: Link, logical: str, access: str) -> dict[str, Any]:
    """The Task state for one connection of the machine (``access``: invoke, read or write)."""
    target, name = link.target, f"${{{substitution(logical)}}}"
    kind = target.type
    if kind == "lambda_function":
        parameters: dict[str, Any] = {"FunctionName": name, "Payload.$": "$"}
        if link.prop("invocation_type") == "async":
            parameters["InvocationType"] = "Event"
            return {"Resource": "arn:aws:states:::lambda:invoke", "Parameters": parameters, "ResultPath": None}
        return {
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": parameters,
            "OutputPath": "$.Payload",
            "Retry": LAMBDA_RETRY,
        }
    if kind == "step_functions":
        parameters = {"StateMachineArn": name, "Input.$": "$"}
        if waits_for_child(plan, link):
            return {
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": parameters,
                "OutputPath": "$.Output",
            }
        return {"Resource": "arn:aws:states:::states:startExecution", "Parameters": parameters, "ResultPath": None}
    result = f"$.{target.id}"
    if kind == "batch_job_queue":
        parameters = {
            "JobName": target.id,
            "JobQueue": name,
            "JobDefinition": f"${{{substitution(logical + EXTRA_SUBSTITUTIONS[kind][0])}}}",
        }
        if link.prop("invocation_type") == "sync" and plan.prop(link.source, "workflow_type") == "standard":
            return {"Resource": "arn:aws:states:::batch:submitJob.sync", "Parameters": parameters, "ResultPath": result}
        return {"Resource": "arn:aws:states:::batch:submitJob", "Parameters": parameters, "ResultPath": None}
    if kind == "dynamodb_table":
        key = {plan.prop(target, "partition_key"): {"S.$": "$.id" if access == "read" else "$$.Execution.Name"}}
        if access == "read":
            return {
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": name, "Key": key},
                "ResultPath": result,
            }
        item = {**key, "payload": {"S.$": "States.JsonToString($)"}}
        if plan.prop(target, "sort_key"):
            item[plan.prop(target, "sort_key")] = {"S.$": "$$.State.EnteredTime"}
        return {
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": name, "Item": item},
            "ResultPath": None,
        }
    if kind == "s3_bucket":
        if access == "read":
            return {
                "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                "Parameters": {"Bucket": name, "Key.$": "$.key"},
                "ResultSelector": {"Body.$": "$.Body"},
                "ResultPath": result,
            }
        return {
            "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
            "Parameters": {"Bucket": name, "Key.$": "$$.Execution.Name", "Body.$": "States.JsonToString($)"},
            "ResultPath": None,
        }
    if kind == "sqs_queue":
        return {
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": name, "MessageBody.$": "$"},
            "ResultPath": None,
        }
    if kind == "sns_topic":
        return {
            "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"TopicArn": name, "Message.$": "$"},
            "ResultPath": None,
        }
    if kind == "eventbridge_bus":
        entry = {"EventBusName": name, "Source": "tierplan.workflow", "DetailType": "step", "Detail.$": "$"}
        return {"Resource": "arn:aws:states:::events:putEvents", "Parameters": {"Entries": [entry]}, "ResultPath": None}
    if kind == "kinesis_stream":
        return {
            "Resource": "arn:aws:states:::aws-sdk:kinesis:putRecord",
            "Parameters": {
                "StreamName": name,
                "Data.$": "States.JsonToString($)",
                "PartitionKey.$": "$$.Execution.Name",
            },
            "ResultPath": None,
        }
    if kind == "bedrock_model":  # the optimized integration: the state's input is the model's request body
        return {
            "Resource": "arn:aws:states:::bedrock:invokeModel",
            "Parameters": {"ModelId": plan.prop(target, "model_id"), "Body.$": "$"},
            "ResultSelector": {"Body.$": "$.Body"},
            "ResultPath": result,
        }
    raise ValueError(f"a state machine has no task for {kind}")


def waits_for_child(plan: Plan, link: Link) -> bool:
    """Whether a nested workflow waits for its child: a synchronous invoke from a standard workflow
    (express workflows run request-response tasks only)."""
    return link.prop("invocation_type") == "sync" and plan.prop(link.source, "workflow_type") == "standard"


def steps(plan: Plan, machine: Component) -> list[tuple[Link, str]]:
    """(connection, access) in the order the machine runs them: its connections in design order, a
    read-and-write connection as a read then a write."""
    result = []
    for link in plan.out(machine, "invoke", "read", "write", "read_write", "call"):
        accesses = {
            "invoke": ["invoke"],
            "read": ["read"],
            "write": ["write"],
            "read_write": ["read", "write"],
            "call": ["call"],
        }
        result += [(link, access) for access in accesses[link.kind]]
    return result


def definition(plan: Plan, machine: Component, ids: dict[str, str]) -> dict[str, Any]:
    """The Amazon States Language definition, the same for SAM and CDK (targets as substitutions)."""
    states: dict[str, Any] = {}
    chain = steps(plan, machine)
    names = [f"{access.title()}{ids[link.target.id]}" for link, access in chain]
    for index, ((link, access), name) in enumerate(zip(chain, names, strict=True)):
        state = {"Type": "Task", **task(plan, link, ids[link.target.id], access)}
        state.update({"Next": names[index + 1]} if index + 1 < len(names) else {"End": True})
        states[name] = state
    if not states:
        states["Done"] = {"Type": "Pass", "End": True}
    return {"Comment": plan.label(machine), "StartAt": next(iter(states)), "States": states}


def substituted(plan: Plan, machine: Component) -> dict[str, Component]:
    """The targets the definition names through a substitution (a Bedrock model is named by its ID)."""
    return {link.target.id: link.target for link, _ in steps(plan, machine) if link.target.type in SUBSTITUTIONS}


def sam_step_functions(sam: SamTemplate, machine: Component) -> None:
    plan, logical = sam.plan, sam.id(machine)
    targets = substituted(plan, machine)
    properties: dict[str, Any] = {
        "Type": plan.prop(machine, "workflow_type").upper(),
        "Definition": definition(plan, machine, plan.ids),
        "Tracing": {"Enabled": bool(plan.prop(machine, "tracing"))},
        "Tags": tags(machine),
    }
    if targets:
        properties["DefinitionSubstitutions"] = {
            substitution(sam.id(target)): sam_substitution(sam, target) for target in targets.values()
        }
        for target in targets.values():
            if target.type in EXTRA_SUBSTITUTIONS:
                name, logical_suffix, _ = EXTRA_SUBSTITUTIONS[target.type]
                properties["DefinitionSubstitutions"][substitution(sam.id(target) + name)] = ref(
                    sam.id(target) + logical_suffix
                )
    if steps(plan, machine):
        policies: list[Any] = []
        for link in plan.out(machine, "invoke", "read", "write", "read_write", "call"):
            policies += [policy for policy in sam.policy(link) if policy not in policies]
            if link.target.type == "step_functions" and waits_for_child(plan, link):
                policies.append({"Statement": sam_sync_statements(sam, link.target)})
        properties["Policies"] = policies
    if plan.prop(machine, "workflow_type") == "express":
        sam.add(f"{logical}Logs", "AWS::Logs::LogGroup", {"RetentionInDays": 30}, machine)
        properties["Logging"] = {
            "Level": "ERROR",
            "IncludeExecutionData": False,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": getatt(f"{logical}Logs", "Arn")}}],
        }
        log_delivery = [
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
        ]  # fmt: skip
        properties.setdefault("Policies", []).append(
            {"Statement": [{"Effect": "Allow", "Action": log_delivery, "Resource": "*"}]}
        )
    events = {}
    for link in plan.into(machine, "trigger"):
        if link.source.type == "eventbridge_bus":
            events[f"{sam.id(link.source)}Trigger"] = sam_bus_event(sam, link.source)
    if events:
        properties["Events"] = events
    sam.add(logical, "AWS::Serverless::StateMachine", properties, machine)
    sam.output(f"{logical}Arn", ref(logical), f"State machine ARN of {plan.label(machine)}", machine)


def cdk_step_functions(cdk: CdkStack, machine: Component) -> None:
    plan, v, logical = cdk.plan, var(machine), cdk.id(machine)
    targets = substituted(plan, machine)
    # The definition as a Python dict whose placeholders are the targets' construct attributes (tokens
    # that to_json_string resolves), so the generated source holds no "${…}" text of its own.
    body = py(definition(plan, machine, plan.ids))
    for target in targets.values():
        placeholder = py(f"${{{substitution(cdk.id(target))}}}")
        body = body.replace(placeholder, f"{var(target)}.{SUBSTITUTIONS[target.type][1]}")
        if target.type in EXTRA_SUBSTITUTIONS:
            name, _, expression = EXTRA_SUBSTITUTIONS[target.type]
            body = body.replace(py(f"${{{substitution(cdk.id(target) + name)}}}"), f"{var(target)}{expression}")
    express = cdk.prop(machine, "workflow_type") == "express"
    args = [
        f"definition_body=sfn.DefinitionBody.from_string(cdk.Stack.of(self).to_json_string({body}))",
        f"state_machine_type=sfn.StateMachineType.{'EXPRESS' if express else 'STANDARD'}",
        f"tracing_enabled={bool(cdk.prop(machine, 'tracing'))}",
    ]
    if express:
        cdk.emit(
            f"{v}_logs = logs.LogGroup(self, {py(logical + 'Logs')}, retention=logs.RetentionDays.ONE_MONTH, removal_policy=cdk.RemovalPolicy.DESTROY)"
        )
        args.append(f"logs=sfn.LogOptions(destination={v}_logs, level=sfn.LogLevel.ERROR)")
    cdk.emit(f"{v} = sfn.StateMachine(self, {py(logical)}, {', '.join(args)})")
    for link in plan.out(machine, "invoke", "read", "write", "read_write", "call"):
        grant = cdk.grant(link)
        if grant:
            cdk.emit(grant)
        if link.target.type == "step_functions" and waits_for_child(plan, link):
            cdk.emit(f"{var(link.target)}.grant_execution({v}, {', '.join(py(a) for a in SYNC_EXECUTION_ACTIONS)})")
            cdk.emit(
                f"{v}.add_to_role_policy(iam.PolicyStatement(actions={py(SYNC_RULE_ACTIONS)}, "
                f"resources=[cdk.Stack.of(self).format_arn(service='events', resource={py(SYNC_RULE.split('/')[0])}, "
                f"resource_name={py(SYNC_RULE.split('/', 1)[1])})]))"
            )
    cdk.emit()


def sam_substitution(sam: SamTemplate, target: Component) -> Any:
    """What a target's placeholder stands for. A bucket is named by its computed name, not its Ref: a
    function the bucket triggers may start this machine, and a Ref would close a dependency cycle."""
    if target.type == "s3_bucket":
        return sam_bucket_name(target)
    attribute = SUBSTITUTIONS[target.type][0]
    return getatt(sam.id(target), attribute) if attribute else ref(sam.id(target))


def sam_sync_statements(sam: SamTemplate, child: Component) -> list[dict[str, Any]]:
    """What a parent needs to wait for a child execution: watch its executions and the managed rule."""
    execution = sub(
        f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:execution:${{{sam.id(child)}.Name}}:*"
    )
    rule = sub(f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:{SYNC_RULE}")
    return [
        {"Effect": "Allow", "Action": SYNC_EXECUTION_ACTIONS, "Resource": execution},
        {"Effect": "Allow", "Action": SYNC_RULE_ACTIONS, "Resource": rule},
    ]


def sam_execution_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"StepFunctionsExecutionPolicy": {"StateMachineName": getatt(sam.id(link.target), "Name")}}]


SERVICES = (
    Service(
        "step_functions",
        sam=sam_step_functions,
        cdk=cdk_step_functions,
        cdk_order=40,
        cdk_env=cdk_attribute("state_machine_arn"),
        sam_policies=sam_execution_policies,
        cdk_grant=grant_call("grant_start_execution"),
    ),
)
