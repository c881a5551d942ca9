"""A design that cannot be exported faithfully fails with a message naming the component or connection."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.document import validate_design
from apps.exporting.bundle import export_zip
from apps.exporting.plan import ExportError


def design(components: list[dict[str, Any]], connections: list[dict[str, Any]] = (), **extra: Any) -> Any:  # type: ignore[assignment]
    return validate_design(
        {
            "schema": "tierplan.design/v1",
            "name": "x",
            "components": components,
            "connections": list(connections),
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            design([{"id": "fn", "type": "lambda_function", "props": {"runtime": "java21", "role": "edge"}}]),
            "component 'fn' (lambda_function) cannot be exported: Lambda@Edge runs Node.js and Python only",
        ),
        (
            design([{"id": "fn", "type": "lambda_function", "props": {"timeout_s": 1000}}]),
            "component 'fn' (lambda_function) cannot be exported: Lambda allows a timeout of at most 900 s",
        ),
        (
            design([{"id": "db", "type": "rds_instance"}]),
            "component 'db' (rds_instance) cannot be exported: it must be inside a VPC group",
        ),
        (
            design(
                [
                    {"id": "q", "type": "sqs_queue", "props": {"visibility_timeout_s": 10}},
                    {"id": "fn", "type": "lambda_function", "props": {"timeout_s": 60}},
                ],
                [{"id": "c", "source": "q", "target": "fn", "kind": "poll"}],
            ),
            "component 'q' (sqs_queue) cannot be exported: its visibility timeout is shorter than the timeout of 'fn'",
        ),
        (
            design([{"id": "t", "type": "dynamodb_table", "props": {"partition_key": "id", "sort_key": "id"}}]),
            "component 't' (dynamodb_table) cannot be exported: its sort key must be another attribute than its partition key",
        ),
        (
            design([{"id": "api", "type": "api_gateway_rest", "props": {"auth": "cognito"}}]),
            "component 'api' (api_gateway_rest) cannot be exported: auth is 'cognito' but no cognito_user_pool is connected",
        ),
        (
            design(
                [
                    {"id": "fn", "type": "lambda_function", "group": "a"},
                    {"id": "t", "type": "dynamodb_table", "group": "b"},
                ],
                [{"id": "c", "source": "fn", "target": "t", "kind": "read"}],
                groups=[{"id": "a", "kind": "account"}, {"id": "b", "kind": "account"}],
            ),
            "connection 'c' (fn → t, read) cannot be exported: it crosses AWS accounts",
        ),
        (
            design(
                [{"id": "edge", "type": "lambda_function", "props": {"role": "edge"}, "group": "net"}],
                groups=[{"id": "net", "kind": "vpc"}],
            ),
            "component 'edge' (lambda_function) cannot be exported: Lambda@Edge functions cannot run in a VPC",
        ),
        (
            design(
                [
                    {"id": "api", "type": "api_gateway_rest"},
                    {"id": "a", "type": "lambda_function"},
                    {"id": "b", "type": "lambda_function"},
                ],
                [
                    {"id": "c1", "source": "api", "target": "a", "kind": "invoke", "props": {"route": "GET /x"}},
                    {"id": "c2", "source": "api", "target": "b", "kind": "invoke", "props": {"route": "GET /x"}},
                ],
            ),
            "connection 'c2' (api → b, invoke) cannot be exported: the API already routes GET /x to 'a'",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["sam", "cdk-python"])
def test_what_cannot_be_exported_is_refused_by_name(doc: Any, message: str, fmt: str) -> None:
    with pytest.raises(ExportError) as caught:
        export_zip(doc, fmt)
    assert str(caught.value).startswith(message), str(caught.value)
