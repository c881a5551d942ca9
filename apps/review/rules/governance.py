"""Governance: custom resources that can leave a stack waiting, encryption keys that never rotate, dashboards
that show nothing, and trails that record themselves or one Region only."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

CUSTOM_RESOURCES = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-custom-resources.html"
CUSTOM_RESOURCE_REFERENCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html"
KMS_ROTATION = "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"
KMS_BEST_PRACTICES = "https://docs.aws.amazon.com/kms/latest/developerguide/best-practices.html"
TRAIL_RECURSION = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-recursive-logging.html"
TRAIL_MULTI_REGION = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html"
LOG_SUBSCRIPTIONS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html"
DASHBOARDS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html"

DEFAULT_SERVICE_TIMEOUT_S = 3600  # CloudFormation waits an hour for a custom resource's response by default


def _custom_resource_waits(ctx: ReviewContext) -> Iterator[Hit]:
    for resource in ctx.of_type("custom_resource"):
        for link in ctx.out(resource, "provide"):
            function = link.target
            timeout = ctx.prop(function, "timeout_s")
            waits = ctx.prop(resource, "service_timeout_s") or DEFAULT_SERVICE_TIMEOUT_S
            if waits <= 2 * timeout + 60:
                continue
            yield Hit(
                (resource.id, function.id),
                f"{ctx.name(resource)} waits up to {waits:,} s for {ctx.name(function)}'s response, and the function "
                f"stops after {timeout} s: when it fails or times out before answering, the stack operation hangs "
                "until the wait ends (and a stuck delete holds the stack in DELETE_IN_PROGRESS as long).",
                f"Set service_timeout_s a little above the function's timeout (for example {2 * timeout + 60} s), and "
                "have the handler send a FAILED response to the pre-signed URL whenever it catches an error.",
            )


def _custom_resource_provider_offline(ctx: ReviewContext) -> Iterator[Hit]:
    for resource in ctx.of_type("custom_resource"):
        for link in ctx.out(resource, "provide"):
            function = link.target
            vpc = ctx.vpc_of(function)
            if vpc is None or ctx.vpc_prop(vpc, "nat_gateways"):
                continue
            yield Hit(
                (resource.id, function.id),
                f"{ctx.name(function)} serves {ctx.name(resource)} from private subnets of {ctx.group_name(vpc)}, which "
                "has no NAT gateway: a provider must send its response to a pre-signed Amazon S3 URL, and without a "
                "route to Amazon S3 CloudFormation never receives it and the stack operation fails after the wait.",
                "Run the provider outside the VPC if it needs nothing inside it, or give the VPC a NAT gateway (or an "
                "Amazon S3 gateway endpoint that allows CloudFormation's response buckets).",
            )


def _key_rotation_off(ctx: ReviewContext) -> Iterator[Hit]:
    for key in ctx.of_type("kms_key"):
        if not ctx.prop(key, "enable_key_rotation"):
            yield Hit(
                (key.id,),
                f"{ctx.name(key)} never rotates its key material: everything it encrypts for as long as it lives "
                "depends on one piece of key material.",
                "Turn on enable_key_rotation: AWS KMS then generates new key material on schedule "
                "(rotation_period_days) and keeps the old versions to decrypt what they encrypted.",
            )


def _empty_dashboard(ctx: ReviewContext) -> Iterator[Hit]:
    for dashboard in ctx.of_type("cloudwatch_dashboard"):
        if not ctx.into(dashboard, "metric"):
            yield Hit(
                (dashboard.id,),
                f"{ctx.name(dashboard)} graphs nothing: no component is connected to it, so it shows only its title "
                "(and is billed like any other dashboard).",
                "Connect the functions, queues, APIs, tables, workflows and streams to watch with 'metric'.",
            )


def _trail_records_its_own_deliveries(ctx: ReviewContext) -> Iterator[Hit]:
    for trail in ctx.of_type("cloudtrail_trail"):
        buckets = {link.target.id for link in ctx.out(trail, "archive")}
        for link in ctx.into(trail, "audit"):
            if link.source.id in buckets and ctx.link_prop(link, "read_write_type") != "ReadOnly":
                yield Hit(
                    (trail.id, link.source.id),
                    f"{ctx.name(trail)} records the write data events of {ctx.name(link.source)}, the bucket it "
                    "delivers its own log files to: each delivery (a PutObject) is an event, delivered in a further "
                    "log file, which is another event, without end, and every one is billed.",
                    "Deliver the log files to a bucket the trail does not audit, or record only read events of this one.",
                )


def _single_region_trail(ctx: ReviewContext) -> Iterator[Hit]:
    for trail in ctx.of_type("cloudtrail_trail"):
        if ctx.prop(trail, "include_management_events") and not ctx.prop(trail, "multi_region"):
            yield Hit(
                (trail.id,),
                f"{ctx.name(trail)} records one Region only: activity in the other Regions of the account, where "
                "nobody expects any, goes unrecorded.",
                "Make it a multi-Region trail (multi_region); the first copy of management events stays free.",
            )


def _log_subscription_loop(ctx: ReviewContext) -> Iterator[Hit]:
    # A function that receives log events logs as it handles them; when its own logs lead back to the
    # functions that send it events, every batch causes another, without end.
    reported: set[frozenset[str]] = set()
    for start in ctx.of_type("lambda_function"):
        path = [start]
        stack = [(start, iter(ctx.out(start, "logs")))]
        while stack:
            _, links = stack[-1]
            link = next(links, None)
            if link is None:
                stack.pop()
                path.pop()
                continue
            target = link.target
            if target.id == start.id:
                loop = frozenset(c.id for c in path)
                if loop not in reported:
                    reported.add(loop)
                    yield Hit(
                        tuple(c.id for c in path),
                        f"Log subscriptions go round in a loop ({' → '.join(ctx.name(c) for c in [*path, start])}): "
                        "each function's log events invoke the next, whose own log events lead back, so every "
                        "batch causes another, and invocations and log ingestion are billed without end.",
                        "Break the loop: subscribe a function that does not forward its own logs, or filter its "
                        "events out with the filter pattern.",
                    )
            elif target.type == "lambda_function" and target not in path:
                path.append(target)
                stack.append((target, iter(ctx.out(target, "logs"))))


RULES = (
    Rule(
        id="custom-resource-long-wait",
        severity="info",
        title="Custom resource waits far longer than its provider runs",
        reference=f"AWS CloudFormation custom resources ({CUSTOM_RESOURCES}), ServiceTimeout ({CUSTOM_RESOURCE_REFERENCE})",
        check=_custom_resource_waits,
    ),
    Rule(
        id="custom-resource-provider-no-route",
        severity="warning",
        title="Custom resource provider without a route to Amazon S3",
        reference=f"AWS::CloudFormation::CustomResource ({CUSTOM_RESOURCE_REFERENCE})",
        check=_custom_resource_provider_offline,
    ),
    Rule(
        id="kms-key-rotation-off",
        severity="warning",
        title="KMS key without automatic rotation",
        reference=f"AWS KMS key rotation ({KMS_ROTATION}) and best practices ({KMS_BEST_PRACTICES})",
        check=_key_rotation_off,
    ),
    Rule(
        id="dashboard-without-metrics",
        severity="info",
        title="Dashboard that graphs nothing",
        reference=f"Amazon CloudWatch dashboards ({DASHBOARDS})",
        check=_empty_dashboard,
    ),
    Rule(
        id="trail-audits-its-log-bucket",
        severity="warning",
        title="Trail recording the writes of its own log bucket",
        reference=f"AWS CloudTrail recursive logging ({TRAIL_RECURSION})",
        check=_trail_records_its_own_deliveries,
    ),
    Rule(
        id="trail-single-region",
        severity="info",
        title="Trail recording one Region only",
        reference=f"AWS CloudTrail security best practices ({TRAIL_MULTI_REGION})",
        check=_single_region_trail,
    ),
    Rule(
        id="log-subscription-loop",
        severity="error",
        title="Log subscriptions in a loop",
        reference=f"CloudWatch Logs subscription filters ({LOG_SUBSCRIPTIONS})",
        check=_log_subscription_loop,
    ),
)
