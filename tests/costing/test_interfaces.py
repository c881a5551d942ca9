"""Estimates through the job pipeline, the CLI and the revision diff API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rest_framework.test import APIClient

from apps.designs.document import validate_design
from apps.designs.patterns import pattern_library
from apps.projects import services
from apps.projects.models import Project
from tests.conftest import WorkerFactory, design_doc
from tests.designs.test_cli_validate import tierplan
from tests.jobs.test_render_jobs import wait_for


def test_an_estimate_job_stores_the_estimate_json_and_the_cost_curve_chart(
    workers: WorkerFactory, as_alice: APIClient, project: Project
) -> None:
    workers.start()
    response = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "estimate", "params": {"free_tier": True}}, format="json"
    )
    assert response.status_code == 202, response.content
    done = wait_for(as_alice, response.json()["id"], {"succeeded", "failed"})
    assert done["status"] == "succeeded", done["error"]
    by_type = {a["content_type"]: a for a in done["artifacts"]}
    assert set(by_type) == {"application/json", "image/svg+xml"}
    estimate = json.loads(b"".join(as_alice.get(by_type["application/json"]["download_url"]).streaming_content))
    assert {
        "currency",
        "region",
        "pricing_date",
        "free_tier",
        "total_monthly_usd",
        "by_tier",
        "components",
        "assumptions",
    } <= set(estimate)
    assert estimate["free_tier"] is True and estimate["currency"] == "USD"
    assert len(estimate["curve"]["points"]) == 60
    chart = b"".join(as_alice.get(by_type["image/svg+xml"]["download_url"]).streaming_content)
    assert chart.startswith(b"<svg") or b"<svg" in chart[:200]

    again = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "estimate", "params": {"free_tier": True}}, format="json"
    )
    assert again.status_code == 200 and again.json()["cached"] is True


def test_estimate_options_are_checked(as_alice: APIClient, project: Project) -> None:
    response = as_alice.post(
        f"/api/projects/{project.pk}/jobs/",
        {"kind": "estimate", "params": {"free_tier": "yes", "workload": {"requests_per_month": -3}}},
        format="json",
    )
    assert response.status_code == 400
    assert {d["pointer"] for d in response.json()["error"]["details"]} == {
        "/params/free_tier",
        "/params/workload/requests_per_month",
    }


def test_the_cli_prints_a_readable_estimate_and_json_and_the_curve(tmp_path: Path) -> None:
    doc = json.dumps(pattern_library()["three-tier-basic"].design.canonical())
    human = tierplan("estimate", "-", stdin=doc)
    assert human.returncode == 0, human.stderr
    assert "a month (us-east-1, prices of" in human.stdout and "Assumptions:" in human.stdout
    machine = tierplan(
        "estimate",
        "-",
        "--json",
        "--free-tier",
        "--requests",
        "1000",
        "--curve-svg",
        str(tmp_path / "c.svg"),
        stdin=doc,
    )
    result = json.loads(machine.stdout)
    assert result["free_tier"] is True and result["total_monthly_usd"] >= 0
    assert (tmp_path / "c.svg").read_bytes().lstrip().startswith((b"<svg", b"<?xml"))


def test_the_cli_refuses_absurd_usage_naming_the_field() -> None:
    doc = design_doc()
    doc["components"][2]["usage"] = {"requests_per_month": 1e16}
    result = tierplan("estimate", "-", stdin=json.dumps(doc))
    assert result.returncode == 1
    assert "/components/2/usage/requests_per_month" in result.stderr
    bad_option = tierplan("estimate", "-", "--hours", "9999", stdin=json.dumps(design_doc()))
    assert bad_option.returncode == 2 and "/params/hours_per_month" in bad_option.stderr


def test_the_revision_diff_includes_what_the_change_costs(as_alice: APIClient, project: Project, alice: Any) -> None:
    bigger = design_doc()
    bigger["components"][2]["props"] = {"memory_mb": 3008}
    bigger["workload"] = {"requests_per_month": 50_000_000}
    services.design_save(project=project, user=alice, design=validate_design(bigger), expected_number=1)
    diff = as_alice.get(f"/api/projects/{project.pk}/revisions/2/diff/").json()
    cost = diff["cost"]
    assert cost["new_total_monthly_usd"] > cost["old_total_monthly_usd"]
    assert cost["total_delta_usd"] == round(cost["new_total_monthly_usd"] - cost["old_total_monthly_usd"], 2)
    changed = {c["id"]: c for c in cost["components"]}
    assert changed["orders_fn"]["delta_usd"] > 0
