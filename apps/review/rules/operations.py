"""Operations: secrets that never change, alarms nobody hears, and Parameter Store tiers and quotas."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

SECRETS_BEST_PRACTICES = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html"
SECRETS_ROTATION = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html"
ALARM_ACTIONS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html"
SSM_TIERS = "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"
SSM_THROUGHPUT = "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-throughput.html"
SSM_QUOTAS = "https://docs.aws.amazon.com/general/latest/gr/ssm.html"

# Parameter Store's default throughput: 40 transactions per second shared by GetParameter,
# GetParameters and GetParametersByPath (higher throughput raises it, at a charge).
STANDARD_THROUGHPUT_TPS = 40
SECONDS_PER_MONTH = 730 * 3600


def _secret_without_rotation(ctx: ReviewContext) -> Iterator[Hit]:
    for secret in ctx.of_type("secrets_manager_secret"):
        if not ctx.out(secret, "rotate"):
            yield Hit(
                (secret.id,),
                f"{ctx.name(secret)} is never rotated: a value that leaks stays valid until someone changes it "
                "by hand.",
                "Connect its rotation function with 'rotate' so Secrets Manager replaces the value on a schedule.",
            )


def _alarm_without_action(ctx: ReviewContext) -> Iterator[Hit]:
    for alarm in ctx.of_type("cloudwatch_alarm"):
        if not ctx.out(alarm, "notify"):
            yield Hit(
                (alarm.id,),
                f"{ctx.name(alarm)} has no action: when it goes into ALARM nobody is told, and it only changes "
                "colour in the console.",
                "Connect it to an SNS topic with 'notify' (and subscribe the people or the tool on call).",
            )


def _advanced_parameter_unneeded(ctx: ReviewContext) -> Iterator[Hit]:
    # A design's parameter values hold at most 4 KB and carry no parameter policies, so what the advanced
    # tier adds is only a higher parameter count per Region.
    for parameter in ctx.of_type("ssm_parameter"):
        if ctx.prop(parameter, "tier") == "Advanced":
            yield Hit(
                (parameter.id,),
                f"{ctx.name(parameter)} is an advanced parameter although its value fits the free standard tier "
                "(4 KB) and it has no parameter policy: it is charged every month, and an advanced parameter "
                "can never be turned back into a standard one.",
                "Use the Standard tier unless you need values above 4 KB, parameter policies or more than "
                "10,000 parameters.",
            )


def _parameter_throughput(ctx: ReviewContext) -> Iterator[Hit]:
    for parameter in ctx.of_type("ssm_parameter"):
        if ctx.prop(parameter, "higher_throughput") or ctx.prop(parameter, "tier") == "Advanced":
            continue
        explicit = parameter.usage.get("api_calls_per_month")
        if isinstance(explicit, (int, float)):
            calls: float | None = float(explicit)
        elif ctx.into(parameter, "read"):  # one call per request of each reader, as the estimate counts
            calls = ctx.monthly_requests(parameter)
        else:
            continue
        if calls is None:
            continue
        per_second = float(calls) / SECONDS_PER_MONTH
        if per_second > STANDARD_THROUGHPUT_TPS:
            yield Hit(
                (parameter.id,),
                f"{ctx.name(parameter)} is read about {per_second:,.0f} times a second on average, above Parameter "
                f"Store's default throughput of {STANDARD_THROUGHPUT_TPS} transactions a second: reads would be "
                "throttled (ThrottlingException).",
                "Cache the value in the functions (for example with the Parameters and Secrets Lambda extension), "
                "or switch on higher throughput for the account and Region (API interactions are then charged).",
            )


RULES = (
    Rule(
        id="secret-without-rotation",
        severity="warning",
        title="Secret without rotation",
        reference=f"AWS Secrets Manager best practices ({SECRETS_BEST_PRACTICES}) and rotation ({SECRETS_ROTATION})",
        check=_secret_without_rotation,
    ),
    Rule(
        id="alarm-without-action",
        severity="warning",
        title="Alarm without an action",
        reference=f"Amazon CloudWatch alarm actions ({ALARM_ACTIONS})",
        check=_alarm_without_action,
    ),
    Rule(
        id="ssm-advanced-tier-unneeded",
        severity="info",
        title="Advanced parameter where a standard one would do",
        reference=f"AWS Systems Manager Parameter Store, managing parameter tiers ({SSM_TIERS})",
        check=_advanced_parameter_unneeded,
    ),
    Rule(
        id="ssm-throughput-exceeded",
        severity="warning",
        title="Parameter reads above Parameter Store's default throughput",
        reference=f"Parameter Store throughput ({SSM_THROUGHPUT}) and Systems Manager quotas ({SSM_QUOTAS})",
        check=_parameter_throughput,
    ),
)
