"""API Gateway's direct service integrations, described once and written for SAM and for CDK.

A REST API calls SQS, Kinesis, SNS, EventBridge, Step Functions, DynamoDB and S3 with an AWS
integration (a request mapping template, or a path for S3); an HTTP API calls SQS, Kinesis,
EventBridge and Step Functions with a first-class integration subtype (AWS supports no others; the
catalog excludes them). Each integration is a value here: the SAM writer turns it into an OpenAPI
operation with ``x-amazon-apigateway-integration``, the CDK writer into an integration construct, and
both give the API's integration role the same IAM actions on the same resource.

Template text is ours; the only design text in it is a DynamoDB key attribute name, which the catalog
restricts to letters, digits and ``_.-`` and which is written JSON-escaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import py, var
from apps.exporting.plan import Plan


@dataclass(frozen=True)
class Attr:
    """An attribute of the integration's target: its CloudFormation name (None: the Ref) and its CDK one."""

    cfn: str | None
    cdk: str


ACCOUNT = Attr("AWS::AccountId", "cdk.Aws.ACCOUNT_ID")  # not of the target: the stack's account
Part = str | Attr

# What the integration role's statements name, per target type.
TARGET_ARN = {
    "sqs_queue": Attr("Arn", "queue_arn"),
    "kinesis_stream": Attr("Arn", "stream_arn"),
    "sns_topic": Attr(None, "topic_arn"),
    "eventbridge_bus": Attr("Arn", "event_bus_arn"),
    "step_functions": Attr(None, "state_machine_arn"),
    "dynamodb_table": Attr("Arn", "table_arn"),
    "s3_bucket": Attr("Arn", "bucket_arn"),
}
FORM = "'application/x-www-form-urlencoded'"
READS = ("GET", "HEAD")


@dataclass(frozen=True)
class RestIntegration:
    """One REST API route's AWS integration."""

    service: str  # the part of the integration URI after apigateway:<region>:
    http_method: str  # how API Gateway calls the service
    actions: tuple[str, ...]  # IAM actions the integration role needs on the target
    action: str | None = None  # action-style URI (…:action/<Action>)
    path: tuple[Part, ...] = ()  # path-style URI (…:path/<path>) when there is no action
    headers: dict[str, str] = field(default_factory=dict)  # integration.request.header.<name> → 'value'
    parameters: dict[str, str] = field(default_factory=dict)  # integration.request.* → method.request.* / context.*
    method_parameters: tuple[tuple[str, str], ...] = ()  # (name, path|querystring) the method declares
    template: tuple[Part, ...] = ()  # the application/json request mapping template; empty: pass the body through
    objects: bool = False  # the actions apply to the target's objects (<arn>/*), not the target itself


@dataclass(frozen=True)
class HttpIntegration:
    """One HTTP API route's AWS_PROXY integration (a first-class subtype)."""

    subtype: str
    parameters: dict[str, Part | str]
    actions: tuple[str, ...]


def is_service_route(link: Link) -> bool:
    """Whether an API route calls an AWS service directly: a service integration, or an invoke of a
    state machine (a function is a Lambda proxy integration instead)."""
    return link.kind == "integrate" or link.target.type != "lambda_function"


def service_routes(plan: Plan, api: Component) -> list[tuple[Link, str, str]]:
    """The API's routes that call an AWS service directly (``plan.routes`` order)."""
    return [route for route in plan.routes(api) if is_service_route(route[0])]


def starts_and_waits(plan: Plan, link: Link) -> bool:
    """Whether the route answers with the workflow's result: a synchronous invoke of an express workflow
    (StartSyncExecution); everything else starts an execution and answers at once."""
    return (
        link.kind == "invoke"
        and link.prop("invocation_type") == "sync"
        and plan.prop(link.target, "workflow_type") == "express"
    )


def path_parameters(path: str) -> list[str]:
    return [name.rstrip("+") for name in re.findall(r"\{([^}]+)\}", path)]


def _key_source(path: str, method: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Where a route's item or object key comes from: its last path parameter, else the request id
    (writes) or the ``key`` query string parameter (reads and deletes)."""
    names = path_parameters(path)
    if names:
        return f"method.request.path.{names[-1]}", tuple((name, "path") for name in names)
    if method in (*READS, "DELETE"):
        return "method.request.querystring.key", (("key", "querystring"),)
    return "context.requestId", ()


def _vtl(source: str) -> str:
    """A mapping-template expression for a key source (``method.request.path.id`` → ``$input.params('id')``)."""
    if source == "context.requestId":
        return "$context.requestId"
    return f"$util.escapeJavaScript($input.params('{source.rsplit('.', 1)[1]}'))"


def rest_integration(plan: Plan, link: Link, method: str, path: str) -> RestIntegration:
    target = link.target
    kind = target.type
    if kind == "sqs_queue":
        return RestIntegration(
            "sqs",
            "POST",
            ("sqs:SendMessage",),
            path=(ACCOUNT, "/", Attr("QueueName", "queue_name")),
            headers={"Content-Type": FORM},
            template=("Action=SendMessage&MessageBody=$util.urlEncode($input.body)",),
        )
    if kind == "kinesis_stream":
        return RestIntegration(
            "kinesis",
            "POST",
            ("kinesis:PutRecord",),
            action="PutRecord",
            template=(
                '{"StreamName": "',
                Attr(None, "stream_name"),
                '", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$context.requestId"}',
            ),
        )
    if kind == "sns_topic":
        return RestIntegration(
            "sns",
            "POST",
            ("sns:Publish",),
            action="Publish",
            headers={"Content-Type": FORM},
            template=(
                "Action=Publish&TopicArn=$util.urlEncode('",
                Attr(None, "topic_arn"),
                "')&Message=$util.urlEncode($input.body)",
            ),
        )
    if kind == "eventbridge_bus":
        return RestIntegration(
            "events",
            "POST",
            ("events:PutEvents",),
            action="PutEvents",
            headers={"X-Amz-Target": "'AWSEvents.PutEvents'", "Content-Type": "'application/x-amz-json-1.1'"},
            template=(
                '{"Entries": [{"Source": "tierplan.api", "DetailType": "request", '
                '"Detail": "$util.escapeJavaScript($input.body)", "EventBusName": "',
                Attr(None, "event_bus_name"),
                '"}]}',
            ),
        )
    if kind == "step_functions":
        action = "StartSyncExecution" if starts_and_waits(plan, link) else "StartExecution"
        return RestIntegration(
            "states",
            "POST",
            (f"states:{action}",),
            action=action,
            template=(
                '{"input": "$util.escapeJavaScript($input.body)", "stateMachineArn": "',
                Attr(None, "state_machine_arn"),
                '"}',
            ),
        )
    if kind == "dynamodb_table":
        return _dynamodb(plan, link, method, path)
    if kind == "s3_bucket":
        return _s3(method, path)
    raise ValueError(f"no REST integration with {kind}")


def _dynamodb(plan: Plan, link: Link, method: str, path: str) -> RestIntegration:
    """Reads query the partition, DELETE deletes the item, any other method puts the request body as an item."""
    table = Attr(None, "table_name")
    partition = json.dumps(plan.prop(link.target, "partition_key"))
    sort_key = plan.prop(link.target, "sort_key")
    source, declared = _key_source(path, method)
    key = _vtl(source)
    if method in READS:
        return RestIntegration(
            "dynamodb",
            "POST",
            ("dynamodb:Query",),
            action="Query",
            method_parameters=declared,
            template=(
                '{"TableName": "',
                table,
                f'", "KeyConditionExpression": "#pk = :pk", "ExpressionAttributeNames": {{"#pk": {partition}}}, '
                f'"ExpressionAttributeValues": {{":pk": {{"S": "{key}"}}}}}}',
            ),
        )
    sort = ""
    if sort_key:
        value = "$util.escapeJavaScript($input.params('sort'))" if method == "DELETE" else "$context.requestTimeEpoch"
        sort = f', {json.dumps(sort_key)}: {{"S": "{value}"}}'
        if method == "DELETE":
            declared = (*declared, ("sort", "querystring"))
    if method == "DELETE":
        return RestIntegration(
            "dynamodb",
            "POST",
            ("dynamodb:DeleteItem",),
            action="DeleteItem",
            method_parameters=declared,
            template=('{"TableName": "', table, f'", "Key": {{{partition}: {{"S": "{key}"}}{sort}}}}}'),
        )
    return RestIntegration(
        "dynamodb",
        "POST",
        ("dynamodb:PutItem",),
        action="PutItem",
        method_parameters=declared,
        template=(
            '{"TableName": "',
            table,
            f'", "Item": {{{partition}: {{"S": "{key}"}}{sort}, "payload": {{"S": "$util.escapeJavaScript($input.body)"}}}}}}',
        ),
    )


def _s3(method: str, path: str) -> RestIntegration:
    """GET reads, DELETE deletes, any other method writes the request body as an object."""
    source, declared = _key_source(path, method)
    verb, action = (
        ("GET", "s3:GetObject")
        if method in READS
        else ("DELETE", "s3:DeleteObject")
        if method == "DELETE"
        else ("PUT", "s3:PutObject")
    )
    return RestIntegration(
        "s3",
        verb,
        (action,),
        path=(Attr(None, "bucket_name"), "/{object}"),
        parameters={"integration.request.path.object": source},
        method_parameters=declared,
        objects=True,
    )


def http_integration(plan: Plan, link: Link) -> HttpIntegration:
    kind = link.target.type
    if kind == "sqs_queue":
        return HttpIntegration(
            "SQS-SendMessage",
            {"QueueUrl": Attr(None, "queue_url"), "MessageBody": "$request.body"},
            ("sqs:SendMessage",),
        )
    if kind == "kinesis_stream":
        return HttpIntegration(
            "Kinesis-PutRecord",
            {"StreamName": Attr(None, "stream_name"), "Data": "$request.body", "PartitionKey": "$context.requestId"},
            ("kinesis:PutRecord",),
        )
    if kind == "eventbridge_bus":
        return HttpIntegration(
            "EventBridge-PutEvents",
            {
                "EventBusName": Attr(None, "event_bus_name"),
                "Source": "tierplan.api",
                "DetailType": "request",
                "Detail": "$request.body",
            },
            ("events:PutEvents",),
        )
    if kind == "step_functions":
        action = "StartSyncExecution" if starts_and_waits(plan, link) else "StartExecution"
        return HttpIntegration(
            f"StepFunctions-{action}",
            {"StateMachineArn": Attr(None, "state_machine_arn"), "Input": "$request.body"},
            (f"states:{action}",),
        )
    raise ValueError(f"no HTTP API integration with {kind}")


def actions_of(
    plan: Plan, api_type: str, routes: list[tuple[Link, str, str]]
) -> list[tuple[Link, tuple[str, ...], bool]]:
    """(link, IAM actions, on objects) the integration role needs, once per target and kind of access."""
    seen: dict[tuple[str, tuple[str, ...], bool], tuple[Link, tuple[str, ...], bool]] = {}
    for link, method, path in routes:
        if api_type == "api_gateway_rest":
            spec = rest_integration(plan, link, method, path)
            actions, objects = spec.actions, spec.objects
        else:
            actions, objects = http_integration(plan, link).actions, False
        seen.setdefault((link.target.id, actions, objects), (link, actions, objects))
    return list(seen.values())


# -- SAM: parts inside Fn::Sub -----------------------------------------------------------------------


def sam_text(parts: tuple[Part, ...], logical: str) -> str:
    """The parts as Fn::Sub text: ``${Target}`` or ``${Target.Attribute}`` for the target's attributes."""
    out = []
    for part in parts:
        if part is ACCOUNT:
            out.append("${AWS::AccountId}")
        elif isinstance(part, Attr):
            out.append(f"${{{logical}.{part.cfn}}}" if part.cfn else f"${{{logical}}}")
        else:
            out.append(part)
    return "".join(out)


def sam_sub(parts: tuple[Part, ...], logical: str) -> Any:
    """The parts as a template string: plain text when nothing in it refers to a resource, else Fn::Sub."""
    if all(isinstance(part, str) for part in parts):
        return "".join(str(part) for part in parts)
    return {"Fn::Sub": sam_text(parts, logical)}


def sam_value(part: Part | str, logical: str) -> Any:
    if isinstance(part, Attr):
        return {"Fn::GetAtt": [logical, part.cfn]} if part.cfn else {"Ref": logical}
    return part


def sam_arn(link: Link, logical: str, objects: bool) -> Any:
    arn = sam_value(TARGET_ARN[link.target.type], logical)
    return {"Fn::Sub": f"${{{logical}.Arn}}/*"} if objects else arn


# -- CDK: parts as Python source ---------------------------------------------------------------------


def cdk_text(parts: tuple[Part, ...], target_var: str) -> str:
    """Python source of the parts joined (``cdk.Fn.join('', [...])``), or a plain literal without tokens."""
    items = [
        part.cdk if part is ACCOUNT else f"{target_var}.{part.cdk}" if isinstance(part, Attr) else py(part)
        for part in parts
    ]
    if all(not isinstance(part, Attr) for part in parts):
        return py("".join(str(part) for part in parts))
    return f"cdk.Fn.join('', [{', '.join(items)}])"


def cdk_arn(link: Link, objects: bool) -> str:
    arn = f"{var(link.target)}.{TARGET_ARN[link.target.type].cdk}"
    return f"{var(link.target)}.arn_for_objects('*')" if objects else arn
