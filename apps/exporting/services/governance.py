"""Governance: Lambda-backed custom resources, CloudTrail trails and Systems Manager Automation runbooks.

A custom resource is provisioning logic of the application's own: CloudFormation sends its create, update
and delete requests, with the resource's properties, to its provider (the ``ServiceToken``) and waits for
the response. The provider is the function connected with ``provide``, or, for one served outside the
design, the ARN the ``service_token`` prop names. CloudFormation invokes a function of the same stack with
the deploying principal's permissions, so no ``AWS::Lambda::Permission`` is written.

A trail writes its log files to the bucket it is connected to with ``archive``: the bucket's policy lets
CloudTrail read the bucket's ACL and put objects under ``<prefix>/AWSLogs/<account>/`` with the owner in full
control, and the trail waits for that policy. Buckets and functions connected to it with ``audit`` have
their data events recorded, one event selector per resource type and read/write choice.

A runbook (an SSM document of type Automation) has one step per ``invoke`` connection, in design order: it
invokes the function (``aws:invokeLambdaFunction``) or starts the state machine (``aws:executeStateMachine``)
with the runbook's parameters as JSON (``{"Name": "{{Name}}"}``: SSM's own parameter syntax, written by the
exporter from parameter names, never from user text). It runs with a role ssm.amazonaws.com assumes, which
may invoke or start exactly those targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, trust_policy, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

GENERIC_TYPE = "AWS::CloudFormation::CustomResource"
CLOUDTRAIL = "cloudtrail.amazonaws.com"
MAX_EVENT_SELECTORS = 5  # CloudTrail's limit per trail
DATA_RESOURCE_TYPES = {"s3_bucket": "AWS::S3::Object", "lambda_function": "AWS::Lambda::Function"}
READ_WRITE = {"All": "ALL", "ReadOnly": "READ_ONLY", "WriteOnly": "WRITE_ONLY"}


def _fail(component: Component, why: str) -> None:
    raise ExportError(f"component {component.id!r} ({component.type}) cannot be exported: {why}")


def provider(plan: Plan, resource: Component) -> Component | None:
    """The function serving the custom resource, or None when its service_token names one outside."""
    links = plan.out(resource, "provide")
    if len(links) > 1:
        _fail(resource, "a custom resource has one provider (one ServiceToken); it is connected to several")
    if links:
        function = links[0].target
        if plan.prop(function, "role") != "function":
            _fail(resource, f"its provider {function.id!r} is an authorizer or an edge function, not a function")
        return function
    if not plan.prop(resource, "service_token"):
        _fail(resource, "it has no provider: connect the function that serves it with 'provide', or give service_token")
    return None


def resource_properties(plan: Plan, resource: Component) -> dict[str, str]:
    """The properties the provider receives, from ``Name=value;Other=value`` (the catalog's pattern names
    each once, and never ServiceToken or ServiceTimeout)."""
    raw = plan.prop(resource, "properties") or ""
    return dict(pair.partition("=")[::2] for pair in raw.split(";")) if raw else {}


def sam_custom_resource(sam: SamTemplate, resource: Component) -> None:
    plan = sam.plan
    function = provider(plan, resource)
    token: Any = getatt(sam.id(function), "Arn") if function is not None else plan.prop(resource, "service_token")
    properties: dict[str, Any] = {"ServiceToken": token}
    if plan.prop(resource, "service_timeout_s") is not None:
        properties["ServiceTimeout"] = plan.prop(resource, "service_timeout_s")
    properties.update(resource_properties(plan, resource))
    sam.add(sam.id(resource), plan.prop(resource, "resource_type"), properties, resource)


def cdk_custom_resource(cdk: CdkStack, resource: Component) -> None:
    plan = cdk.plan
    function = provider(plan, resource)
    token = f"{var(function)}.function_arn" if function is not None else py(plan.prop(resource, "service_token"))
    args = [f"service_token={token}"]
    resource_type = plan.prop(resource, "resource_type")
    if resource_type != GENERIC_TYPE:  # the CDK's own default type
        args.append(f"resource_type={py(resource_type)}")
    properties = resource_properties(plan, resource)
    if properties:
        args.append(f"properties={py(properties)}")
    if plan.prop(resource, "service_timeout_s") is not None:
        args.append(f"service_timeout=Duration.seconds({plan.prop(resource, 'service_timeout_s')})")
    cdk.emit(f"{var(resource)} = cdk.CustomResource(self, {py(cdk.id(resource))}, {', '.join(args)})")
    cdk.emit()


# -- CloudTrail trails -------------------------------------------------------------------------------


def log_bucket(plan: Plan, trail: Component) -> Component:
    """The bucket the trail writes its log files to (exactly one)."""
    links = plan.out(trail, "archive")
    if len(links) != 1:
        _fail(trail, "a trail writes its log files to one bucket: connect it to that bucket with 'archive'")
    return links[0].target


def event_selectors(plan: Plan, trail: Component) -> list[tuple[str, str, list[Link]]]:
    """(read/write type, data resource type, audit connections) of each event selector, in design order."""
    groups: dict[tuple[str, str], list[Link]] = {}
    for link in plan.into(trail, "audit"):
        key = (link.prop("read_write_type"), DATA_RESOURCE_TYPES[link.source.type])
        groups.setdefault(key, []).append(link)
    if len(groups) > MAX_EVENT_SELECTORS:
        _fail(
            trail, f"its audited components need {len(groups)} event selectors; CloudTrail allows {MAX_EVENT_SELECTORS}"
        )
    if not groups and not plan.prop(trail, "include_management_events"):
        _fail(trail, "it records nothing: include management events, or connect the buckets and functions to audit")
    return [(read_write, resource_type, links) for (read_write, resource_type), links in groups.items()]


def key_prefix(plan: Plan, trail: Component) -> str:
    prefix = plan.prop(trail, "s3_key_prefix") or ""
    return f"{prefix}/" if prefix else ""


def sam_log_bucket_statements(sam: SamTemplate, bucket: Component) -> list[dict[str, Any]]:
    """What the policy of ``bucket`` lets the trails that archive to it do (the bucket's emitter asks)."""
    statements: list[dict[str, Any]] = []
    bucket_logical = sam.id(bucket)
    for link in sam.plan.into(bucket, "archive"):
        trail = sam.id(link.source)
        prefix = key_prefix(sam.plan, link.source)  # letters, digits and !_.*'()-/ only: safe in Fn::Sub
        statements += [
            {
                "Sid": f"CloudTrailAclCheck{trail}",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:GetBucketAcl",
                "Resource": getatt(bucket_logical, "Arn"),
            },
            {
                "Sid": f"CloudTrailWrite{trail}",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:PutObject",
                "Resource": sub(f"${{{bucket_logical}.Arn}}/{prefix}AWSLogs/${{AWS::AccountId}}/*"),
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            },
        ]
    return statements


def sam_data_resource(sam: SamTemplate, component: Component) -> Any:
    logical = sam.id(component)
    return sub(f"${{{logical}.Arn}}/") if component.type == "s3_bucket" else getatt(logical, "Arn")


def sam_cloudtrail_trail(sam: SamTemplate, trail: Component) -> None:
    plan, logical = sam.plan, sam.id(trail)
    bucket = log_bucket(plan, trail)
    management = bool(plan.prop(trail, "include_management_events"))
    properties: dict[str, Any] = {
        "IsLogging": True,
        "S3BucketName": ref(sam.id(bucket)),
        "IsMultiRegionTrail": bool(plan.prop(trail, "multi_region")),
        "IncludeGlobalServiceEvents": bool(plan.prop(trail, "include_global_service_events")),
        "EnableLogFileValidation": bool(plan.prop(trail, "log_file_validation")),
        "Tags": tag_list(trail),
    }
    if plan.prop(trail, "s3_key_prefix"):
        properties["S3KeyPrefix"] = plan.prop(trail, "s3_key_prefix")
    selectors = [
        {
            "ReadWriteType": read_write,
            "IncludeManagementEvents": management,
            "DataResources": [
                {"Type": resource_type, "Values": [sam_data_resource(sam, link.source) for link in links]}
            ],
        }
        for read_write, resource_type, links in event_selectors(plan, trail)
    ]
    if selectors:
        properties["EventSelectors"] = selectors
    # CloudTrail checks it may write to the bucket when the trail is created.
    sam.add(logical, "AWS::CloudTrail::Trail", properties, trail, DependsOn=[f"{sam.id(bucket)}Policy"])
    sam.output(f"{logical}Arn", getatt(logical, "Arn"), f"ARN of the trail {plan.label(trail)}", trail)


def cdk_cloudtrail_trail(cdk: CdkStack, trail: Component) -> None:
    plan, v = cdk.plan, var(trail)
    bucket = log_bucket(plan, trail)
    management = bool(plan.prop(trail, "include_management_events"))
    args = [
        f"bucket={var(bucket)}",
        f"is_multi_region_trail={bool(plan.prop(trail, 'multi_region'))}",
        f"include_global_service_events={bool(plan.prop(trail, 'include_global_service_events'))}",
        f"enable_file_validation={bool(plan.prop(trail, 'log_file_validation'))}",
    ]
    if plan.prop(trail, "s3_key_prefix"):
        args.append(f"s3_key_prefix={py(plan.prop(trail, 's3_key_prefix'))}")
    cdk.emit(f"{v} = cloudtrail.Trail(self, {py(cdk.id(trail))}, {', '.join(args)})")
    for read_write, resource_type, links in event_selectors(plan, trail):
        options = (
            f"read_write_type=cloudtrail.ReadWriteType.{READ_WRITE[read_write]}, include_management_events={management}"
        )
        if resource_type == "AWS::S3::Object":
            chosen = ", ".join(f"cloudtrail.S3EventSelector(bucket={var(link.source)})" for link in links)
            cdk.emit(f"{v}.add_s3_event_selector([{chosen}], {options})")
        else:
            cdk.emit(f"{v}.add_lambda_event_selector([{', '.join(var(link.source) for link in links)}], {options})")
    cdk.emit(f"cdk.Tags.of({v}).add('tierplan:component', {py(trail.id)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(trail) + 'Arn')}, value={v}.trail_arn)")
    cdk.emit()


# -- Systems Manager Automation runbooks ---------------------------------------------------------------

STEP_ACTIONS = {
    "lambda_function": ("aws:invokeLambdaFunction", "FunctionName", "Payload", "lambda:InvokeFunction"),
    "step_functions": ("aws:executeStateMachine", "stateMachineArn", "input", "states:StartExecution"),
}


@dataclass(frozen=True)
class Code:
    """A Python expression in the CDK app (a construct's attribute), as opposed to literal data."""

    text: str


def pyexpr(value: Any) -> str:
    """Python source for data that may hold ``Code``: literals through ``py``, expressions as they are."""
    if isinstance(value, Code):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(key)}: {pyexpr(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(pyexpr(item) for item in value) + "]"
    return py(value)


def runbook_parameters(plan: Plan, runbook: Component) -> list[str]:
    names = [name for name in (plan.prop(runbook, "parameters") or "").split(",") if name]
    return list(dict.fromkeys(names))  # once each, in order


def runbook_steps(plan: Plan, runbook: Component) -> list[Link]:
    links = plan.out(runbook, "invoke")
    if not links:
        _fail(
            runbook, "a runbook has at least one step: connect the functions and state machines it runs with 'invoke'"
        )
    return links


def runbook_content(plan: Plan, runbook: Component, role_arn: Any, target: Any) -> dict[str, Any]:
    """The Automation document; ``target(link)`` gives the name or ARN a step's input names its target by."""
    parameters = runbook_parameters(plan, runbook)
    payload = json.dumps({name: "{{" + name + "}}" for name in parameters}) if parameters else None
    steps = []
    for index, link in enumerate(runbook_steps(plan, runbook), start=1):
        action, target_input, payload_input, _ = STEP_ACTIONS[link.target.type]
        inputs = {target_input: target(link)}
        if payload is not None:
            inputs[payload_input] = payload
        steps.append(
            {
                "name": f"Step{index}{plan.ids[link.target.id]}",
                "action": action,
                "onFailure": plan.prop(runbook, "on_failure"),
                "inputs": inputs,
            }
        )
    content: dict[str, Any] = {
        "schemaVersion": "0.3",
        "description": plan.prop(runbook, "description") or plan.label(runbook),
        "assumeRole": role_arn,
    }
    if parameters:
        content["parameters"] = {name: {"type": "String"} for name in parameters}
    content["mainSteps"] = steps
    return content


def sam_ssm_document(sam: SamTemplate, runbook: Component) -> None:
    plan, logical = sam.plan, sam.id(runbook)
    statements: dict[str, list[Any]] = {}
    for link in runbook_steps(plan, runbook):
        target = sam.id(link.target)
        arn = getatt(target, "Arn") if link.target.type == "lambda_function" else ref(target)
        statements.setdefault(STEP_ACTIONS[link.target.type][3], []).append(arn)
    sam.add(
        f"{logical}Role",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("ssm.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "run-steps",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": action, "Resource": resources}
                            for action, resources in statements.items()
                        ],
                    },
                }
            ],
        },
        runbook,
    )
    content = runbook_content(plan, runbook, getatt(f"{logical}Role", "Arn"), lambda link: ref(sam.id(link.target)))
    properties = {"DocumentType": "Automation", "DocumentFormat": "JSON", "Content": content, "Tags": tag_list(runbook)}
    sam.add(logical, "AWS::SSM::Document", properties, runbook)
    sam.output(f"{logical}Name", ref(logical), f"Runbook name of {plan.label(runbook)}", runbook)


def cdk_ssm_document(cdk: CdkStack, runbook: Component) -> None:
    plan, v = cdk.plan, var(runbook)
    cdk.emit(
        f"{v}_role = iam.Role(self, {py(cdk.id(runbook) + 'Role')}, assumed_by=iam.ServicePrincipal('ssm.amazonaws.com'))"
    )
    statements: dict[str, list[str]] = {}
    for link in runbook_steps(plan, runbook):
        t = var(link.target)
        arn = f"{t}.function_arn" if link.target.type == "lambda_function" else f"{t}.state_machine_arn"
        statements.setdefault(STEP_ACTIONS[link.target.type][3], []).append(arn)
    for action, resources in statements.items():
        cdk.emit(
            f"{v}_role.add_to_policy(iam.PolicyStatement(actions=[{py(action)}], resources=[{', '.join(resources)}]))"
        )

    def target(link: Link) -> Code:
        t = var(link.target)
        return Code(f"{t}.function_name" if link.target.type == "lambda_function" else f"{t}.state_machine_arn")

    content = runbook_content(plan, runbook, Code(f"{v}_role.role_arn"), target)
    tags = f"[cdk.CfnTag(key='tierplan:component', value={py(runbook.id)})]"
    cdk.emit(
        f"{v} = ssm.CfnDocument(self, {py(cdk.id(runbook))}, document_type='Automation', document_format='JSON', "
        f"content={pyexpr(content)}, tags={tags})"
    )
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(runbook) + 'Name')}, value={v}.ref)")
    cdk.emit()


SERVICES = (
    # After the functions and state machines its steps run.
    Service("ssm_document", sam=sam_ssm_document, cdk=cdk_ssm_document, cdk_order=73),
    # After the functions that serve it.
    Service("custom_resource", sam=sam_custom_resource, cdk=cdk_custom_resource, cdk_order=80),
    # After the buckets it writes to and the buckets and functions it audits.
    Service("cloudtrail_trail", sam=sam_cloudtrail_trail, cdk=cdk_cloudtrail_trail, cdk_order=72),
)
