"""Exports from the command line, through the job pipeline, and the generated CDK app run as a user runs it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from rest_framework.test import APIClient

from apps.designs.patterns import pattern_library
from apps.exporting.bundle import cdk_files
from apps.projects.models import Project
from tests.conftest import WorkerFactory
from tests.designs.test_cli_validate import tierplan
from tests.exporting.conftest import cdk_environment, write_files
from tests.jobs.test_render_jobs import wait_for


def pattern_json(slug: str) -> str:
    return json.dumps(pattern_library()[slug].design.canonical())


def test_the_cli_writes_a_sam_application_and_checks_it(tmp_path: Path) -> None:
    out = tmp_path / "app"
    result = tierplan("export", "-", "--format", "sam", "-o", str(out), "--check", stdin=pattern_json("storage-first"))
    assert result.returncode == 0, result.stderr
    assert "cfn-lint and the SAM translator found no errors" in result.stderr
    assert (out / "template.yaml").is_file() and (out / "src" / "worker" / "app.py").is_file()


def test_the_cli_writes_a_zip_and_refuses_to_overwrite_a_directory(tmp_path: Path) -> None:
    result = tierplan(
        "export", "-", "--format", "cdk-python", "-o", str(tmp_path / "app.zip"), stdin=pattern_json("scheduled-job")
    )
    assert result.returncode == 0, result.stderr
    assert "app.py" in zipfile.ZipFile(tmp_path / "app.zip").namelist()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    refused = tierplan(
        "export", "-", "--format", "sam", "-o", str(tmp_path / "busy"), stdin=pattern_json("scheduled-job")
    )
    assert refused.returncode == 2 and "not empty" in refused.stderr
    assert (tmp_path / "busy" / "keep.txt").read_text() == "mine"


def test_the_cli_names_the_component_it_cannot_export(tmp_path: Path) -> None:
    doc = {"schema": "tierplan.design/v1", "name": "x", "components": [{"id": "db", "type": "rds_instance"}]}
    result = tierplan("export", "-", "--format", "sam", "-o", str(tmp_path / "out"), stdin=json.dumps(doc))
    assert result.returncode == 1
    assert "cannot export: component 'db' (rds_instance)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = tierplan(
        "export", "-", "--format", "terraform", "-o", str(tmp_path / "o"), stdin=pattern_json("scheduled-job")
    )
    assert result.returncode == 2 and '"sam", "cdk-python"' in result.stderr


def test_the_generated_cdk_app_synthesizes_with_python_app_py(tmp_path: Path) -> None:
    app = write_files(cdk_files(pattern_library()["single-domain"].design), tmp_path / "app")
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=app, capture_output=True, text=True, env=cdk_environment(), timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    template = json.loads(next((app / "cdk.out").glob("*.template.json")).read_text())
    types = {r["Type"] for r in template["Resources"].values()}
    assert {
        "AWS::CloudFront::Distribution",
        "AWS::ApiGateway::RestApi",
        "AWS::Lambda::Function",
        "AWS::DynamoDB::Table",
    } <= types


def test_an_export_job_runs_on_a_worker_and_its_zip_downloads(
    workers: WorkerFactory, as_alice: APIClient, team: Any, alice: Any
) -> None:
    from apps.projects import services

    project: Project = services.project_create(
        team=team, user=alice, name="Edge", design=pattern_library()["secured-edge"].design
    )
    workers.start()
    response = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "export", "params": {"format": "sam"}}, format="json"
    )
    assert response.status_code == 202, response.content
    done = wait_for(as_alice, response.json()["id"], {"succeeded", "failed"})
    assert done["status"] == "succeeded", done["error"]
    artifact = done["artifacts"][0]
    assert artifact["content_type"] == "application/zip" and artifact["filename"] == "edge-r1-export-sam.zip"
    body = b"".join(as_alice.get(artifact["download_url"]).streaming_content)
    assert "template.yaml" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_an_export_that_cannot_be_made_fails_the_job_with_the_reason(
    workers: WorkerFactory, as_alice: APIClient, team: Any, alice: Any
) -> None:
    from apps.designs.document import validate_design
    from apps.projects import services

    doc = {"schema": "tierplan.design/v1", "name": "x", "components": [{"id": "db", "type": "rds_instance"}]}
    project = services.project_create(team=team, user=alice, name="Bad", design=validate_design(doc))
    workers.start()
    job = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "export", "params": {"format": "cdk-python"}}, format="json"
    ).json()
    done = wait_for(as_alice, job["id"], {"succeeded", "failed"})
    assert done["status"] == "failed"
    assert "component 'db' (rds_instance) cannot be exported" in done["error"]


def test_export_options_are_checked_before_anything_is_queued(as_alice: APIClient, project: Project) -> None:
    for params, pointer in (
        ({}, "/params/format"),
        ({"format": "tf"}, "/params/format"),
        ({"format": "sam", "zip": 1}, "/params/zip"),
    ):
        response = as_alice.post(
            f"/api/projects/{project.pk}/jobs/", {"kind": "export", "params": params}, format="json"
        )
        assert response.status_code == 400
        assert pointer in [d["pointer"] for d in response.json()["error"]["details"]]
    assert not project.jobs.exists()
