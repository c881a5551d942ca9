"""Monitoring: CloudWatch metric alarms on the components they watch, notifying SNS topics.

An alarm watches the metric of the component connected to it with ``metric`` (the connection names
which of the metrics the component publishes, or takes its usual failure metric), or, with no such
connection, a custom metric the application publishes. With several ``metric`` connections it watches
their sum (for counts) or their maximum, through metric math. Topics connected with ``notify`` are its
alarm actions (and OK actions when the connection asks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component
from apps.exporting.cfn import getatt, py, ref, var
from apps.exporting.plan import ExportError, Plan

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

from apps.exporting.services.base import Service


@dataclass(frozen=True)
class Source:
    """The CloudWatch metrics a watched type publishes: namespace, the dimension naming one resource
    (its CloudFormation attribute, None for Ref, and its CDK construct attribute) and the metric names,
    the usual failure metric first."""

    namespace: str
    dimension: str
    attribute: str | None
    cdk_attribute: str
    metrics: tuple[str, ...]


SOURCES = {
    "lambda_function": Source(
        "AWS/Lambda", "FunctionName", None, "function_name", ("Errors", "Throttles", "Duration", "ConcurrentExecutions")
    ),
    "sqs_queue": Source(
        "AWS/SQS",
        "QueueName",
        "QueueName",
        "queue_name",
        ("ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"),
    ),
    "api_gateway_http": Source("AWS/ApiGateway", "ApiId", None, "api_id", ("5xx", "4xx", "Latency")),
    "dynamodb_table": Source(
        "AWS/DynamoDB", "TableName", None, "table_name", ("ReadThrottleEvents", "WriteThrottleEvents")
    ),
    "step_functions": Source(
        "AWS/States",
        "StateMachineArn",
        None,
        "state_machine_arn",
        ("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled"),
    ),
    "kinesis_stream": Source(
        "AWS/Kinesis",
        "StreamName",
        None,
        "stream_name",
        ("GetRecords.IteratorAgeMilliseconds", "WriteProvisionedThroughputExceeded"),
    ),
}
COMPARISONS = {
    "GreaterThanOrEqualToThreshold": "GREATER_THAN_OR_EQUAL_TO_THRESHOLD",
    "GreaterThanThreshold": "GREATER_THAN_THRESHOLD",
    "LessThanThreshold": "LESS_THAN_THRESHOLD",
    "LessThanOrEqualToThreshold": "LESS_THAN_OR_EQUAL_TO_THRESHOLD",
}
MISSING_DATA = {"missing": "MISSING", "notBreaching": "NOT_BREACHING", "breaching": "BREACHING", "ignore": "IGNORE"}
MAX_EVALUATION_SECONDS = 86400  # CloudWatch evaluates at most one day of periods


@dataclass(frozen=True)
class Watched:
    """One metric the alarm watches: of a component (its ``Source``), or the application's custom metric."""

    namespace: str
    metric: str
    component: Component | None  # None: a custom metric without dimensions
    source: Source | None


def watched(plan: Plan, alarm: Component) -> list[Watched]:
    """The metrics the alarm watches; refuses a metric the connected component does not publish."""
    periods = plan.prop(alarm, "evaluation_periods") * plan.prop(alarm, "period_s")
    if periods > MAX_EVALUATION_SECONDS:
        raise ExportError(
            f"component {alarm.id!r} (cloudwatch_alarm) cannot be exported: evaluation_periods × period_s is "
            f"{periods} s, and CloudWatch evaluates at most one day"
        )
    links = plan.into(alarm, "metric")
    if not links:
        return [Watched(plan.prop(alarm, "namespace"), plan.prop(alarm, "metric_name"), None, None)]
    result = []
    for link in links:
        source = SOURCES[link.source.type]
        metric = link.prop("metric") or source.metrics[0]
        if metric not in source.metrics:
            raise ExportError(
                f"connection {link.connection.id!r} ({link.source.id} → {alarm.id}, metric) cannot be exported: "
                f"{link.source.type} publishes {', '.join(source.metrics)}, not {metric}"
            )
        result.append(Watched(source.namespace, metric, link.source, source))
    return result


def expression(plan: Plan, alarm: Component, count: int) -> str:
    """Metric math over several watched metrics: their sum for counts, their maximum otherwise."""
    function = "SUM" if plan.prop(alarm, "statistic") in ("Sum", "SampleCount") else "MAX"
    return f"{function}([{', '.join(f'm{index}' for index in range(count))}])"


def notified(plan: Plan, alarm: Component, *, ok: bool) -> list[Component]:
    return [link.target for link in plan.out(alarm, "notify") if not ok or link.prop("on_ok")]


def sam_dimensions(sam: SamTemplate, what: Watched) -> dict[str, Any]:
    if what.component is None or what.source is None:
        return {}
    target = sam.id(what.component)
    value = getatt(target, what.source.attribute) if what.source.attribute else ref(target)
    return {"Dimensions": [{"Name": what.source.dimension, "Value": value}]}


def sam_cloudwatch_alarm(sam: SamTemplate, alarm: Component) -> None:
    plan, logical = sam.plan, sam.id(alarm)
    metrics = watched(plan, alarm)
    properties: dict[str, Any] = {
        "AlarmDescription": plan.prop(alarm, "description") or plan.label(alarm),
        "EvaluationPeriods": plan.prop(alarm, "evaluation_periods"),
        "Threshold": plan.prop(alarm, "threshold"),
        "ComparisonOperator": plan.prop(alarm, "comparison"),
        "TreatMissingData": plan.prop(alarm, "treat_missing_data"),
    }
    if len(metrics) == 1:
        what = metrics[0]
        properties.update(
            {
                "Namespace": what.namespace,
                "MetricName": what.metric,
                **sam_dimensions(sam, what),
                "Statistic": plan.prop(alarm, "statistic"),
                "Period": plan.prop(alarm, "period_s"),
            }
        )
    else:
        queries: list[dict[str, Any]] = [
            {
                "Id": f"m{index}",
                "MetricStat": {
                    "Metric": {"Namespace": what.namespace, "MetricName": what.metric, **sam_dimensions(sam, what)},
                    "Period": plan.prop(alarm, "period_s"),
                    "Stat": plan.prop(alarm, "statistic"),
                },
                "ReturnData": False,
            }
            for index, what in enumerate(metrics)
        ]
        queries.append({"Id": "watched", "Expression": expression(plan, alarm, len(metrics)), "ReturnData": True})
        properties["Metrics"] = queries
    actions = [ref(sam.id(topic)) for topic in notified(plan, alarm, ok=False)]
    if actions:
        properties["AlarmActions"] = actions
    ok_actions = [ref(sam.id(topic)) for topic in notified(plan, alarm, ok=True)]
    if ok_actions:
        properties["OKActions"] = ok_actions
    sam.add(logical, "AWS::CloudWatch::Alarm", properties, alarm)


def cdk_metric(cdk: CdkStack, alarm: Component, what: Watched) -> str:
    args = [
        f"namespace={py(what.namespace)}",
        f"metric_name={py(what.metric)}",
        f"statistic={py(cdk.prop(alarm, 'statistic'))}",
        f"period=Duration.seconds({cdk.prop(alarm, 'period_s')})",
    ]
    if what.component is not None and what.source is not None:
        args.append(
            f"dimensions_map={{{py(what.source.dimension)}: {var(what.component)}.{what.source.cdk_attribute}}}"
        )
    return f"cloudwatch.Metric({', '.join(args)})"


def cdk_cloudwatch_alarm(cdk: CdkStack, alarm: Component) -> None:
    plan, v = cdk.plan, var(alarm)
    metrics = watched(plan, alarm)
    if len(metrics) == 1:
        metric = cdk_metric(cdk, alarm, metrics[0])
    else:
        using = ", ".join(f"{py(f'm{index}')}: {cdk_metric(cdk, alarm, what)}" for index, what in enumerate(metrics))
        metric = (
            f"cloudwatch.MathExpression(expression={py(expression(plan, alarm, len(metrics)))}, "
            f"using_metrics={{{using}}}, period=Duration.seconds({cdk.prop(alarm, 'period_s')}))"
        )
    description = cdk.prop(alarm, "description") or plan.label(alarm)
    cdk.emit(
        f"{v} = cloudwatch.Alarm(self, {py(cdk.id(alarm))}, metric={metric}, "
        f"threshold={py(cdk.prop(alarm, 'threshold'))}, evaluation_periods={cdk.prop(alarm, 'evaluation_periods')}, "
        f"comparison_operator=cloudwatch.ComparisonOperator.{COMPARISONS[cdk.prop(alarm, 'comparison')]}, "
        f"treat_missing_data=cloudwatch.TreatMissingData.{MISSING_DATA[cdk.prop(alarm, 'treat_missing_data')]}, "
        f"alarm_description={py(description)})"
    )
    for topic in notified(plan, alarm, ok=False):
        cdk.emit(f"{v}.add_alarm_action(cloudwatch_actions.SnsAction({var(topic)}))")
    for topic in notified(plan, alarm, ok=True):
        cdk.emit(f"{v}.add_ok_action(cloudwatch_actions.SnsAction({var(topic)}))")
    cdk.emit()


SERVICES = (
    # After every type it may watch (APIs are created at 50 and 51).
    Service("cloudwatch_alarm", sam=sam_cloudwatch_alarm, cdk=cdk_cloudwatch_alarm, cdk_order=70),
)
