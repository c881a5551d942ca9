"""The render engine: every component and connection drawn, hostile labels literal, self-contained output."""

from __future__ import annotations

import html
import json
import re
import struct
from typing import Any

import diagrams
import graphviz
import pytest

from apps.designs.document import Design, validate_design
from apps.designs.patterns import pattern_library
from apps.rendering.engine import (
    MAX_BITMAP_INCHES,
    PNG_DPI,
    OptionsInvalid,
    RenderOptions,
    parse_params,
    render,
)
from tests.conftest import design_doc

HOSTILE = [
    "say \"hi\" and 'bye'",
    "two\nlines",
    "<<b>x</b>>",
    r"\N \G \L \l \r \E",
    '<x> URL="javascript:alert(1)" label=<y>',
    "x" * 10_000,
]


def svg_texts(svg: bytes) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


def hostile_design() -> Design:
    """Hostile labels on components, connections, a group and the design itself.

    The API caps labels at 200 characters; the engine is also exercised with 10,000 (it must not
    depend on that cap for safety), so the labels are set after validation.
    """
    doc = {
        "schema": "tierplan.design/v1",
        "name": "design",
        "groups": [{"id": "net", "kind": "vpc", "label": "vpc"}],
        "components": [{"id": f"c{i}", "type": "lambda_function", "group": "net" if i == 0 else None} for i in range(len(HOSTILE))],
        "connections": [{"id": f"e{i}", "source": f"c{i}", "target": f"c{(i + 1) % len(HOSTILE)}", "kind": "invoke"} for i in range(len(HOSTILE))],
    }  # fmt: skip
    design = validate_design(doc)
    for item, label in zip(design.components, HOSTILE, strict=True):
        item.label = label
    for item, label in zip(design.connections, HOSTILE, strict=True):
        item.label = label
    design.groups[0].label = '"><script>alert(1)</script>'
    design.name = '<<i>name</i>> \\N "quoted"'
    return design


def test_hostile_labels_render_literally_in_svg() -> None:
    svg = render(hostile_design())
    texts = svg_texts(svg)
    for label in HOSTILE:
        for line in label.split("\n"):
            assert texts.count(line) >= 2, line  # once on the node, once on the edge
    assert '<<i>name</i>> \\N "quoted"' in texts
    assert '"><script>alert(1)</script> (VPC)' in texts


def test_hostile_labels_leave_no_active_content_in_the_svg() -> None:
    svg = render(hostile_design()).decode("utf-8")
    assert "javascript:" not in svg.lower()
    assert "<b>" not in svg and "<script" not in svg and "<i>" not in svg
    assert not re.search(r'\bURL="', svg)  # no attribute injected; the text is escaped as &quot;
    assert "<a " not in svg


def test_hostile_labels_are_escaped_in_dot_and_render_in_every_format() -> None:
    dot = render(hostile_design(), RenderOptions(format="dot")).decode("utf-8")
    # Graphviz's own reading of the DOT: each node's label is the literal text, and nothing else was set.
    parsed = json.loads(graphviz.Source(dot).pipe(format="json0", quiet=True))
    nodes = {o["name"]: o for o in parsed["objects"] if o["name"].startswith("c_")}
    assert nodes["c_c4"]["label"] == '<x> URL="javascript:alert(1)" label=<y>'
    assert nodes["c_c3"]["label"] == r"\\N \\G \\L \\l \\r \\E"  # escaped backslashes: no \N expansion
    assert nodes["c_c2"]["label"] == "<<b>x</b>>"
    assert not any("URL" in node or "href" in node for node in nodes.values())
    assert render(hostile_design(), RenderOptions(format="png"))[:8] == b"\x89PNG\r\n\x1a\n"
    assert render(hostile_design(), RenderOptions(format="pdf"))[:5] == b"%PDF-"


@pytest.mark.parametrize("slug", sorted(pattern_library()))
def test_every_component_label_and_every_connection_appears(slug: str) -> None:
    design = pattern_library()[slug].design
    svg = render(design, RenderOptions(usage_labels=False))
    texts = svg_texts(svg)
    for component in design.components:
        assert component.label in texts
    body = svg.decode("utf-8")
    for connection in design.connections:
        assert f"<title>c_{connection.source}&#45;&gt;c_{connection.target}</title>" in body
        assert (connection.label or connection.kind.replace("_", " ")) in texts
    assert body.count("<use ") == len(design.components)  # one icon per component


def test_the_svg_is_self_contained() -> None:
    svg = render(pattern_library()["three-tier-vpc"].design).decode("utf-8")
    hrefs = re.findall(r'href="([^"]*)"', svg)
    assert hrefs and all(h.startswith(("data:image/png;base64,", "#tp-icon-")) for h in hrefs)
    assert "site-packages" not in svg and "/resources/" not in svg and ".png" not in svg
    # each distinct icon is embedded once
    assert svg.count("data:image/png;base64,") == len(
        {c.type for c in pattern_library()["three-tier-vpc"].design.components}
    )


def test_dot_output_names_icons_without_local_paths() -> None:
    dot = render(pattern_library()["three-tier-basic"].design, RenderOptions(format="dot")).decode("utf-8")
    images = re.findall(r'image="([^"]*)"', dot)
    assert images and all(i.startswith("resources/aws/") or i.startswith("resources/onprem/") for i in images)
    assert "site-packages" not in dot


def test_the_same_design_renders_the_same_bytes() -> None:
    design = pattern_library()["microservices"].design
    for fmt in ("svg", "dot", "png"):
        assert render(design, RenderOptions(format=fmt)) == render(design, RenderOptions(format=fmt))
    assert "c_users_api" in render(design, RenderOptions(format="dot")).decode()


def test_tiers_are_laid_out_in_tier_order() -> None:
    dot = render(pattern_library()["three-tier-vpc"].design, RenderOptions(format="dot")).decode()
    layout = json.loads(graphviz.Source(dot).pipe(format="json"))
    left = {o["name"]: float(o["bb"].split(",")[0]) for o in layout["objects"] if o["name"].startswith("cluster_tier_")}
    assert left["cluster_tier_presentation"] < left["cluster_tier_logic"] < left["cluster_tier_data"]


def test_groups_are_nested_clusters_inside_their_tiers() -> None:
    dot = render(pattern_library()["team-microservices"].design, RenderOptions(format="dot")).decode()
    assert "subgraph cluster_logic_group_orders_account {" in dot
    assert "subgraph cluster_data_group_payments_account {" in dot
    tier_block = dot[dot.index("subgraph cluster_tier_data {") :]
    assert tier_block.index("cluster_data_group_orders_account") < tier_block.index("c_orders_table")


def test_direction_and_usage_labels_are_options() -> None:
    design = pattern_library()["event-processing"].design
    assert "rankdir=TB" in render(design, RenderOptions(format="dot", direction="TB")).decode()
    with_usage = svg_texts(render(design))
    without = svg_texts(render(design, RenderOptions(usage_labels=False)))
    assert "200k invocations · 1.5k ms" in with_usage
    assert not any("invocations" in text for text in without)


def test_a_png_past_cairos_limit_is_scaled_down_not_broken() -> None:
    tall = validate_design(
        {
            "schema": "tierplan.design/v1",
            "name": "tall",
            "components": [{"id": f"q{i}", "type": "sqs_queue"} for i in range(400)],
        }
    )
    png = render(tall, RenderOptions(format="png"))
    width, height = struct.unpack(">II", png[16:24])
    assert max(width, height) <= MAX_BITMAP_INCHES * PNG_DPI <= 32767
    assert height > 30000  # it used the room it had


def test_a_failed_render_does_not_leak_its_context(monkeypatch: Any) -> None:
    design = validate_design(design_doc())
    broken = design.model_copy(deep=True)
    broken.connections[0].target = "nowhere"  # the engine trusts validated input; this breaks it midway
    with pytest.raises(KeyError):
        render(broken)
    assert diagrams.getdiagram() is None
    assert diagrams.getcluster() is None
    assert render(design)  # the next render is unaffected


def test_render_options_are_checked_and_normalized() -> None:
    assert parse_params({}) == {"format": "svg", "direction": "LR", "usage_labels": True}
    assert parse_params({"direction": "tb", "format": "pdf"}) == {
        "format": "pdf",
        "direction": "TB",
        "usage_labels": True,
    }
    with pytest.raises(OptionsInvalid) as caught:
        parse_params({"format": "gif", "zoom": 2, "usage_labels": "yes"})
    assert {p.pointer for p in caught.value.problems} == {"/params/format", "/params/zoom", "/params/usage_labels"}
