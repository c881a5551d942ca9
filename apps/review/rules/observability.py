"""Operations: logs and traces, the instruments the whitepaper warns against skipping at launch."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

# The switches each type has (the catalog's props); HTTP APIs have no X-Ray tracing to switch.
LOGGING_TYPES = ("lambda_function", "api_gateway_rest", "api_gateway_http", "cloudfront")
TRACING_TYPES = ("lambda_function", "api_gateway_rest", "step_functions")
WHAT_IS_LOST = {
    "lambda_function": "its errors and output",
    "api_gateway_rest": "its execution and access logs",
    "api_gateway_http": "its access logs",
    "cloudfront": "its access logs",
}


def _logging_disabled(ctx: ReviewContext) -> Iterator[Hit]:
    for component in ctx.of_type(*LOGGING_TYPES):
        if ctx.prop(component, "logging") is False:
            yield Hit(
                (component.id,),
                f"{ctx.name(component)} has logging switched off: {WHAT_IS_LOST[component.type]} are not kept, so "
                "an incident leaves nothing to investigate.",
                "Turn logging on and keep costs down with a short log retention instead.",
            )


def _tracing_disabled(ctx: ReviewContext) -> Iterator[Hit]:
    for component in ctx.of_type(*TRACING_TYPES):
        # Lambda@Edge does not support X-Ray: an edge function without tracing is not a finding.
        if component.type == "lambda_function" and (
            ctx.prop(component, "role") == "edge" or ctx.into(component, "edge")
        ):
            continue
        if ctx.prop(component, "tracing") is False:
            yield Hit(
                (component.id,),
                f"{ctx.name(component)} has X-Ray tracing switched off, so a slow or failing request cannot be "
                "followed through it to the services it calls.",
                "Turn tracing on (sampling keeps its cost small).",
            )


RULES = (
    Rule(
        id="logging-disabled",
        severity="warning",
        title="Logging switched off",
        reference=ref.both(
            ref.whitepaper("The Serverless Logic Tier › Amazon API Gateway › Encourage Innovation"),
            ref.WHITEPAPER_NOTES + ", section “API Gateway integrations”",
        ),
        check=_logging_disabled,
    ),
    Rule(
        id="tracing-disabled",
        severity="info",
        title="Tracing switched off",
        reference=ref.both(
            ref.whitepaper("The Serverless Logic Tier › Amazon API Gateway › Encourage Innovation"),
            ref.WHITEPAPER_NOTES + ", section “API Gateway integrations”",
        ),
        check=_tracing_disabled,
    ),
)
