"""Lambda functions: the function, its log group, alias and deployment, events and event sources.

A function's connections decide the rest: what it reads and writes becomes environment variables and
permissions (asked of the target's own service), what pushes to it or is polled by it becomes events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tags, trust_policy, var
from apps.exporting.plan import Plan
from apps.exporting.services import clusters, files, observability, polling
from apps.exporting.services.base import Service, cdk_attribute, grant_call
from apps.exporting.services.identity import cognito_trigger
from apps.exporting.services.layers import sam_layers
from apps.exporting.services.messaging import cdk_dead_letter_arg, sam_bus_event, sam_redrive_policy
from apps.exporting.services.stores import S3_EVENTS, s3_key_filter
from apps.exporting.starters import function_code

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

EDGE_EVENTS = {
    "viewer-request": "VIEWER_REQUEST",
    "viewer-response": "VIEWER_RESPONSE",
    "origin-request": "ORIGIN_REQUEST",
    "origin-response": "ORIGIN_RESPONSE",
}
DEPLOYMENT_CONFIGS = {
    "AllAtOnce": "ALL_AT_ONCE",
    "Canary10Percent5Minutes": "CANARY_10_PERCENT_5_MINUTES",
    "Canary10Percent10Minutes": "CANARY_10_PERCENT_10_MINUTES",
    "Canary10Percent30Minutes": "CANARY_10_PERCENT_30_MINUTES",
    "Linear10PercentEvery1Minute": "LINEAR_10_PERCENT_EVERY_1_MINUTE",
    "Linear10PercentEvery3Minutes": "LINEAR_10_PERCENT_EVERY_3_MINUTES",
    "Linear10PercentEvery10Minutes": "LINEAR_10_PERCENT_EVERY_10_MINUTES",
}
# Lambda destinations: the SAM Type and the aws_lambda_destinations class of each target type.
DESTINATION_TYPES = {
    "sqs_queue": "SQS",
    "sns_topic": "SNS",
    "eventbridge_bus": "EventBridge",
    "lambda_function": "Lambda",
}
CDK_DESTINATIONS = {
    "sqs_queue": "SqsDestination",
    "sns_topic": "SnsDestination",
    "eventbridge_bus": "EventBridgeDestination",
    "lambda_function": "LambdaDestination",
}
LOG_RETENTION = {
    1: "ONE_DAY", 3: "THREE_DAYS", 5: "FIVE_DAYS", 7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH",
    60: "TWO_MONTHS", 90: "THREE_MONTHS", 120: "FOUR_MONTHS", 150: "FIVE_MONTHS", 180: "SIX_MONTHS",
    365: "ONE_YEAR", 400: "THIRTEEN_MONTHS", 545: "EIGHTEEN_MONTHS", 731: "TWO_YEARS", 1096: "THREE_YEARS",
    1827: "FIVE_YEARS", 2192: "SIX_YEARS", 2557: "SEVEN_YEARS", 2922: "EIGHT_YEARS", 3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}  # fmt: skip


def cors_origin(plan: Plan, fn: Component) -> str | None:
    """The origin a function behind a CORS-enabled API must answer with (a proxy answers the browser)."""
    for link in plan.into(fn, "invoke"):
        if link.source.type in ("api_gateway_rest", "api_gateway_http"):
            origins = plan.cors_origins(link.source)
            if origins:
                return origins[0]
    return None


def sam_lambda_function(sam: SamTemplate, fn: Component) -> None:
    plan, logical = sam.plan, sam.id(fn)
    role = plan.prop(fn, "role")
    code = function_code(plan.prop(fn, "runtime"), role, architecture=plan.prop(fn, "architecture"))
    properties: dict[str, Any] = {
        "Description": plan.label(fn),
        "CodeUri": f"src/{fn.id}/",
        "Handler": code.handler,
        "Runtime": plan.prop(fn, "runtime"),
        "MemorySize": plan.prop(fn, "memory_mb"),
        "Timeout": plan.prop(fn, "timeout_s"),
        "Architectures": [plan.prop(fn, "architecture")],
        "Tracing": "Active" if plan.prop(fn, "tracing") else "PassThrough",
        "Tags": tags(fn),
    }
    if role != "edge":
        properties["EphemeralStorage"] = {"Size": plan.prop(fn, "ephemeral_storage_mb")}
    if plan.prop(fn, "logging") and role != "edge":
        sam.add(
            f"{logical}LogGroup",
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": sub(f"/aws/lambda/${{AWS::StackName}}/{fn.id}"),
                "RetentionInDays": plan.prop(fn, "log_retention_days"),
            },
            fn,
        )
        properties["LoggingConfig"] = {"LogGroup": ref(f"{logical}LogGroup"), "LogFormat": "JSON"}
    variables = {plan.env_name(link.target): sam.env_value(link.target) for link in plan.data_links(fn)}
    for link in plan.data_links(fn):
        if link.target.type == "rds_instance":
            variables[f"{link.target.id.upper()}_DB_SECRET_ARN"] = getatt(
                sam.id(link.target), "MasterUserSecret.SecretArn"
            )
        variables.update(clusters.sam_extra_env(sam, link))
        if link.target.type == "batch_job_queue":  # a job is submitted with its job definition
            variables[f"{link.target.id.upper()}_JOB_DEFINITION_ARN"] = ref(f"{sam.id(link.target)}JobDefinition")
    cors = cors_origin(sam.plan, fn)
    if cors:
        variables["CORS_ALLOW_ORIGIN"] = cors
    if variables:
        properties["Environment"] = {"Variables": dict(sorted(variables.items()))}
    policies = [p for link in plan.data_links(fn) for p in sam.policy(link)] + polling.sam_poll_policies(sam, fn)
    if policies:
        properties["Policies"] = policies
    vpc = plan.vpc_of(fn)
    if vpc is not None:
        vpc_logical = sam.plan.group_ids[vpc.id]
        properties["VpcConfig"] = {
            "SubnetIds": [ref(f"{vpc_logical}PrivateSubnet{i + 1}") for i in range(plan.vpc_prop(vpc, "az_count"))],
            "SecurityGroupIds": [ref(f"{vpc_logical}FunctionSecurityGroup")],
        }
    dead_letter = plan.dead_letter(fn)
    if dead_letter is not None and role != "edge":
        target = getatt(sam.id(dead_letter), "Arn") if dead_letter.type == "sqs_queue" else ref(sam.id(dead_letter))
        properties["DeadLetterQueue"] = {
            "Type": "SQS" if dead_letter.type == "sqs_queue" else "SNS",
            "TargetArn": target,
        }
    destinations = plan.destinations(fn)
    if destinations:
        # SAM gives the role the one action each destination needs (sqs:SendMessage, sns:Publish, …).
        properties["EventInvokeConfig"] = {
            "DestinationConfig": {
                f"On{on.title()}": {
                    "Type": DESTINATION_TYPES[target.type],
                    "Destination": ref(sam.id(target)) if target.type == "sns_topic" else getatt(sam.id(target), "Arn"),
                }
                for on, target in sorted(destinations.items())
            }
        }
    if plan.needs_alias(fn):
        properties["AutoPublishAlias"] = "live"
        preference = plan.prop(fn, "deployment_preference")
        if preference != "none" and role != "edge":
            properties["DeploymentPreference"] = {"Type": preference}
    if plan.prop(fn, "reserved_concurrency") is not None and role != "edge":
        properties["ReservedConcurrentExecutions"] = plan.prop(fn, "reserved_concurrency")
    if (plan.prop(fn, "provisioned_concurrency") or 0) > 0 and role != "edge":
        properties["ProvisionedConcurrencyConfig"] = {
            "ProvisionedConcurrentExecutions": plan.prop(fn, "provisioned_concurrency")
        }
    if role == "edge":
        properties["AssumeRolePolicyDocument"] = trust_policy("lambda.amazonaws.com", "edgelambda.amazonaws.com")
    layers = sam_layers(sam, fn)
    if layers:
        properties["Layers"] = layers
    url_auth = plan.function_url(fn)
    if url_auth is not None:
        url: dict[str, Any] = {"AuthType": url_auth}
        origins = plan.function_url_origins(fn)
        if origins:
            url["Cors"] = {"AllowOrigins": origins, "AllowHeaders": ["content-type", "authorization"], "MaxAge": 600}
        properties["FunctionUrlConfig"] = url
    events = sam_function_events(sam, fn)
    if events:
        properties["Events"] = events
    mounts, mount_targets = files.sam_function_mounts(sam, fn)
    properties.update(mounts)
    extra: dict[str, Any] = {"Metadata": dict(code.sam_metadata)} if code.sam_metadata else {}
    if mount_targets:  # Lambda refuses a mount until the file system's mount targets are available
        extra["DependsOn"] = mount_targets
    sam.add(logical, "AWS::Serverless::Function", properties, fn, **extra)
    observability.sam_log_subscriptions(sam, fn)
    sam.output(f"{logical}Name", ref(logical), f"Function name of {plan.label(fn)}", fn)
    if url_auth is not None:  # SAM names the AWS::Lambda::Url it makes <function>Url
        sam.output(f"{logical}FunctionUrl", getatt(f"{logical}Url", "FunctionUrl"), f"URL of {plan.label(fn)}", fn)


def sam_function_events(sam: SamTemplate, fn: Component) -> dict[str, Any]:
    plan = sam.plan
    events: dict[str, Any] = {}
    for link in plan.into(fn):
        source, name = link.source, f"{plan.ids[link.source.id]}{link.kind.title().replace('_', '')}"
        if link.kind == "invoke" and source.type in ("api_gateway_rest", "api_gateway_http"):
            for routed, method, path in plan.routes(source):
                if routed is link:
                    api_type, api_key = (
                        ("Api", "RestApiId") if source.type == "api_gateway_rest" else ("HttpApi", "ApiId")
                    )
                    events[f"{name}{len(events) + 1}"] = {
                        "Type": api_type,
                        "Properties": {api_key: ref(sam.id(source)), "Path": path, "Method": method.lower()},
                    }
        elif link.kind == "poll":
            events[name] = sam_poll_event(sam, link)
        elif link.kind == "trigger":
            event = sam_trigger_event(sam, link)
            if event is not None:
                events[name] = event
    return events


def sam_poll_event(sam: SamTemplate, link: Link) -> dict[str, Any]:
    source, logical = link.source, sam.id(link.source)
    if source.type in polling.POLLED:
        return polling.sam_poll_event(sam, link)
    if source.type == "sqs_queue":
        properties: dict[str, Any] = {"Queue": getatt(logical, "Arn"), "BatchSize": link.prop("batch_size")}
        if link.prop("max_batching_window_s"):
            properties["MaximumBatchingWindowInSeconds"] = link.prop("max_batching_window_s")
        return {"Type": "SQS", "Properties": properties}
    stream = getatt(logical, "Arn") if source.type == "kinesis_stream" else getatt(logical, "StreamArn")
    if source.type == "kinesis_stream" and link.prop("enhanced_fan_out"):
        consumer = stream_consumer_id(sam.plan, link)
        sam.add(
            consumer,
            "AWS::Kinesis::StreamConsumer",
            {"StreamARN": stream, "ConsumerName": sam.id(link.target)},
            source,
        )
        stream = getatt(consumer, "ConsumerARN")
    properties = {
        "Stream": stream,
        "StartingPosition": link.prop("starting_position"),
        "BatchSize": link.prop("batch_size"),
        "MaximumBatchingWindowInSeconds": link.prop("max_batching_window_s"),
        "ParallelizationFactor": link.prop("parallelization_factor"),
    }
    dead_letter = sam.plan.dead_letter(link.target)
    if dead_letter is not None and dead_letter.type == "sqs_queue":
        properties["DestinationConfig"] = {
            "OnFailure": {"Type": "SQS", "Destination": getatt(sam.id(dead_letter), "Arn")}
        }
    return {"Type": "Kinesis" if source.type == "kinesis_stream" else "DynamoDB", "Properties": properties}


def stream_consumer_id(plan: Plan, link: Link) -> str:
    """The enhanced fan-out consumer a function reads a Kinesis stream through (named after the function)."""
    return f"{plan.ids[link.source.id]}Consumer{plan.ids[link.target.id]}"


def sam_trigger_event(sam: SamTemplate, link: Link) -> dict[str, Any] | None:
    source, logical = link.source, sam.id(link.source)
    if source.type == "s3_bucket":
        return {
            "Type": "S3",
            "Properties": {"Bucket": ref(logical), "Events": link.prop("events"), **s3_key_filter(link)},
        }
    if source.type == "sns_topic":
        return {"Type": "SNS", "Properties": {"Topic": ref(logical), **sam_redrive_policy(sam, source)}}
    if source.type == "eventbridge_bus":
        return sam_bus_event(sam, source)
    if source.type == "cognito_user_pool":
        return {"Type": "Cognito", "Properties": {"UserPool": ref(logical), "Trigger": cognito_trigger(link)}}
    return None


def cdk_lambda_function(cdk: CdkStack, fn: Component) -> None:
    plan, v, logical = cdk.plan, var(fn), cdk.id(fn)
    role = cdk.prop(fn, "role")
    runtime = cdk.prop(fn, "runtime")
    code = function_code(runtime, role, architecture=cdk.prop(fn, "architecture"))
    bundling = f", bundling={code.cdk_bundling}" if code.cdk_bundling else ""
    args = [
        f"runtime={code.cdk_runtime}",
        f"handler={py(code.handler)}",
        f"code=lambda_.Code.from_asset(os.path.join(HERE, 'src', {py(fn.id)}){bundling})",
        f"description={py(plan.label(fn))}",
        f"memory_size={cdk.prop(fn, 'memory_mb')}",
        f"timeout=Duration.seconds({cdk.prop(fn, 'timeout_s')})",
        f"architecture=lambda_.Architecture.{'ARM_64' if cdk.prop(fn, 'architecture') == 'arm64' else 'X86_64'}",
        f"tracing=lambda_.Tracing.{'ACTIVE' if cdk.prop(fn, 'tracing') else 'PASS_THROUGH'}",
    ]
    if role != "edge":
        args.append(f"ephemeral_storage_size=Size.mebibytes({cdk.prop(fn, 'ephemeral_storage_mb')})")
    if cdk.prop(fn, "logging") and role != "edge":
        cdk.emit(
            f"{v}_logs = logs.LogGroup(self, {py(logical + 'LogGroup')}, log_group_name=cdk.Fn.join('/', ['/aws/lambda', cdk.Aws.STACK_NAME, {py(fn.id)}]), "
            f"retention=logs.RetentionDays.{LOG_RETENTION[cdk.prop(fn, 'log_retention_days')]}, removal_policy=cdk.RemovalPolicy.DESTROY)"
        )
        args += [f"log_group={v}_logs", "logging_format=lambda_.LoggingFormat.JSON"]
    vpc = plan.vpc_of(fn)
    if vpc is not None:
        args.append(f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[g_{vpc.id}_functions]")
    dead_letter = plan.dead_letter(fn)
    if dead_letter is not None and role != "edge":
        args.append(
            f"dead_letter_queue={var(dead_letter)}"
            if dead_letter.type == "sqs_queue"
            else f"dead_letter_topic={var(dead_letter)}"
        )
    if cdk.prop(fn, "reserved_concurrency") is not None and role != "edge":
        args.append(f"reserved_concurrent_executions={cdk.prop(fn, 'reserved_concurrency')}")
    mount = files.cdk_function_mount(cdk, fn)
    if mount:
        args.append(mount)
    if role == "edge":
        cdk.emit(
            f"{v}_role = iam.Role(self, {py(logical + 'Role')}, assumed_by=iam.CompositePrincipal(iam.ServicePrincipal('lambda.amazonaws.com'), iam.ServicePrincipal('edgelambda.amazonaws.com')), "
            "managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name('service-role/AWSLambdaBasicExecutionRole')])"
        )
        args.append(f"role={v}_role")
    cdk.emit(f"# {logical}: {runtime} function")
    cdk.emit(f"{v} = lambda_.Function(self, {py(logical)}, {', '.join(args)})")
    if plan.needs_alias(fn) and role != "edge":
        provisioned = cdk.prop(fn, "provisioned_concurrency") or 0
        extra = f", provisioned_concurrent_executions={provisioned}" if provisioned else ""
        cdk.emit(
            f"{v}_alias = lambda_.Alias(self, {py(logical + 'AliasLive')}, alias_name='live', version={v}.current_version{extra})"
        )
        preference = cdk.prop(fn, "deployment_preference")
        if preference != "none":
            cdk.emit(
                f"codedeploy.LambdaDeploymentGroup(self, {py(logical + 'DeploymentGroup')}, alias={v}_alias, deployment_config=codedeploy.LambdaDeploymentConfig.{DEPLOYMENT_CONFIGS[preference]})"
            )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Name')}, value={v}.function_name)")
    url_auth = plan.function_url(fn)
    if url_auth is not None:
        origins = plan.function_url_origins(fn)
        cors = (
            f", cors=lambda_.FunctionUrlCorsOptions(allowed_origins={py(origins)}, allowed_headers=['content-type', 'authorization'], max_age=Duration.seconds(600))"
            if origins
            else ""
        )
        # SAM puts the URL on the `live` alias when the function publishes one; so does this.
        target = f"{v}_alias" if plan.needs_alias(fn) else v
        cdk.emit(f"{v}_url = {target}.add_function_url(auth_type=lambda_.FunctionUrlAuthType.{url_auth}{cors})")
        cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'FunctionUrl')}, value={v}_url.url)")
    cdk.emit()


def cdk_function_wiring(cdk: CdkStack, fn: Component) -> None:
    """Grants, environment variables and event sources: what the connections ask of a function."""
    plan, v = cdk.plan, var(fn)
    for link in plan.data_links(fn):
        target, t = link.target, var(link.target)
        cdk.emit(f"{v}.add_environment({py(plan.env_name(target))}, {cdk.env_value(target)})")
        grant = cdk.grant(link)
        if grant:
            cdk.emit(grant)
        if target.type == "rds_instance":
            cdk.emit(f"{v}.add_environment({py(target.id.upper() + '_DB_SECRET_ARN')}, {t}.secret.secret_arn)")
        for name, value in clusters.cdk_extra_env(cdk, link).items():
            cdk.emit(f"{v}.add_environment({py(name)}, {value})")
        if target.type == "batch_job_queue":
            cdk.emit(
                f"{v}.add_environment({py(target.id.upper() + '_JOB_DEFINITION_ARN')}, {t}_job.job_definition_arn)"
            )
    cors = cors_origin(cdk.plan, fn)
    if cors:
        cdk.emit(f"{v}.add_environment('CORS_ALLOW_ORIGIN', {py(cors)})")
    destinations = plan.destinations(fn)
    if destinations:
        chosen = ", ".join(
            f"on_{on}=destinations.{CDK_DESTINATIONS[sink.type]}({var(sink)})"
            for on, sink in sorted(destinations.items())
        )
        configured = f"{v}_alias" if plan.needs_alias(fn) else v  # SAM configures the alias SAM publishes
        cdk.emit(f"{configured}.configure_async_invoke({chosen})")
    observability.cdk_log_subscriptions(cdk, fn)
    for link in plan.into(fn, "poll"):
        if link.source.type in polling.POLLED:
            polling.cdk_poll(cdk, link)
        else:
            cdk.emit(f"{v}.add_event_source({cdk_poll_source(cdk, link)})")
    for link in plan.into(fn, "trigger"):
        source = link.source
        if source.type == "s3_bucket":
            filters = ", ".join(f"{name}={py(link.prop(name))}" for name in ("prefix", "suffix") if link.prop(name))
            event = S3_EVENTS.get(link.prop("events"), "OBJECT_CREATED")
            key_filter = f", filters=[s3.NotificationKeyFilter({filters})]" if filters else ""
            cdk.emit(
                f"{v}.add_event_source(event_sources.S3EventSource({var(source)}, events=[s3.EventType.{event}]{key_filter}))"
            )
        elif source.type == "sns_topic":
            cdk.emit(
                f"{v}.add_event_source(event_sources.SnsEventSource({var(source)}{cdk_dead_letter_arg(cdk, source)}))"
            )
    cdk.emit()


def cdk_poll_source(cdk: CdkStack, link: Link) -> str:
    source, s = link.source, var(link.source)
    if source.type == "sqs_queue":
        window = link.prop("max_batching_window_s")
        extra = f", max_batching_window=Duration.seconds({window})" if window else ""
        return f"event_sources.SqsEventSource({s}, batch_size={link.prop('batch_size')}{extra})"
    kind = "KinesisEventSource" if source.type == "kinesis_stream" else "DynamoEventSource"
    if source.type == "kinesis_stream" and link.prop("enhanced_fan_out"):
        consumer = f"{s}_consumer_{link.target.id}"
        cdk.emit(
            f"{consumer} = kinesis.StreamConsumer(self, {py(stream_consumer_id(cdk.plan, link))}, stream={s}, "
            f"stream_consumer_name={py(cdk.id(link.target))})"
        )
        kind, s = "KinesisConsumerEventSource", consumer
    args = [
        f"starting_position=lambda_.StartingPosition.{link.prop('starting_position')}",
        f"batch_size={link.prop('batch_size')}",
        f"max_batching_window=Duration.seconds({link.prop('max_batching_window_s')})",
        f"parallelization_factor={link.prop('parallelization_factor')}",
    ]
    dead_letter = cdk.plan.dead_letter(link.target)
    if dead_letter is not None and dead_letter.type == "sqs_queue":
        args.append(f"on_failure=event_sources.SqsDlq({var(dead_letter)})")
    return f"event_sources.{kind}({s}, {', '.join(args)})"


def sam_invoke_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"LambdaInvokePolicy": {"FunctionName": ref(sam.id(link.target))}}]


SERVICES = (
    Service(
        "lambda_function",
        sam=sam_lambda_function,
        cdk=cdk_lambda_function,
        cdk_order=30,
        cdk_env=cdk_attribute("function_name"),
        sam_policies=sam_invoke_policies,
        cdk_grant=grant_call("grant_invoke"),
        cdk_wiring=cdk_function_wiring,
    ),
)
