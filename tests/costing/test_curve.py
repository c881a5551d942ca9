"""Cost curves: log-spaced traffic, non-decreasing totals, and a safe, self-contained SVG chart."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from apps.core.pointers import Invalid
from apps.costing import cost_curve, cost_curve_svg
from apps.designs.patterns import pattern_library
from tests.costing.designs import design, lambda_fn, link

SVG = "{http://www.w3.org/2000/svg}"


def test_a_curve_has_sixty_log_spaced_points_from_a_thousand_to_a_billion() -> None:
    curve = cost_curve(pattern_library()["api-lambda-dynamodb"].design)
    xs = [point["requests_per_month"] for point in curve["points"]]
    assert len(xs) == 60
    assert xs[0] == 1e3 and xs[-1] == 1e9
    steps = [math.log10(b) - math.log10(a) for a, b in zip(xs, xs[1:], strict=False)]
    assert max(steps) - min(steps) < 1e-6
    assert curve["tiers"] == ["presentation", "logic", "data"]


@pytest.mark.parametrize("slug", sorted(pattern_library()))
def test_every_patterns_total_cost_never_falls_as_traffic_grows(slug: str) -> None:
    curve = cost_curve(pattern_library()[slug].design, points=20)
    totals = [point["total_monthly_usd"] for point in curve["points"]]
    assert totals == sorted(totals)
    for point in curve["points"]:
        assert all(value >= 0 for value in point["by_tier"].values())


def test_fixed_usage_stays_flat_while_traffic_driven_costs_grow() -> None:
    curve = cost_curve(pattern_library()["three-tier-vpc"].design, points=5)
    data = [point["by_tier"]["data"] for point in curve["points"]]
    logic = [point["by_tier"]["logic"] for point in curve["points"]]
    assert len(set(data)) == 1  # RDS and ElastiCache are always on
    assert logic[-1] > 50 * logic[0]  # Cognito users are fixed; API and function costs grow


def test_the_free_tier_curve_starts_lower() -> None:
    doc = design([{"id": "web", "type": "browser"}, {"id": "api", "type": "api_gateway_http"}, lambda_fn()],
                 [link("web", "api", "request"), link("api", "fn", "invoke")])  # fmt: skip
    paid, free = cost_curve(doc, points=3), cost_curve(doc, points=3, free_tier=True)
    assert free["points"][0]["total_monthly_usd"] <= paid["points"][0]["total_monthly_usd"]


@pytest.mark.parametrize("points", [0, 1, 501, 2.5, True])
def test_a_bad_number_of_points_is_refused(points: object) -> None:
    with pytest.raises(Invalid) as caught:
        cost_curve(pattern_library()["s3-website"].design, points=points)  # type: ignore[arg-type]
    assert caught.value.problems[0].pointer == "/params/points"


def test_the_svg_is_well_formed_with_a_line_per_tier_and_the_total() -> None:
    svg = cost_curve_svg(cost_curve(pattern_library()["three-tier-vpc"].design, points=12))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 4  # total, presentation, logic, data
    assert all(len(line.get("points", "").split()) == 12 for line in lines)


def test_the_svg_has_no_external_references_or_scripts() -> None:
    text = cost_curve_svg(cost_curve(pattern_library()["spa-cloudfront-api"].design, points=6)).decode()
    without_namespace = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for forbidden in ("href", "http:", "https:", "url(", "<script", "<image", "<foreignObject", "@import", "on"):
        if forbidden == "on":
            assert " onload=" not in text and " onclick=" not in text
        else:
            assert forbidden not in without_namespace


def test_user_text_in_the_svg_is_escaped() -> None:
    doc = design([{"id": "web", "type": "browser"}])
    doc.name = 'Evil <script>alert("x")</script> & \x01 co'
    doc.tiers[0].label = "<b onclick='x'>tier</b>"
    text = cost_curve_svg(cost_curve(doc, points=2)).decode()
    ET.fromstring(text.encode())
    assert "<script>" not in text and "<b " not in text
    assert "&lt;script&gt;" in text and "&amp;" in text and "\x01" not in text


def test_the_svg_is_deterministic() -> None:
    curve = cost_curve(pattern_library()["microservices"].design, points=8)
    assert cost_curve_svg(curve) == cost_curve_svg(curve)


def test_an_svg_needs_a_curve_with_points() -> None:
    with pytest.raises(Invalid):
        cost_curve_svg({"points": []})
