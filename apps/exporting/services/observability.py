"""Observability: CloudWatch dashboards over the components connected to them, and log subscriptions.

A dashboard opens with its title, then one graph per component connected to it with ``metric``: the metric
the connection names, or every metric the component publishes (the alarm emitter's ``SOURCES`` say which),
each with the statistic that suits it (the sum of counts, the average of durations, the maximum of ages and
gauges). The SAM template writes the dashboard body as JSON joined around the components' names; the CDK
app builds the same widgets from constructs.

A function's ``logs`` connection is a subscription filter on its log group: CloudWatch Logs invokes a target
function (with a permission limited to that log group) or puts records into a Kinesis or Firehose stream
(with a role it assumes, allowed to put records into that stream only). The function's emitter asks for them
once its log group exists; a log group takes at most two subscription filters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, trust_policy, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service
from apps.exporting.services.monitoring import SOURCES, Source

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

AVERAGED = {"Duration", "Latency", "GetRecords.IteratorAgeMilliseconds"}
PEAKS = {"ConcurrentExecutions", "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"}
GRAPH_WIDTH, GRAPH_HEIGHT, TITLE_HEIGHT, GRID_WIDTH = 12, 6, 2, 24
INTRINSICS = {"Ref", "Fn::GetAtt", "Fn::Sub"}
MAX_SUBSCRIPTION_FILTERS = 2  # per log group (a CloudWatch Logs quota that cannot be raised)
STREAM_ACTIONS = {
    "kinesis_stream": ["kinesis:PutRecord"],
    "firehose_stream": ["firehose:PutRecord", "firehose:PutRecordBatch"],
}


def statistic(metric: str) -> str:
    return "Average" if metric in AVERAGED else "Maximum" if metric in PEAKS else "Sum"


@dataclass(frozen=True)
class Graph:
    """One graph: the component whose metrics it shows, which ones, and where it sits on the grid."""

    component: Component
    source: Source
    metrics: tuple[str, ...]
    x: int
    y: int


def graphs(plan: Plan, dashboard: Component) -> list[Graph]:
    """The dashboard's graphs, two to a row under the title; refuses a metric the component does not publish."""
    result = []
    for index, link in enumerate(plan.into(dashboard, "metric")):
        source = SOURCES[link.source.type]
        chosen = link.prop("metric")
        if chosen and chosen not in source.metrics:
            raise ExportError(
                f"connection {link.connection.id!r} ({link.source.id} → {dashboard.id}, metric) cannot be exported: "
                f"{link.source.type} publishes {', '.join(source.metrics)}, not {chosen}"
            )
        metrics = (chosen,) if chosen else source.metrics
        x = (index % 2) * GRAPH_WIDTH
        y = TITLE_HEIGHT + (index // 2) * GRAPH_HEIGHT
        result.append(Graph(link.source, source, metrics, x, y))
    return result


def json_parts(value: Any) -> list[Any]:
    """``value`` as JSON text in pieces: strings, and the intrinsic functions (Ref, GetAtt) that stand for
    a JSON string whose value CloudFormation fills in. ``Fn::Join`` with "" gives back the whole text."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in INTRINSICS:
        return ['"', value, '"']
    if isinstance(value, dict):
        parts: list[Any] = ["{"]
        for index, (key, item) in enumerate(value.items()):
            parts.append(("," if index else "") + json.dumps(key, ensure_ascii=False) + ":")
            parts += json_parts(item)
        return [*parts, "}"]
    if isinstance(value, list):
        parts = ["["]
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            parts += json_parts(item)
        return [*parts, "]"]
    return [json.dumps(value, ensure_ascii=False)]


def joined(parts: list[Any]) -> dict[str, Any]:
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return {"Fn::Join": ["", merged]}


def sam_cloudwatch_dashboard(sam: SamTemplate, dashboard: Component) -> None:
    plan, logical = sam.plan, sam.id(dashboard)
    period = plan.prop(dashboard, "period_s")
    widgets: list[dict[str, Any]] = [
        {
            "type": "text",
            "x": 0,
            "y": 0,
            "width": GRID_WIDTH,
            "height": TITLE_HEIGHT,
            "properties": {"markdown": f"# {plan.label(dashboard)}"},
        }
    ]
    for graph in graphs(plan, dashboard):
        target = sam.id(graph.component)
        name = getatt(target, graph.source.attribute) if graph.source.attribute else ref(target)
        widgets.append(
            {
                "type": "metric",
                "x": graph.x,
                "y": graph.y,
                "width": GRAPH_WIDTH,
                "height": GRAPH_HEIGHT,
                "properties": {
                    "title": plan.label(graph.component),
                    "view": "timeSeries",
                    "region": ref("AWS::Region"),
                    "period": period,
                    "metrics": [
                        [graph.source.namespace, metric, graph.source.dimension, name, {"stat": statistic(metric)}]
                        for metric in graph.metrics
                    ],
                },
            }
        )
    body = {"start": plan.prop(dashboard, "time_range"), "widgets": widgets}
    sam.add(logical, "AWS::CloudWatch::Dashboard", {"DashboardBody": joined(json_parts(body))}, dashboard)
    sam.output(f"{logical}Name", ref(logical), f"Dashboard name of {plan.label(dashboard)}", dashboard)


def cdk_cloudwatch_dashboard(cdk: CdkStack, dashboard: Component) -> None:
    plan, v = cdk.plan, var(dashboard)
    period = plan.prop(dashboard, "period_s")
    cdk.emit(
        f"{v} = cloudwatch.Dashboard(self, {py(cdk.id(dashboard))}, start={py(plan.prop(dashboard, 'time_range'))})"
    )
    title = f"# {plan.label(dashboard)}"
    cdk.emit(f"{v}.add_widgets(cloudwatch.TextWidget(markdown={py(title)}, width={GRID_WIDTH}, height={TITLE_HEIGHT}))")
    row: list[str] = []
    for graph in graphs(plan, dashboard):
        dimensions = f"{{{py(graph.source.dimension)}: {var(graph.component)}.{graph.source.cdk_attribute}}}"
        metrics = ", ".join(
            f"cloudwatch.Metric(namespace={py(graph.source.namespace)}, metric_name={py(metric)}, "
            f"dimensions_map={dimensions}, statistic={py(statistic(metric))}, period=Duration.seconds({period}))"
            for metric in graph.metrics
        )
        row.append(
            f"cloudwatch.GraphWidget(title={py(plan.label(graph.component))}, left=[{metrics}], "
            f"width={GRAPH_WIDTH}, height={GRAPH_HEIGHT})"
        )
        if len(row) == 2:
            cdk.emit(f"{v}.add_widgets({', '.join(row)})")
            row = []
    if row:
        cdk.emit(f"{v}.add_widgets({', '.join(row)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(dashboard) + 'Name')}, value={v}.dashboard_name)")
    cdk.emit()


# -- log subscriptions --------------------------------------------------------------------------------


def subscriptions(plan: Plan, fn: Component) -> list[Link]:
    """The function's log subscriptions; refuses what CloudWatch Logs or the function cannot do."""
    links = plan.out(fn, "logs")
    if not links:
        return []
    why = None
    if plan.prop(fn, "role") == "edge":
        why = "Lambda@Edge functions log in the Region where they run, not in a log group of the stack"
    elif not plan.prop(fn, "logging"):
        why = "its logging is off, so it has no log group to subscribe to"
    elif len(links) > MAX_SUBSCRIPTION_FILTERS:
        why = f"a log group takes at most {MAX_SUBSCRIPTION_FILTERS} subscription filters"
    for link in links:
        if link.target.type == "lambda_function" and plan.prop(link.target, "role") != "function":
            why = f"{link.target.id!r} is an authorizer or an edge function and cannot receive log events"
    if why:
        raise ExportError(f"component {fn.id!r} (lambda_function) cannot be exported: {why}")
    return links


def filter_id(fn_logical: str, target_logical: str) -> str:
    return f"{fn_logical}LogsTo{target_logical}"


def sam_log_subscriptions(sam: SamTemplate, fn: Component) -> None:
    """Subscription filters on the function's log group (``<logical>LogGroup``), with what each needs."""
    plan, logical = sam.plan, sam.id(fn)
    log_group = f"{logical}LogGroup"
    for link in subscriptions(plan, fn):
        target = sam.id(link.target)
        name = filter_id(logical, target)
        properties: dict[str, Any] = {
            "LogGroupName": ref(log_group),
            "FilterPattern": link.prop("filter_pattern") or "",
            "DestinationArn": getatt(target, "Arn"),
        }
        if link.target.type == "lambda_function":
            sam.add(
                f"{name}Permission",
                "AWS::Lambda::Permission",
                {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": getatt(target, "Arn"),
                    "Principal": "logs.amazonaws.com",
                    "SourceArn": getatt(log_group, "Arn"),
                    "SourceAccount": ref("AWS::AccountId"),
                },
                fn,
            )
            depends = f"{name}Permission"
        else:
            statement = {
                "Effect": "Allow",
                "Action": STREAM_ACTIONS[link.target.type],
                "Resource": getatt(target, "Arn"),
            }
            sam.add(
                f"{name}Role",
                "AWS::IAM::Role",
                {
                    "AssumeRolePolicyDocument": trust_policy("logs.amazonaws.com"),
                    "Policies": [
                        {
                            "PolicyName": "put-records",
                            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
                        }
                    ],
                },
                fn,
            )
            properties["RoleArn"] = getatt(f"{name}Role", "Arn")
            depends = f"{name}Role"
        # CloudWatch Logs checks it may deliver when the filter is created.
        sam.add(f"{name}Filter", "AWS::Logs::SubscriptionFilter", properties, fn, DependsOn=[depends])


def cdk_log_subscriptions(cdk: CdkStack, fn: Component) -> None:
    plan, v = cdk.plan, var(fn)
    for link in subscriptions(plan, fn):
        target, t = link.target, var(link.target)
        name = filter_id(cdk.id(fn), cdk.id(target))
        pattern = link.prop("filter_pattern") or ""
        if target.type == "lambda_function":
            cdk.emit(
                f"logs.SubscriptionFilter(self, {py(name + 'Filter')}, log_group={v}_logs, "
                f"destination=logs_destinations.LambdaDestination({t}), filter_pattern=logs.FilterPattern.literal({py(pattern)}))"
            )
            continue
        arn = f"{t}.stream_arn" if target.type == "kinesis_stream" else f"{t}.attr_arn"
        role = f"{v}_logs_to_{target.id}"
        cdk.emit(f"{role} = iam.Role(self, {py(name + 'Role')}, assumed_by=iam.ServicePrincipal('logs.amazonaws.com'))")
        cdk.emit(
            f"{role}.add_to_policy(iam.PolicyStatement(actions={py(STREAM_ACTIONS[target.type])}, resources=[{arn}]))"
        )
        cdk.emit(
            f"logs.CfnSubscriptionFilter(self, {py(name + 'Filter')}, log_group_name={v}_logs.log_group_name, "
            f"filter_pattern={py(pattern)}, destination_arn={arn}, role_arn={role}.role_arn).node.add_dependency({role})"
        )


# -- Application Insights -------------------------------------------------------------------------------


def watched_stack(plan: Plan, insights: Component) -> None:
    """One Application Insights component per stack: its resource group is named after the stack."""
    account = plan.account_of(insights)
    others = [c for c in plan.of_type("application_insights") if plan.account_of(c) is account]
    if others[0].id != insights.id:
        raise ExportError(
            f"component {insights.id!r} (application_insights) cannot be exported: {others[0].id!r} already "
            "monitors this stack (one resource group of the stack, one Application Insights application)"
        )


def sam_application_insights(sam: SamTemplate, insights: Component) -> None:
    plan, logical = sam.plan, sam.id(insights)
    watched_stack(plan, insights)
    sam.add(
        f"{logical}ResourceGroup",
        "AWS::ResourceGroups::Group",
        {
            "Name": {"Fn::Sub": "ApplicationInsights-${AWS::StackName}"},
            "ResourceQuery": {"Type": "CLOUDFORMATION_STACK_1_0"},
        },
        insights,
    )
    properties = {
        "ResourceGroupName": ref(f"{logical}ResourceGroup"),
        "AutoConfigurationEnabled": bool(plan.prop(insights, "auto_configuration")),
        "CWEMonitorEnabled": bool(plan.prop(insights, "events_monitoring")),
    }
    sam.add(logical, "AWS::ApplicationInsights::Application", properties, insights)


def cdk_application_insights(cdk: CdkStack, insights: Component) -> None:
    plan, v = cdk.plan, var(insights)
    watched_stack(plan, insights)
    cdk.emit(
        f"{v}_group = cdk.aws_resourcegroups.CfnGroup(self, {py(cdk.id(insights) + 'ResourceGroup')}, "
        "name=cdk.Fn.join('', ['ApplicationInsights-', cdk.Aws.STACK_NAME]), "
        "resource_query=cdk.aws_resourcegroups.CfnGroup.ResourceQueryProperty(type='CLOUDFORMATION_STACK_1_0'))"
    )
    cdk.emit(
        f"{v} = cdk.aws_applicationinsights.CfnApplication(self, {py(cdk.id(insights))}, resource_group_name={v}_group.ref, "
        f"auto_configuration_enabled={bool(plan.prop(insights, 'auto_configuration'))}, "
        f"cwe_monitor_enabled={bool(plan.prop(insights, 'events_monitoring'))})"
    )
    cdk.emit()


SERVICES = (
    # After every type it may show (APIs are created at 50 and 51).
    Service("cloudwatch_dashboard", sam=sam_cloudwatch_dashboard, cdk=cdk_cloudwatch_dashboard, cdk_order=71),
    Service("application_insights", sam=sam_application_insights, cdk=cdk_application_insights, cdk_order=90),
)
