"""Real-time APIs: WebSocket messages both ways (32 KB increments) and connection minutes.

Figures are hand computations from the listed prices (apps/costing/data/pricing-us-east-1.yaml):
$1.00 per million messages up to 1 billion, $0.25 per million connection minutes.
"""

from __future__ import annotations

from typing import Any

from apps.costing import estimate
from tests.costing.designs import design, lambda_fn, link, usd


def websocket(**usage: Any) -> dict[str, Any]:
    return {"id": "chat", "type": "api_gateway_websocket", "props": {}, "usage": usage}


def test_a_chat_of_1000_users_costs_messages_plus_connection_minutes() -> None:
    """10M messages of 1 KB ($10.00) and 1,000 users × 30 sessions × 10 minutes = 300,000 minutes ($0.08)."""
    result = estimate(design([websocket(messages_per_month=10_000_000)], monthly_active_users=1000))
    assert usd(result, "chat", "apigw.websocket.messages") == 10.00
    assert usd(result, "chat", "apigw.websocket.connection_minutes") == 0.08  # 0.3 × $0.25 = $0.075


def test_messages_above_32_kb_are_metered_in_32_kb_increments() -> None:
    result = estimate(
        design([websocket(messages_per_month=1_000_000, avg_message_kb=40, connection_minutes_per_month=0)])
    )
    assert usd(result, "chat", "apigw.websocket.messages") == 2.00
    assert "chat: 40 KB messages are metered as 2 messages each (32 KB increments)" in result["assumptions"]


def test_connection_minutes_given_as_usage_override_the_per_user_estimate() -> None:
    result = estimate(design([websocket(messages_per_month=0, connection_minutes_per_month=40_000_000)]))
    assert usd(result, "chat", "apigw.websocket.connection_minutes") == 10.00


def test_client_messages_reach_routes_and_posts_back_to_clients_are_billed_without_looping() -> None:
    """1M client messages; the send route's function posts each one to 10 clients: 11M messages ($11.00)."""
    doc = design(
        [{"id": "web", "type": "browser"}, websocket(connection_minutes_per_month=0), lambda_fn("send")],
        [
            link("web", "chat", "request"),
            link("chat", "send", "invoke", route_key="sendmessage"),
            link("send", "chat", "write", ratio=10),
        ],
        requests_per_month=1_000_000,
    )
    result = estimate(doc)
    assert usd(result, "chat", "apigw.websocket.messages") == 11.00
    assert usd(result, "send", "lambda.requests") == 0.20


def test_an_on_success_destination_gets_every_result_and_an_on_failure_one_its_ratio() -> None:
    """1M invocations: 1M messages to the success queue, 1% (10,000) to the failure queue."""
    doc = design(
        [lambda_fn("fn"), {"id": "done", "type": "sqs_queue"}, {"id": "failed", "type": "sqs_queue"}],
        [link("fn", "done", "destination", on="success"), link("fn", "failed", "destination", ratio=0.01)],
        requests_per_month=1_000_000,
    )
    result = estimate(doc)
    assert usd(result, "done", "sqs.standard.requests") == 0.40  # 1M × $0.40 per million
    failed = next(c for c in result["components"] if c["id"] == "failed")
    assert failed["quantities"]["messages_per_month"] == 10_000


def test_a_function_url_adds_nothing_to_what_lambda_bills() -> None:
    plain = estimate(design([lambda_fn("fn")], requests_per_month=1_000_000))
    with_url = estimate(
        design(
            [{"id": "web", "type": "browser"}, lambda_fn("fn", props={"function_url": "aws_iam"})],
            [link("web", "fn", "request")],
            requests_per_month=1_000_000,
        )
    )
    assert with_url["total_monthly_usd"] == plain["total_monthly_usd"]


def test_an_appsync_api_bills_operations_updates_and_connection_minutes() -> None:
    """2M operations × $4.00/M = $8.00; 3M updates of 8 KB = 6M metered × $2.00/M = $12.00;
    10M connection minutes × $0.08/M = $0.80."""
    api = {"id": "gql", "type": "appsync_api", "usage": {
        "requests_per_month": 2_000_000, "realtime_updates_per_month": 3_000_000, "avg_update_kb": 8,
        "connection_minutes_per_month": 10_000_000}}  # fmt: skip
    result = estimate(design([api]))
    assert usd(result, "gql", "appsync.operations") == 8.00
    assert usd(result, "gql", "appsync.realtime_updates") == 12.00
    assert usd(result, "gql", "appsync.connection_minutes") == 0.80
    assert result["total_monthly_usd"] == 20.80


def test_operations_flow_from_clients_and_resolvers_invoke_their_functions() -> None:
    doc = design(
        [{"id": "web", "type": "browser"}, {"id": "gql", "type": "appsync_api"}, lambda_fn("resolver")],
        [link("web", "gql", "request"), link("gql", "resolver", "resolve", ratio=0.5)],
        requests_per_month=1_000_000,
    )
    result = estimate(doc)
    assert usd(result, "gql", "appsync.operations") == 4.00
    assert usd(result, "resolver", "lambda.requests") == 0.10  # 500,000 × $0.20 per million
