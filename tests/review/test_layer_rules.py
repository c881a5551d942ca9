"""Layers: a function using a layer built for another runtime family or architecture."""

from __future__ import annotations

from apps.review.rules import runtimes
from tests.review.designs import comp, design, findings, fn, link, only


def test_a_layer_for_another_language_or_architecture_is_a_warning_naming_both() -> None:
    doc = design(
        [fn("api", "Orders API", runtime="nodejs22.x", architecture="arm64"), comp("shared", "lambda_layer", "Shared")],
        [link("api", "shared", "layer")],
    )
    finding = only(doc, "layer-runtime-mismatch")
    assert finding["severity"] == "warning" and finding["components"] == ["api", "shared"]
    assert "built for Python 3.13" in finding["message"] and "Node.js 22" in finding["message"]
    assert "x86_64 code" in finding["message"] and "arm64" in finding["message"]


def test_a_layer_of_the_same_family_and_architecture_is_fine() -> None:
    doc = design(
        [fn("api", runtime="python3.12"), comp("shared", "lambda_layer", runtime="python3.13")],
        [link("api", "shared", "layer")],
    )
    assert findings(doc, "layer-runtime-mismatch") == []
    assert runtimes.RULES[-1].id == "layer-runtime-mismatch"
