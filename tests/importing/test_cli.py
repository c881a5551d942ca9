"""`python manage.py tierplan import FILE` as a person or a pipeline runs it: a real process."""

from __future__ import annotations

import json
from pathlib import Path

from apps.designs.document import validate_design
from tests.designs.test_cli_validate import tierplan
from tests.importing.helpers import FIXTURES


def test_a_template_is_written_as_a_design_and_summarised_on_stderr(tmp_path: Path) -> None:
    output = tmp_path / "design.json"
    result = tierplan("import", str(FIXTURES / "orders_sam.yaml"), "-o", str(output))
    assert result.returncode == 0, result.stderr
    design = validate_design(json.loads(output.read_text()))
    assert design.name == "orders_sam"
    assert "13 resources → 11 components (1 as cloudformation_resource), 9 connections" in result.stderr
    assert result.stdout == ""


def test_the_written_design_passes_validate(tmp_path: Path) -> None:
    output = tmp_path / "design.json"
    assert tierplan("import", str(FIXTURES / "pipeline_cfn.json"), "-o", str(output)).returncode == 0
    checked = tierplan("validate", str(output))
    assert checked.returncode == 0, checked.stderr


def test_dash_reads_standard_input_and_json_gives_the_design_and_the_report() -> None:
    text = (FIXTURES / "vpc_database.yaml").read_text()
    result = tierplan("import", "-", "--json", "--name", "Reports", stdin=text)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["imported"] is True
    assert data["design"]["name"] == "Reports"
    assert data["report"]["counts"]["resources"] == 7
    assert {r["logical_id"]: r["became"] for r in data["report"]["resources"]}["DbSubnets"] == "part"


def test_input_that_is_not_a_template_exits_1_with_the_reason() -> None:
    result = tierplan("import", "-", stdin="Description: no resources\n")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "standard input: cannot import: not a template: it has no Resources mapping "
        "(every template declares at least one resource)"
    )
    assert result.stdout == ""


def test_a_refusal_with_json_is_machine_readable() -> None:
    result = tierplan("import", "-", "--json", stdin="Resources:\n  A:\n    Type: !Evil x\n")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["imported"] is False
    assert data["problems"][0]["message"].startswith("unknown tag !Evil at line 3")


def test_a_missing_file_is_a_usage_error() -> None:
    result = tierplan("import", "/nonexistent/template.yaml")
    assert result.returncode == 2
    assert "cannot read /nonexistent/template.yaml" in result.stderr
