"""`python manage.py tierplan render FILE --format … -o …` as a pipeline runs it."""

from __future__ import annotations

import json
from pathlib import Path

from apps.designs.patterns import pattern_library
from tests.designs.test_cli_validate import tierplan


def pattern_json(slug: str) -> str:
    return json.dumps(pattern_library()[slug].design.canonical())


def test_it_writes_a_self_contained_svg(tmp_path: Path) -> None:
    out = tmp_path / "out.svg"
    result = tierplan("render", "-", "--format", "svg", "-o", str(out), stdin=pattern_json("three-tier-vpc"))
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    assert svg.startswith("<?xml") and "data:image/png;base64," in svg and "site-packages" not in svg
    assert f"of svg to {out}" in result.stderr


def test_png_pdf_and_dot_come_out_whole(tmp_path: Path) -> None:
    design = tmp_path / "design.json"
    design.write_text(pattern_json("storage-first"))
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"digraph tierplan")):
        out = tmp_path / f"out.{fmt}"
        result = tierplan("render", str(design), "--format", fmt, "--direction", "TB", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(magic)


def test_without_output_the_svg_goes_to_stdout() -> None:
    result = tierplan("render", "-", "--no-usage-labels", stdin=pattern_json("scheduled-job"))
    assert result.returncode == 0
    assert result.stdout.startswith("<?xml") and "</svg>" in result.stdout


def test_an_unknown_format_is_a_usage_error() -> None:
    result = tierplan("render", "-", "--format", "gif", stdin=pattern_json("scheduled-job"))
    assert result.returncode == 2
    assert '--format must be one of "svg", "png", "pdf", "dot"' in result.stderr


def test_an_invalid_design_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out.svg"
    result = tierplan("render", "-", "-o", str(out), stdin='{"schema": "tierplan.design/v1"}')
    assert result.returncode == 1
    assert "/name: this field is required" in result.stderr
    assert not out.exists()
