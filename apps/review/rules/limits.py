"""AWS service quotas a design can run into: timeouts, payload and item sizes, Lambda@Edge restrictions."""

from __future__ import annotations

from collections.abc import Iterator

from apps.designs.document import Component
from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import API_TYPES, ReviewContext

LAMBDA_MAX_TIMEOUT_S = 900
REST_DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000
API_PAYLOAD_LIMIT_KB = 10 * 1024  # 10 MB, REST and HTTP APIs alike
LAMBDA_SYNC_PAYLOAD_LIMIT_KB = 6 * 1024  # 6 MB each way for a synchronous invocation
DYNAMODB_ITEM_LIMIT_KB = 400
# Lambda@Edge quotas by CloudFront event: (timeout s, memory MB or None for Lambda's own limit).
EDGE_EVENT_QUOTAS = {"viewer": (5, 128), "origin": (30, None)}
EDGE_RUNTIMES = ("python", "nodejs")
EDGE_REGION = "us-east-1"


def _size(kb: float) -> str:
    return f"{kb / 1024:.1f} MB" if kb >= 1024 else f"{kb:g} KB"


def _function_timeout_above_api_timeout(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type(*API_TYPES):
        limit_ms = int(ctx.prop(api, "integration_timeout_ms"))
        for link in ctx.out(api, "invoke"):
            function = link.target
            if function.type != "lambda_function" or not ctx.is_sync_invoke(link):
                continue
            timeout_s = int(ctx.prop(function, "timeout_s"))
            if timeout_s * 1000 <= limit_ms:
                continue
            duration_ms = float(ctx.usage(function, "avg_duration_ms"))
            typical = (
                f" Its average duration ({duration_ms / 1000:g} s) is already above the limit, so most calls fail."
                if duration_ms > limit_ms
                else ""
            )
            raise_hint = (
                " A regional or private REST API can raise integration_timeout_ms (up to 300 s) with a quota increase."
                if api.type == "api_gateway_rest" and ctx.prop(api, "endpoint_type") != "edge"
                else ""
            )
            yield Hit(
                (api.id, function.id),
                f"{ctx.name(api)} waits at most {limit_ms / 1000:g} s for {ctx.name(function)}, whose timeout is "
                f"{timeout_s} s: a call that runs longer returns 504 to the client while the function keeps "
                f"running (and billing).{typical}",
                f"Keep the function's timeout_s at or below {limit_ms // 1000} s, or make long work asynchronous "
                "(invocation_type async, or store first: API → SQS → function) and let the client poll for the "
                f"result.{raise_hint}",
            )


def _edge_api_integration_timeout(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_rest"):
        timeout_ms = int(ctx.prop(api, "integration_timeout_ms"))
        if ctx.prop(api, "endpoint_type") == "edge" and timeout_ms > REST_DEFAULT_INTEGRATION_TIMEOUT_MS:
            yield Hit(
                (api.id,),
                f"{ctx.name(api)} is edge-optimized with an integration timeout of {timeout_ms / 1000:g} s, but "
                "only regional and private REST APIs can go beyond 29 s.",
                "Use a regional endpoint (behind your own CloudFront distribution if you need the edge), or keep "
                "integration_timeout_ms at 29000 or less.",
            )


def _lambda_timeout_above_maximum(ctx: ReviewContext) -> Iterator[Hit]:
    for function in ctx.of_type("lambda_function"):
        timeout_s = int(ctx.prop(function, "timeout_s"))
        if timeout_s > LAMBDA_MAX_TIMEOUT_S:
            yield Hit(
                (function.id,),
                f"{ctx.name(function)} has a timeout of {timeout_s} s; Lambda allows at most 900 s (15 minutes).",
                "Lower timeout_s to 900 or less. Split longer work into steps orchestrated by Step Functions, or "
                "process it in batches from a queue.",
            )


def _client_facing(ctx: ReviewContext, api: Component) -> bool:
    """Whether the workload's request and response sizes apply: clients reach the API (or it is an entry)."""
    return not ctx.into(api) or bool(ctx.into(api, "request", "origin"))


def _api_sizes(ctx: ReviewContext, api: Component, *, explicit_only: bool) -> list[tuple[str, float]]:
    sizes: list[tuple[str, float]] = []
    if not explicit_only or "avg_message_kb" in api.usage:
        sizes.append(("messages (avg_message_kb)", float(ctx.usage(api, "avg_message_kb"))))
    if _client_facing(ctx, api):
        workload = ctx.design.workload
        sizes.append(("requests (workload avg_request_kb)", float(workload.avg_request_kb)))
        sizes.append(("responses (workload avg_response_kb)", float(workload.avg_response_kb)))
    return sizes


def _api_payload_above_limit(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type(*API_TYPES):
        over = [(what, kb) for what, kb in _api_sizes(ctx, api, explicit_only=False) if kb > API_PAYLOAD_LIMIT_KB]
        if not over:
            continue
        sizes = ", ".join(f"{what} average {_size(kb)}" for what, kb in over)
        yield Hit(
            (api.id,),
            f"{ctx.name(api)}: {sizes}, above API Gateway's 10 MB payload limit, so such calls are rejected.",
            "Move large bodies out of the API: clients upload and download through S3 presigned URLs and the API "
            "passes object keys.",
        )


def _lambda_sync_payload_above_limit(ctx: ReviewContext) -> Iterator[Hit]:
    for function in ctx.of_type("lambda_function"):
        callers = list(
            {link.source.id: link.source for link in ctx.into(function, "invoke") if ctx.is_sync_invoke(link)}.values()
        )
        if not callers:
            continue
        over: list[str] = []
        payload = float(ctx.usage(function, "avg_payload_kb"))
        if payload > LAMBDA_SYNC_PAYLOAD_LIMIT_KB:
            over.append(f"its payloads (avg_payload_kb) average {_size(payload)}")
        for caller in callers:
            if caller.type not in API_TYPES:
                continue
            for what, kb in _api_sizes(ctx, caller, explicit_only=True):
                if kb > LAMBDA_SYNC_PAYLOAD_LIMIT_KB:
                    over.append(f"{what} of {caller.id} average {_size(kb)}")
        if not over:
            continue
        yield Hit(
            (*(c.id for c in callers), function.id),
            f"{ctx.name(function)} is invoked synchronously and {'; '.join(over)}, above Lambda's 6 MB limit for "
            "a synchronous request or response, so those invocations fail.",
            "Pass references instead of data: put large payloads in S3 (presigned URLs for clients) and send the "
            "object key to the function.",
        )


def _dynamodb_item_above_limit(ctx: ReviewContext) -> Iterator[Hit]:
    for table in ctx.of_type("dynamodb_table"):
        item_kb = float(ctx.usage(table, "avg_item_kb"))
        if item_kb > DYNAMODB_ITEM_LIMIT_KB:
            yield Hit(
                (table.id,),
                f"{ctx.name(table)} stores items of {_size(item_kb)} on average; DynamoDB rejects any item above "
                "400 KB (attribute names and values together).",
                "Keep large attributes in S3 and store the object key in the item, or split the item into several "
                "items under one partition key.",
            )


def _edge_functions(ctx: ReviewContext) -> list[Component]:
    return [f for f in ctx.of_type("lambda_function") if ctx.prop(f, "role") == "edge" or ctx.into(f, "edge")]


def _edge_function_quotas(ctx: ReviewContext) -> Iterator[Hit]:
    for function in _edge_functions(ctx):
        timeout_s, memory_mb = int(ctx.prop(function, "timeout_s")), int(ctx.prop(function, "memory_mb"))
        problems: list[str] = []
        for link in ctx.into(function, "edge"):
            event = str(ctx.link_prop(link, "event_type"))
            max_timeout, max_memory = EDGE_EVENT_QUOTAS[event.split("-", 1)[0]]
            if timeout_s > max_timeout:
                problems.append(f"{event} functions time out after at most {max_timeout} s (it has {timeout_s} s)")
            if max_memory is not None and memory_mb > max_memory:
                problems.append(f"{event} functions have at most {max_memory} MB of memory (it has {memory_mb} MB)")
        if problems:
            yield Hit(
                (*dict.fromkeys(link.source.id for link in ctx.into(function, "edge")), function.id),
                f"{ctx.name(function)} runs at the edge beyond Lambda@Edge quotas: {'; '.join(dict.fromkeys(problems))}.",
                "Lower timeout_s and memory_mb to the event's quota, or move heavy work to an origin-request "
                "function (30 s, full memory) or to the origin itself.",
            )


def _edge_function_unsupported_features(ctx: ReviewContext) -> Iterator[Hit]:
    for function in _edge_functions(ctx):
        problems: list[str] = []
        if ctx.vpc_of(function) is not None:
            problems.append("it is in a VPC")
        data = ctx.out(function, "read", "write", "read_write", "invoke")
        if data:
            names = ", ".join(dict.fromkeys(link.target.id for link in data))
            problems.append(f"it connects to {names}, which needs environment variables naming them")
        if ctx.out(function, "dead_letter"):
            problems.append("it has a dead-letter queue")
        if int(ctx.prop(function, "provisioned_concurrency") or 0) > 0:
            problems.append("it has provisioned concurrency")
        if int(ctx.prop(function, "ephemeral_storage_mb")) > 512:
            problems.append("its ephemeral storage is above 512 MB")
        if not str(ctx.prop(function, "runtime")).startswith(EDGE_RUNTIMES):
            problems.append(f"its runtime {ctx.prop(function, 'runtime')} is not Node.js or Python")
        if problems:
            yield Hit(
                (function.id,),
                f"{ctx.name(function)} is a Lambda@Edge function, which cannot have what it asks for: "
                f"{'; '.join(problems)}.",
                "Keep edge functions self-contained (configuration in code, no VPC, no dead-letter queue, Node.js "
                "or Python); let a regional function behind the API do the data access.",
            )


def _edge_function_region(ctx: ReviewContext) -> Iterator[Hit]:
    for function in _edge_functions(ctx):
        region = ctx.region_of(function)
        if region != EDGE_REGION:
            yield Hit(
                (function.id,),
                f"{ctx.name(function)} is a Lambda@Edge function deployed to {region}, but CloudFront only "
                "replicates functions created in us-east-1.",
                "Deploy edge functions from a us-east-1 stack (the rest of the design can stay in its region).",
            )


RULES = (
    Rule(
        id="function-timeout-above-api-timeout",
        severity="warning",
        title="A synchronous function behind API Gateway may run longer than the API waits",
        reference=ref.both(ref.APIGW_REST_QUOTAS, ref.APIGW_HTTP_QUOTAS),
        check=_function_timeout_above_api_timeout,
    ),
    Rule(
        id="edge-api-integration-timeout",
        severity="error",
        title="An edge-optimized REST API with an integration timeout above 29 s",
        reference=ref.APIGW_REST_QUOTAS,
        check=_edge_api_integration_timeout,
    ),
    Rule(
        id="lambda-timeout-above-maximum",
        severity="error",
        title="A function timeout beyond Lambda's 900 s maximum",
        reference=ref.LAMBDA_QUOTAS,
        check=_lambda_timeout_above_maximum,
    ),
    Rule(
        id="api-payload-above-limit",
        severity="error",
        title="Payloads beyond API Gateway's 10 MB limit",
        reference=ref.both(ref.APIGW_REST_QUOTAS, ref.APIGW_HTTP_QUOTAS),
        check=_api_payload_above_limit,
    ),
    Rule(
        id="lambda-sync-payload-above-limit",
        severity="error",
        title="Payloads beyond Lambda's 6 MB synchronous invocation limit",
        reference=ref.LAMBDA_QUOTAS,
        check=_lambda_sync_payload_above_limit,
    ),
    Rule(
        id="dynamodb-item-above-limit",
        severity="error",
        title="DynamoDB items beyond 400 KB",
        reference=ref.DYNAMODB_QUOTAS,
        check=_dynamodb_item_above_limit,
    ),
    Rule(
        id="edge-function-quotas",
        severity="error",
        title="A Lambda@Edge function beyond the timeout or memory quota of its CloudFront event",
        reference=ref.EDGE_QUOTAS,
        check=_edge_function_quotas,
    ),
    Rule(
        id="edge-function-unsupported-features",
        severity="error",
        title="A Lambda@Edge function uses a feature Lambda@Edge does not support",
        reference=ref.both(ref.EDGE_RESTRICTIONS, ref.patterns("Pattern 7")),
        check=_edge_function_unsupported_features,
    ),
    Rule(
        id="edge-function-region",
        severity="error",
        title="A Lambda@Edge function outside us-east-1",
        reference=ref.EDGE_RESTRICTIONS,
        check=_edge_function_region,
    ),
)
