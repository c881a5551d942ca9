"""Real-time APIs: WebSocket authorization on $connect, connection limits, message sizes and timeouts."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, fn, link, only


def chat(*, usage: dict[str, Any] | None = None, authorizer: bool = True, function: dict[str, Any] | None = None,
         **props: Any) -> Design:  # fmt: skip
    """browser → WebSocket API → send function (Lambda-authorized unless ``props`` say otherwise)."""
    components = [
        comp("web", "browser"),
        comp("chat", "api_gateway_websocket", "Chat", usage=usage, **{"auth": "lambda", **props}),
        fn("send_fn", "Send", **(function or {})),
    ]
    connections = [link("web", "chat", "request"), link("chat", "send_fn", "invoke", route_key="sendmessage")]
    if authorizer:
        components.append(fn("authz", "Check token", role="authorizer"))
        connections.append(link("chat", "authz", "authorize"))
    return design(components, connections)


def test_a_websocket_api_without_auth_lets_anyone_connect() -> None:
    finding = only(chat(auth="none", authorizer=False), "websocket-open-to-anyone")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["chat", "send_fn"]
    assert "$connect" in finding["message"] and "auth to lambda" in finding["fix"]


def test_a_connected_authorizer_unused_by_auth_none_is_pointed_out() -> None:
    assert "no one uses it" in only(chat(auth="none"), "websocket-open-to-anyone")["message"]


def test_a_websocket_api_with_an_authorizer_or_iam_is_not_open() -> None:
    assert findings(chat(), "websocket-open-to-anyone") == []
    assert findings(chat(auth="iam", authorizer=False), "websocket-open-to-anyone") == []


def test_lambda_auth_without_an_authorizer_is_an_error() -> None:
    assert only(chat(authorizer=False), "websocket-authorizer-missing")["severity"] == "error"


def test_lambda_auth_with_an_authorizer_is_fine() -> None:
    assert findings(chat(), "websocket-authorizer-missing") == []


def test_sessions_longer_than_two_hours_are_cut_by_the_connection_limit() -> None:
    finding = only(chat(usage={"avg_session_minutes": 180}), "websocket-connection-duration")
    assert finding["severity"] == "warning" and "2 hours" in finding["message"]


def test_sessions_within_two_hours_are_not_cut() -> None:
    assert findings(chat(usage={"avg_session_minutes": 120}), "websocket-connection-duration") == []


def test_sessions_longer_than_the_idle_timeout_need_a_heartbeat() -> None:
    finding = only(chat(usage={"avg_session_minutes": 30}), "websocket-idle-timeout")
    assert finding["severity"] == "info" and "heartbeat" in finding["fix"]


def test_short_sessions_need_no_heartbeat() -> None:
    assert findings(chat(), "websocket-idle-timeout") == []  # the catalog default is 10 minutes


def test_messages_above_128_kb_close_the_connection() -> None:
    finding = only(chat(usage={"avg_message_kb": 200}), "websocket-message-above-limit")
    assert finding["severity"] == "error" and "1009" in finding["message"]
    assert findings(chat(usage={"avg_message_kb": 200}), "websocket-message-above-frame-size") == []


def test_messages_above_32_kb_must_be_split_into_frames() -> None:
    finding = only(chat(usage={"avg_message_kb": 64}), "websocket-message-above-frame-size")
    assert finding["severity"] == "warning"
    assert findings(chat(usage={"avg_message_kb": 64}), "websocket-message-above-limit") == []


def test_messages_within_a_frame_are_fine() -> None:
    doc = chat(usage={"avg_message_kb": 32})
    assert findings(doc, "websocket-message-above-frame-size") == findings(doc, "websocket-message-above-limit") == []


def test_a_route_function_that_may_outlive_the_integration_timeout_is_a_warning() -> None:
    finding = only(chat(function={"timeout_s": 60}), "websocket-function-timeout-above-integration-timeout")
    assert finding["components"] == ["chat", "send_fn"] and "29 s" in finding["message"]


def test_a_route_function_within_the_integration_timeout_is_fine() -> None:
    assert findings(chat(function={"timeout_s": 29}), "websocket-function-timeout-above-integration-timeout") == []


# -- function URLs and destinations -------------------------------------------------------------------


def test_a_public_function_url_is_a_warning() -> None:
    finding = only(design([fn("hook", "Webhook", function_url="public")]), "function-url-public")
    assert finding["severity"] == "warning"
    assert "no authentication" in finding["message"] and "aws_iam" in finding["fix"]


def test_a_public_function_url_names_its_concurrency_cap() -> None:
    doc = design([fn("hook", function_url="public", reserved_concurrency=5)])
    assert "reserved concurrency (5)" in only(doc, "function-url-public")["message"]


def test_an_iam_function_url_is_not_public() -> None:
    assert findings(design([fn("hook", function_url="aws_iam")]), "function-url-public") == []


def test_an_on_failure_destination_keeps_what_asynchronous_events_would_lose() -> None:
    doc = design([comp("bus", "eventbridge_bus"), fn("consumer"), comp("failed", "sqs_queue")],
                 [link("bus", "consumer", "trigger"), link("consumer", "failed", "destination", on="failure")])  # fmt: skip
    assert findings(doc, "consumer-without-dead-letter-queue") == []


def test_an_on_success_destination_alone_does_not() -> None:
    doc = design([comp("bus", "eventbridge_bus"), fn("consumer"), comp("done", "sqs_queue")],
                 [link("bus", "consumer", "trigger"), link("consumer", "done", "destination", on="success")])  # fmt: skip
    assert only(doc, "consumer-without-dead-letter-queue")["components"] == ["bus", "consumer"]


def test_an_on_failure_destination_does_not_cover_a_stream_batch() -> None:
    doc = design([comp("stream", "kinesis_stream"), fn("consumer"), comp("failed", "sqs_queue")],
                 [link("stream", "consumer", "poll"), link("consumer", "failed", "destination", on="failure")])  # fmt: skip
    assert "blocking its shard" in only(doc, "consumer-without-dead-letter-queue")["message"]


# -- AppSync --------------------------------------------------------------------------------------------


def test_an_appsync_api_on_api_keys_alone_is_a_warning() -> None:
    finding = only(design([comp("gql", "appsync_api", "Orders")]), "appsync-api-key-expires")
    assert finding["severity"] == "warning" and "7 days" in finding["message"]


def test_an_appsync_api_on_cognito_has_no_expiring_key() -> None:
    doc = design([comp("gql", "appsync_api", auth="cognito"), comp("users", "cognito_user_pool")],
                 [link("gql", "users", "authorize")])  # fmt: skip
    assert findings(doc, "appsync-api-key-expires") == []
    assert findings(doc, "appsync-authorizer-missing") == []


def test_appsync_cognito_auth_without_a_pool_is_an_error() -> None:
    doc = design([comp("gql", "appsync_api", auth="cognito")])
    assert only(doc, "appsync-authorizer-missing")["severity"] == "error"
