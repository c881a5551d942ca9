"""Operations: logging and tracing switched off."""

from __future__ import annotations

import pytest

from tests.review.designs import comp, design, findings, fn, link, only


@pytest.mark.parametrize("component_type", ["lambda_function", "api_gateway_rest", "api_gateway_http", "cloudfront"])
def test_logging_switched_off_is_a_warning(component_type: str) -> None:
    finding = only(design([comp("thing", component_type, "Thing", logging=False)]), "logging-disabled")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["thing"]
    assert "“Thing” (thing)" in finding["message"]


def test_logging_left_on_is_fine() -> None:
    doc = design([fn("fn"), comp("api", "api_gateway_http"), comp("cdn", "cloudfront", logging=True)])
    assert findings(doc, "logging-disabled") == []


@pytest.mark.parametrize("component_type", ["lambda_function", "api_gateway_rest", "step_functions"])
def test_tracing_switched_off_is_an_info(component_type: str) -> None:
    finding = only(design([comp("thing", component_type, tracing=False)]), "tracing-disabled")
    assert finding["severity"] == "info"
    assert "X-Ray" in finding["message"]


def test_tracing_left_on_is_fine() -> None:
    doc = design([fn("fn"), comp("api", "api_gateway_rest"), comp("flow", "step_functions", tracing=True)])
    assert findings(doc, "tracing-disabled") == []


def test_an_edge_function_without_tracing_is_fine_since_lambda_at_edge_has_none() -> None:
    doc = design([comp("cdn", "cloudfront"), fn("edge_fn", role="edge", tracing=False)],
                 [link("cdn", "edge_fn", "edge")])  # fmt: skip
    assert findings(doc, "tracing-disabled") == []
