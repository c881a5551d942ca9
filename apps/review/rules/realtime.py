"""Real-time APIs and direct entry points: what API Gateway's WebSocket quotas and authorization model,
AppSync's API keys and Lambda function URLs without auth mean for a design.

The quotas (AWS, "Quotas for configuring and running a WebSocket API in API Gateway", none of them
adjustable): a connection lasts at most 2 hours and is closed after 10 idle minutes; a frame holds at
most 32 KB and a message at most 128 KB; an integration answers within 29 seconds.
"""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

WEBSOCKET_QUOTAS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html"
WEBSOCKET_AUTH = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html"
)

FUNCTION_URL_AUTH = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"
APPSYNC_AUTH = "https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html"

MAX_CONNECTION_MINUTES = 120
IDLE_TIMEOUT_MINUTES = 10
FRAME_KB = 32
MESSAGE_KB = 128
INTEGRATION_TIMEOUT_S = 29


def _websocket_open_to_anyone(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        if ctx.prop(api, "auth") != "none":
            continue
        routes = ctx.out(api, "invoke")
        unused = (
            " An authorizer is connected, but auth 'none' means no one uses it." if ctx.out(api, "authorize") else ""
        )
        yield Hit(
            (api.id, *dict.fromkeys(link.target.id for link in routes)),
            f"{ctx.name(api)} lets anyone connect: it checks no one on $connect, so any client can open a "
            f"connection and send messages to its routes.{unused}",
            "Set the API's auth to lambda and connect a Lambda authorizer with 'authorize' (it checks a token on "
            "$connect; Cognito tokens too), or to iam for clients that sign with AWS credentials.",
        )


def _websocket_authorizer_missing(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        if ctx.prop(api, "auth") != "lambda":
            continue
        if any(link.target.type == "lambda_function" for link in ctx.out(api, "authorize")):
            continue
        yield Hit(
            (api.id,),
            f"{ctx.name(api)} has auth 'lambda' but no Lambda authorizer: it cannot be exported, and no client "
            "could be authorized on $connect.",
            "Connect a function with role 'authorizer' to the API with an 'authorize' connection.",
        )


def _websocket_connection_duration(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        minutes = float(ctx.usage(api, "avg_session_minutes"))
        if minutes <= MAX_CONNECTION_MINUTES:
            continue
        yield Hit(
            (api.id,),
            f"Clients of {ctx.name(api)} stay connected {minutes:g} minutes on average, but API Gateway closes a "
            "WebSocket connection after 2 hours whatever the traffic: every long session is cut at least once.",
            "Make clients reconnect when the connection closes (with backoff) and resume their state, e.g. from the "
            "table where $connect records connections; do not keep state only in the connection.",
        )


def _websocket_idle_timeout(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        minutes = float(ctx.usage(api, "avg_session_minutes"))
        if minutes <= IDLE_TIMEOUT_MINUTES:
            continue
        yield Hit(
            (api.id,),
            f"Clients of {ctx.name(api)} stay connected {minutes:g} minutes on average; API Gateway closes a "
            "connection that carries no message for 10 minutes, so a quiet client is disconnected.",
            "Have clients send a small heartbeat message (to a route that does nothing, or $default) at least every "
            "few minutes while they are idle, and reconnect when the connection closes.",
        )


def _websocket_message_above_limit(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        size = float(ctx.usage(api, "avg_message_kb"))
        if size <= MESSAGE_KB:
            continue
        yield Hit(
            (api.id,),
            f"Messages of {ctx.name(api)} average {size:g} KB, above the 128 KB a WebSocket message may hold: "
            "API Gateway closes the connection (code 1009) when one arrives.",
            "Send large payloads through S3 (a presigned URL in the message) and keep messages small.",
        )


def _websocket_message_above_frame_size(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        size = float(ctx.usage(api, "avg_message_kb"))
        if not FRAME_KB < size <= MESSAGE_KB:
            continue
        yield Hit(
            (api.id,),
            f"Messages of {ctx.name(api)} average {size:g} KB, above the 32 KB a WebSocket frame may hold: clients "
            "and @connections posts must split each into frames of 32 KB or less, and each 32 KB is billed as a "
            "message.",
            "Keep messages under 32 KB (send references to larger data), or make sure every sender splits them "
            "into frames.",
        )


def _websocket_function_timeout(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("api_gateway_websocket"):
        for link in ctx.out(api, "invoke"):
            function = link.target
            timeout_s = int(ctx.prop(function, "timeout_s"))
            if timeout_s <= INTEGRATION_TIMEOUT_S:
                continue
            yield Hit(
                (api.id, function.id),
                f"{ctx.name(function)} may run {timeout_s} s, but a WebSocket API waits at most 29 s for a route's "
                "integration: a longer run still bills, and the client gets no answer from it.",
                "Answer the route within 29 s (set the function's timeout to match) and hand longer work to a "
                "queue or workflow whose result a function posts back through @connections.",
            )


def _appsync_api_key_expires(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("appsync_api"):
        if ctx.prop(api, "auth") != "api_key":
            continue
        yield Hit(
            (api.id,),
            f"{ctx.name(api)} authorizes callers with an API key only. An AppSync API key expires 7 days after it "
            "is created unless given an expiry (at most 365 days ahead), and then every call fails; a key in an app "
            "also identifies the app, not the user.",
            "Use Cognito user pools (auth cognito, with an 'authorize' connection), IAM or a Lambda authorizer for "
            "users; keep API keys for public, read-only data, and renew each key's expiry before it passes.",
        )


def _appsync_authorizer_missing(ctx: ReviewContext) -> Iterator[Hit]:
    for api in ctx.of_type("appsync_api"):
        auth = ctx.prop(api, "auth")
        if auth not in ("cognito", "lambda"):
            continue
        wanted = "cognito_user_pool" if auth == "cognito" else "lambda_function"
        if any(link.target.type == wanted for link in ctx.out(api, "authorize")):
            continue
        yield Hit(
            (api.id,),
            f"{ctx.name(api)} has auth {auth!r} but no {wanted} connected with 'authorize': it cannot be exported.",
            f"Connect a {wanted} to the API with an 'authorize' connection, or change its auth.",
        )


def _public_function_url(ctx: ReviewContext) -> Iterator[Hit]:
    for function in ctx.of_type("lambda_function"):
        if ctx.prop(function, "function_url") != "public":
            continue
        cap = ctx.prop(function, "reserved_concurrency")
        limit = (
            f" Only its reserved concurrency ({cap}) bounds how many run at once."
            if cap is not None
            else " Nothing bounds how many run at once but the account's concurrency, which it can use up."
        )
        yield Hit(
            (function.id,),
            f"{ctx.name(function)} has a public function URL (auth type NONE): anyone who finds the URL can invoke "
            f"it as often as they like, with no authentication, throttling or request validation, and you pay for "
            f"every call.{limit}",
            "Set function_url to aws_iam and have clients sign requests (Cognito identity pool credentials), put an "
            "API Gateway API with an authorizer in front of the function instead, or check a token in the code and "
            "set reserved_concurrency to cap the damage.",
        )


RULES = (
    Rule(
        id="appsync-api-key-expires",
        severity="warning",
        title="An AppSync API authorized by an API key that expires",
        reference=APPSYNC_AUTH,
        check=_appsync_api_key_expires,
    ),
    Rule(
        id="appsync-authorizer-missing",
        severity="error",
        title="An AppSync API whose auth names an authorizer it is not connected to",
        reference=APPSYNC_AUTH,
        check=_appsync_authorizer_missing,
    ),
    Rule(
        id="function-url-public",
        severity="warning",
        title="A Lambda function URL that anyone can invoke",
        reference=FUNCTION_URL_AUTH,
        check=_public_function_url,
    ),
    Rule(
        id="websocket-open-to-anyone",
        severity="warning",
        title="A WebSocket API that authorizes no one on $connect",
        reference=WEBSOCKET_AUTH,
        check=_websocket_open_to_anyone,
    ),
    Rule(
        id="websocket-authorizer-missing",
        severity="error",
        title="A WebSocket API with Lambda auth and no authorizer",
        reference=WEBSOCKET_AUTH,
        check=_websocket_authorizer_missing,
    ),
    Rule(
        id="websocket-connection-duration",
        severity="warning",
        title="WebSocket sessions longer than the 2-hour connection limit",
        reference=WEBSOCKET_QUOTAS,
        check=_websocket_connection_duration,
    ),
    Rule(
        id="websocket-idle-timeout",
        severity="info",
        title="WebSocket sessions longer than the 10-minute idle timeout",
        reference=WEBSOCKET_QUOTAS,
        check=_websocket_idle_timeout,
    ),
    Rule(
        id="websocket-message-above-limit",
        severity="error",
        title="WebSocket messages above 128 KB",
        reference=WEBSOCKET_QUOTAS,
        check=_websocket_message_above_limit,
    ),
    Rule(
        id="websocket-message-above-frame-size",
        severity="warning",
        title="WebSocket messages above the 32 KB frame size",
        reference=WEBSOCKET_QUOTAS,
        check=_websocket_message_above_frame_size,
    ),
    Rule(
        id="websocket-function-timeout-above-integration-timeout",
        severity="warning",
        title="A WebSocket route's function may run longer than the 29-second integration timeout",
        reference=WEBSOCKET_QUOTAS,
        check=_websocket_function_timeout,
    ),
)
