"""`python manage.py tierplan validate FILE` as a CI pipeline runs it: a real process, exit status, output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, design_doc


def tierplan(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "tierplan", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_valid_file_passes_with_exit_status_0(tmp_path: Path) -> None:
    path = tmp_path / "design.json"
    path.write_text(json.dumps(design_doc()))
    result = tierplan("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "'Orders' is a valid tierplan.design/v1 document (4 components, 3 connections, 0 groups)" in result.stdout


def test_dash_reads_standard_input_and_json_gives_a_machine_readable_summary() -> None:
    result = tierplan("validate", "-", "--json", stdin=json.dumps(design_doc()))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["valid"] is True
    assert summary["components"] == 4
    assert len(summary["content_hash"]) == 64


def test_an_invalid_design_lists_every_problem_by_pointer_and_exits_1() -> None:
    doc = design_doc()
    doc["components"][2]["props"] = {"memory_mb": 1}
    doc["connections"][0]["target"] = "nowhere"
    result = tierplan("validate", "-", stdin=json.dumps(doc))
    assert result.returncode == 1
    assert "standard input: invalid design (2 problem(s)):" in result.stderr
    assert "/components/2/props/memory_mb: must be at least 128" in result.stderr
    assert "/connections/0/target: no component has the id 'nowhere'" in result.stderr
    assert result.stdout == ""


def test_json_output_of_an_invalid_design_names_the_pointers() -> None:
    result = tierplan("validate", "-", "--json", stdin='{"schema": "tierplan.design/v1"}')
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "valid": False,
        "problems": [{"pointer": "/name", "message": "this field is required"}],
    }


def test_malformed_json_says_where_it_breaks() -> None:
    result = tierplan("validate", "-", stdin='{"schema": ')
    assert result.returncode == 1
    assert "malformed JSON: Expecting value at line 1, column 12" in result.stderr


def test_a_missing_file_is_a_usage_error_with_exit_status_2(tmp_path: Path) -> None:
    result = tierplan("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "nope.json" in result.stderr


def test_output_writes_the_normalized_document(tmp_path: Path) -> None:
    out = tmp_path / "normalized.json"
    result = tierplan("validate", "-", "-o", str(out), stdin=json.dumps(design_doc()))
    assert result.returncode == 0, result.stderr
    written = json.loads(out.read_text())
    assert [c["tier"] for c in written["components"]] == ["presentation", "logic", "logic", "data"]


def test_a_missing_verb_is_a_usage_error() -> None:
    result = tierplan()
    assert result.returncode != 0
    assert "VERB" in result.stderr
