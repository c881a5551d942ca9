"""Events: EventBridge pipes, EventBridge Scheduler schedules and API destinations.

Both reach their targets with an IAM role of their own (not a resource policy on the target), so each
writes that role beside itself, allowing exactly the calls its connections need on exactly those
resources. SAM and CDK are built from one description of the resource (``pipe_properties``,
``schedule_properties``) in which every other component is named through a resolver: SAM resolves it to
``Ref``/``Fn::GetAtt``, CDK to the construct's attribute, so the two exports cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, tag_list, tags, trust_policy, var
from apps.exporting.plan import ExportError, Plan, cfn_data
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

# How each end is named: (CloudFormation attribute or None for Ref, CDK construct attribute).
ARNS = {
    "lambda_function": ("Arn", "function_arn"),
    "step_functions": (None, "state_machine_arn"),
    "sqs_queue": ("Arn", "queue_arn"),
    "sns_topic": (None, "topic_arn"),
    "eventbridge_bus": ("Arn", "event_bus_arn"),
    "kinesis_stream": ("Arn", "stream_arn"),
    "dynamodb_table": ("StreamArn", "table_stream_arn"),
    "firehose_stream": ("Arn", "attr_arn"),
    "eventbridge_api_destination": ("Arn", "api_destination_arn"),
}
# What delivering to (or enriching with) a target takes, for a pipe and for a schedule alike.
SEND_ACTIONS = {
    "lambda_function": ["lambda:InvokeFunction"],
    "step_functions": ["states:StartExecution"],
    "sqs_queue": ["sqs:SendMessage"],
    "sns_topic": ["sns:Publish"],
    "eventbridge_bus": ["events:PutEvents"],
    "kinesis_stream": ["kinesis:PutRecord", "kinesis:PutRecords"],
    "firehose_stream": ["firehose:PutRecord", "firehose:PutRecordBatch"],
    "eventbridge_api_destination": ["events:InvokeApiDestination"],
}
ENRICH_ACTIONS = {
    "lambda_function": ["lambda:InvokeFunction"],
    "step_functions": ["states:StartSyncExecution"],
    "eventbridge_api_destination": ["events:InvokeApiDestination"],
}
# What reading a source takes (AWS: "Amazon EventBridge Pipes permissions" for each source).
READ_ACTIONS = {
    "sqs_queue": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
    "kinesis_stream": [
        "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
        "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams", "kinesis:SubscribeToShard",
    ],
    "dynamodb_table": [
        "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
    ],
}  # fmt: skip
SOURCE_PARAMETERS = {
    "sqs_queue": "SqsQueueParameters",
    "kinesis_stream": "KinesisStreamParameters",
    "dynamodb_table": "DynamoDBStreamParameters",
}
EVENT_SOURCE = "tierplan.events"

Resolver = Callable[[Component], Any]


class Code(str):
    """A Python expression the CDK stack writes as is: a construct's attribute, never user text."""


def literal(value: Any) -> str:
    """``py`` for data that may hold construct attributes (``Code``), which are written unquoted."""
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return py(value)


def sam_arn(sam: SamTemplate) -> Resolver:
    def arn(component: Component) -> Any:
        attribute = ARNS[component.type][0]
        return getatt(sam.id(component), attribute) if attribute else ref(sam.id(component))

    return arn


def cdk_arn(component: Component) -> Any:
    return Code(f"{var(component)}.{ARNS[component.type][1]}")


def statement(actions: list[str], resources: list[Any]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def dead_letter_statement(plan: Plan, component: Component, arn: Resolver) -> list[dict[str, Any]]:
    dead_letter = plan.dead_letter(component)
    return [statement(["sqs:SendMessage"], [arn(dead_letter)])] if dead_letter is not None else []


def target_parameters(plan: Plan, sender: Component, target: Component) -> dict[str, Any]:
    """The per-target settings a pipe or a schedule needs beyond the target's ARN (same names in both)."""
    if target.type == "sqs_queue" and plan.prop(target, "fifo"):
        return {"SqsQueueParameters": {"MessageGroupId": sender.id}}
    if target.type == "kinesis_stream":
        return {"KinesisStreamParameters": {"PartitionKey": sender.id}}
    if target.type == "eventbridge_bus":
        return {"EventBridgeEventBusParameters": {"Source": EVENT_SOURCE, "DetailType": sender.id}}
    return {}


# -- EventBridge pipes --------------------------------------------------------------------------------


def pipe_ends(plan: Plan, pipe: Component) -> tuple[Link, Link, Link | None]:
    """(source, target, enrichment) of a pipe; a pipe reads one source and delivers to one target."""
    sources, targets, enrichments = plan.into(pipe, "poll"), plan.out(pipe, "deliver"), plan.out(pipe, "enrich")
    if len(sources) != 1:
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: a pipe reads exactly one queue or "
            f"stream ('poll' connection into it), it has {len(sources)}"
        )
    if len(targets) != 1:
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: a pipe delivers to exactly one target "
            f"('deliver' connection), it has {len(targets)}"
        )
    if len(enrichments) > 1:
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: a pipe has at most one enrichment"
        )
    enrichment = enrichments[0] if enrichments else None
    if (
        enrichment is not None
        and enrichment.target.type == "step_functions"
        and plan.prop(enrichment.target, "workflow_type") != "express"
    ):
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: pipes enrich with Express workflows "
            f"only (they wait for the result); {enrichment.target.id!r} is a standard workflow"
        )
    check_target(plan, pipe, targets[0].target)
    if plan.dead_letter(pipe) is not None and sources[0].source.type == "sqs_queue":
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: a pipe reading an SQS queue keeps "
            "failed messages through the queue's own redrive policy; connect the queue to a dead-letter queue"
        )
    return sources[0], targets[0], enrichment


def check_target(plan: Plan, sender: Component, target: Component) -> None:
    if target.type == "eventbridge_bus" and plan.prop(target, "schedule_expression"):
        raise ExportError(
            f"component {sender.id!r} ({sender.type}) cannot be exported: {target.id!r} is a scheduled rule, "
            "not an event bus it could deliver to"
        )


def filter_pattern(plan: Plan, pipe: Component) -> dict[str, Any] | None:
    raw = plan.prop(pipe, "filter_pattern")
    if not raw:
        return None
    try:
        pattern = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: filter_pattern is not JSON ({exc.msg})"
        ) from None
    if not isinstance(pattern, dict):
        raise ExportError(
            f"component {pipe.id!r} (eventbridge_pipe) cannot be exported: filter_pattern must be a JSON object"
        )
    # The text was escaped, but JSON's own escapes (\u007b) can spell "{{" again once parsed.
    return dict(cfn_data(pattern))


def pipe_properties(plan: Plan, pipe: Component, arn: Resolver) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pipe's properties other than RoleArn and Tags, and the statements of its role."""
    source_link, target_link, enrichment = pipe_ends(plan, pipe)
    source, target = source_link.source, target_link.target
    parameters: dict[str, Any] = {
        "BatchSize": source_link.prop("batch_size"),
        "MaximumBatchingWindowInSeconds": source_link.prop("max_batching_window_s"),
    }
    if source.type != "sqs_queue":
        parameters["StartingPosition"] = source_link.prop("starting_position")
        parameters["ParallelizationFactor"] = source_link.prop("parallelization_factor")
        dead_letter = plan.dead_letter(pipe)
        if dead_letter is not None:
            parameters["DeadLetterConfig"] = {"Arn": arn(dead_letter)}
    source_parameters: dict[str, Any] = {SOURCE_PARAMETERS[source.type]: parameters}
    pattern = filter_pattern(plan, pipe)
    if pattern is not None:
        source_parameters["FilterCriteria"] = {"Filters": [{"Pattern": json.dumps(pattern, sort_keys=True)}]}
    target_params = target_parameters(plan, pipe, target)
    if target.type in ("lambda_function", "step_functions"):
        # The pipe waits for a function (a failed batch is retried); a standard workflow can only be started.
        target_params = (
            {"LambdaFunctionParameters": {"InvocationType": "REQUEST_RESPONSE"}}
            if target.type == "lambda_function"
            else {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}
        )
    properties: dict[str, Any] = {
        "Description": plan.label(pipe)[:512],
        "DesiredState": plan.prop(pipe, "desired_state"),
        "Source": arn(source),
        "SourceParameters": source_parameters,
        "Target": arn(target),
    }
    if target_params:
        properties["TargetParameters"] = target_params
    statements = [
        statement(READ_ACTIONS[source.type], [arn(source)]),
        statement(SEND_ACTIONS[target.type], [arn(target)]),
    ]
    if enrichment is not None:
        properties["Enrichment"] = arn(enrichment.target)
        statements.append(statement(ENRICH_ACTIONS[enrichment.target.type], [arn(enrichment.target)]))
    statements += dead_letter_statement(plan, pipe, arn)
    return properties, statements


def sam_eventbridge_pipe(sam: SamTemplate, pipe: Component) -> None:
    plan, logical = sam.plan, sam.id(pipe)
    properties, statements = pipe_properties(plan, pipe, sam_arn(sam))
    sam.add(
        f"{logical}Role",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": source_account_trust("pipes.amazonaws.com"),
            "Policies": [{"PolicyName": "pipe", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
        },
        pipe,
    )
    sam.add(
        logical,
        "AWS::Pipes::Pipe",
        {**properties, "RoleArn": getatt(f"{logical}Role", "Arn"), "Tags": tags(pipe)},
        pipe,
    )
    sam.output(f"{logical}Arn", getatt(logical, "Arn"), f"Pipe ARN of {plan.label(pipe)}", pipe)


def source_account_trust(service: str) -> dict[str, Any]:
    """A trust policy for ``service`` limited to calls on behalf of this account (the confused deputy)."""
    policy = trust_policy(service)
    policy["Statement"][0]["Condition"] = {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}
    return policy


def cdk_role(cdk: CdkStack, component: Component, service: str, statements: list[dict[str, Any]]) -> str:
    """An iam.Role for ``service`` with the given statements; returns its variable."""
    role = f"{var(component)}_role"
    cdk.emit(
        f"{role} = iam.Role(self, {py(cdk.id(component) + 'Role')}, assumed_by=iam.ServicePrincipal({py(service)}, "
        "conditions={'StringEquals': {'aws:SourceAccount': cdk.Aws.ACCOUNT_ID}}))"
    )
    for entry in statements:
        cdk.emit(
            f"{role}.add_to_policy(iam.PolicyStatement(actions={py(entry['Action'])}, resources={literal(entry['Resource'])}))"
        )
    return role


def cdk_eventbridge_pipe(cdk: CdkStack, pipe: Component) -> None:
    v, logical = var(pipe), cdk.id(pipe)
    properties, statements = pipe_properties(cdk.plan, pipe, cdk_arn)
    role = cdk_role(cdk, pipe, "pipes.amazonaws.com", statements)
    cdk.emit(
        f"{v} = cdk.aws_pipes.CfnPipe(self, {py(logical)}, role_arn={role}.role_arn, "
        f"source={literal(properties.pop('Source'))}, target={literal(properties.pop('Target'))}, tags={py(tags(pipe))})"
    )
    # The role's policy must exist before the pipe starts polling with it.
    cdk.emit(f"{v}.node.add_dependency({role})")
    for name, value in properties.items():
        cdk.emit(f"{v}.add_property_override({py(name)}, {literal(value)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Arn')}, value={v}.attr_arn)")
    cdk.emit()


# -- EventBridge Scheduler -------------------------------------------------------------------------------


def schedule_properties(plan: Plan, schedule: Component, link: Link, arn: Resolver, role: Any) -> dict[str, Any]:
    """The properties of the schedule that runs ``link``'s target (all but GroupName)."""
    target = link.target
    check_target(plan, schedule, target)
    window = plan.prop(schedule, "flexible_window_minutes")
    entry: dict[str, Any] = {
        "Arn": arn(target),
        "RoleArn": role,
        "RetryPolicy": {"MaximumRetryAttempts": plan.prop(schedule, "max_retry_attempts")},
    }
    dead_letter = plan.dead_letter(schedule)
    if dead_letter is not None:
        entry["DeadLetterConfig"] = {"Arn": arn(dead_letter)}
    parameters = target_parameters(plan, schedule, target)
    # Scheduler names its per-target settings differently from Pipes.
    if "SqsQueueParameters" in parameters:
        entry["SqsParameters"] = parameters["SqsQueueParameters"]
    if "KinesisStreamParameters" in parameters:
        entry["KinesisParameters"] = parameters["KinesisStreamParameters"]
    if "EventBridgeEventBusParameters" in parameters:
        entry["EventBridgeParameters"] = parameters["EventBridgeEventBusParameters"]
    return {
        "Description": f"{plan.label(schedule)} to {plan.label(target)}"[:512],
        "ScheduleExpression": plan.prop(schedule, "schedule_expression"),
        "ScheduleExpressionTimezone": plan.prop(schedule, "timezone"),
        "FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": window} if window else {"Mode": "OFF"},
        "State": plan.prop(schedule, "state"),
        "Target": entry,
    }


def schedule_statements(plan: Plan, schedule: Component, arn: Resolver) -> list[dict[str, Any]]:
    statements = [
        statement(SEND_ACTIONS[link.target.type], [arn(link.target)]) for link in plan.out(schedule, "deliver")
    ]
    return statements + dead_letter_statement(plan, schedule, arn)


def sam_scheduler_schedule(sam: SamTemplate, schedule: Component) -> None:
    plan, logical = sam.plan, sam.id(schedule)
    sam.add(logical, "AWS::Scheduler::ScheduleGroup", {"Tags": tag_list(schedule)}, schedule)
    links = plan.out(schedule, "deliver")
    if links:
        statements = schedule_statements(plan, schedule, sam_arn(sam))
        sam.add(
            f"{logical}Role",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": source_account_trust("scheduler.amazonaws.com"),
                "Policies": [
                    {"PolicyName": "schedule", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
                ],
            },
            schedule,
        )
    for link in links:
        properties = schedule_properties(plan, schedule, link, sam_arn(sam), getatt(f"{logical}Role", "Arn"))
        sam.add(
            f"{logical}To{sam.id(link.target)}",
            "AWS::Scheduler::Schedule",
            {"GroupName": ref(logical), **properties},
            schedule,
        )
    sam.output(f"{logical}Group", ref(logical), f"Schedule group of {plan.label(schedule)}", schedule)


def cdk_scheduler_schedule(cdk: CdkStack, schedule: Component) -> None:
    plan, v, logical = cdk.plan, var(schedule), cdk.id(schedule)
    tag = next(iter(tags(schedule).items()))
    cdk.emit(
        f"{v} = cdk.aws_scheduler.CfnScheduleGroup(self, {py(logical)}, tags=[cdk.CfnTag(key={py(tag[0])}, value={py(tag[1])})])"
    )
    links = plan.out(schedule, "deliver")
    if links:
        role = cdk_role(cdk, schedule, "scheduler.amazonaws.com", schedule_statements(plan, schedule, cdk_arn))
        for link in links:
            properties = schedule_properties(plan, schedule, link, cdk_arn, Code(f"{role}.role_arn"))
            name = f"{v}_to_{link.target.id}"
            cdk.emit(
                f"{name} = cdk.aws_scheduler.CfnSchedule(self, {py(logical + 'To' + cdk.id(link.target))}, "
                f"group_name={v}.ref, schedule_expression={py(properties.pop('ScheduleExpression'))}, "
                "flexible_time_window=cdk.aws_scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode='OFF'), "
                f"target=cdk.aws_scheduler.CfnSchedule.TargetProperty(arn={literal(properties['Target']['Arn'])}, role_arn={role}.role_arn))"
            )
            cdk.emit(f"{name}.node.add_dependency({role})")
            for key, value in properties.items():
                cdk.emit(f"{name}.add_property_override({py(key)}, {literal(value)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Group')}, value={v}.ref)")
    cdk.emit()


# -- EventBridge API destinations ---------------------------------------------------------------------------

CREDENTIALS = {"API_KEY": "API key", "BASIC": "password", "OAUTH_CLIENT_CREDENTIALS": "OAuth client secret"}


def api_destination_auth(plan: Plan, destination: Component, secret: Any) -> dict[str, Any]:
    """The connection's AuthParameters; ``secret`` names the NoEcho parameter that holds the secret."""
    auth = plan.prop(destination, "auth")
    if auth == "API_KEY":
        return {"ApiKeyAuthParameters": {"ApiKeyName": plan.prop(destination, "api_key_header"), "ApiKeyValue": secret}}
    needed = ["username"] if auth == "BASIC" else ["oauth_endpoint", "oauth_client_id"]
    missing = [name for name in needed if not plan.prop(destination, name)]
    if missing:
        raise ExportError(
            f"component {destination.id!r} (eventbridge_api_destination) cannot be exported: {auth} "
            f"authorization needs {' and '.join(missing)}"
        )
    if auth == "BASIC":
        return {"BasicAuthParameters": {"Username": plan.prop(destination, "username"), "Password": secret}}
    return {
        "OAuthParameters": {
            "AuthorizationEndpoint": plan.prop(destination, "oauth_endpoint"),
            "HttpMethod": "POST",
            "ClientParameters": {"ClientID": plan.prop(destination, "oauth_client_id"), "ClientSecret": secret},
        }
    }


def credential_description(plan: Plan, destination: Component) -> str:
    return f"{CREDENTIALS[plan.prop(destination, 'auth')]} of {plan.label(destination)}"[:512]


def sam_api_destination(sam: SamTemplate, destination: Component) -> None:
    plan, logical = sam.plan, sam.id(destination)
    # The secret never enters the design or the template: it is asked for when the stack is deployed.
    sam.parameters[f"{logical}Credential"] = {
        "Type": "String",
        "NoEcho": True,
        "MinLength": 1,
        "Description": credential_description(plan, destination),
    }
    sam.add(
        f"{logical}Connection",
        "AWS::Events::Connection",
        {
            "AuthorizationType": plan.prop(destination, "auth"),
            "AuthParameters": api_destination_auth(plan, destination, ref(f"{logical}Credential")),
            "Description": plan.label(destination)[:512],
        },
        destination,
    )
    sam.add(
        logical,
        "AWS::Events::ApiDestination",
        {
            "ConnectionArn": getatt(f"{logical}Connection", "Arn"),
            "InvocationEndpoint": plan.prop(destination, "endpoint"),
            "HttpMethod": plan.prop(destination, "http_method"),
            "InvocationRateLimitPerSecond": plan.prop(destination, "rate_limit_per_second"),
            "Description": plan.label(destination)[:512],
        },
        destination,
    )
    sam.output(f"{logical}Arn", getatt(logical, "Arn"), f"API destination of {plan.label(destination)}", destination)


def cdk_api_destination(cdk: CdkStack, destination: Component) -> None:
    plan, v, logical = cdk.plan, var(destination), cdk.id(destination)
    cdk.emit(
        f"{v}_credential = cdk.CfnParameter(self, {py(logical + 'Credential')}, type='String', no_echo=True, "
        f"min_length=1, description={py(credential_description(plan, destination))})"
    )
    secret = f"cdk.SecretValue.cfn_parameter({v}_credential)"
    auth = plan.prop(destination, "auth")
    parameters = api_destination_auth(plan, destination, None)  # checks what the authorization needs
    if auth == "API_KEY":
        authorization = f"events.Authorization.api_key({py(plan.prop(destination, 'api_key_header'))}, {secret})"
    elif auth == "BASIC":
        authorization = f"events.Authorization.basic({py(plan.prop(destination, 'username'))}, {secret})"
    else:
        oauth = parameters["OAuthParameters"]
        authorization = (
            f"events.Authorization.oauth(authorization_endpoint={py(oauth['AuthorizationEndpoint'])}, "
            f"client_id={py(oauth['ClientParameters']['ClientID'])}, client_secret={secret}, "
            "http_method=events.HttpMethod.POST)"
        )
    description = py(plan.label(destination)[:512])
    cdk.emit(
        f"{v}_connection = events.Connection(self, {py(logical + 'Connection')}, authorization={authorization}, "
        f"description={description})"
    )
    cdk.emit(
        f"{v} = events.ApiDestination(self, {py(logical)}, connection={v}_connection, "
        f"endpoint={py(plan.prop(destination, 'endpoint'))}, "
        f"http_method=events.HttpMethod.{plan.prop(destination, 'http_method')}, "
        f"rate_limit_per_second={plan.prop(destination, 'rate_limit_per_second')}, description={description})"
    )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Arn')}, value={v}.api_destination_arn)")
    cdk.emit()


SERVICES = (
    Service("eventbridge_api_destination", sam=sam_api_destination, cdk=cdk_api_destination, cdk_order=24),
    Service("eventbridge_pipe", sam=sam_eventbridge_pipe, cdk=cdk_eventbridge_pipe, cdk_order=45),
    Service("scheduler_schedule", sam=sam_scheduler_schedule, cdk=cdk_scheduler_schedule, cdk_order=46),
)
