"""A review link's page, JSON and downloads come from job artifacts: no engine runs in a web request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.designs.patterns import pattern_library
from apps.jobs.models import Artifact, Job, JobStatus
from apps.projects import services
from apps.projects.models import Project, Team
from apps.review import services as review_services
from tests.review.preparing import forbid_engines, queued_kinds, run_queued_jobs

PAGE_JOBS = [("estimate", ""), ("render", "svg"), ("review", "")]


@pytest.fixture
def shared(team: Team, alice: User, media_root: Path) -> Project:
    return services.project_create(
        team=team, user=alice, name="Shop", design=pattern_library()["spa-cloudfront-api"].design
    )


def link_token(project: Project, user: User, **options: Any) -> str:
    _, token = review_services.share_link_create(project=project, user=user, revision=None, **options)
    return token


def test_the_first_view_computes_nothing_and_says_what_is_being_prepared(
    shared: Project, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = forbid_engines(monkeypatch)
    token = link_token(shared, alice)
    page = Client().get(f"/review/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "The diagram is being prepared." in html
    assert "The cost estimate is being prepared." in html
    assert "The review of this design is being prepared." in html
    assert html.count("data-preparing ") + html.count("data-preparing>") >= 4  # total, diagram, table, cost, findings
    assert "/static/review/preparing.js" in html  # what swaps the parts in once ready
    assert 'data-component-id="cdn"' in html  # what needs no engine is there at once
    assert calls == []
    # The jobs were asked for once, on behalf of the project; asking again does not duplicate them.
    assert queued_kinds() == PAGE_JOBS
    Client().get(f"/review/{token}/")
    assert queued_kinds() == PAGE_JOBS
    assert {job.project_id for job in Job.objects.all()} == {shared.pk}


def test_once_a_worker_made_the_artifacts_the_page_shows_them_still_without_engines(
    shared: Project, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = link_token(shared, alice)
    forbid_engines(monkeypatch)
    Client().get(f"/review/{token}/")
    monkeypatch.undo()
    assert run_queued_jobs() == ["render:succeeded", "estimate:succeeded", "review:succeeded"]

    calls = forbid_engines(monkeypatch)
    html = Client().get(f"/review/{token}/").content.decode()
    assert calls == []
    assert "being prepared" not in html and "preparing.js" not in html
    assert 'class="diagram" src="data:image/svg+xml;base64,' in html
    assert 'class="curve" src="data:image/svg+xml;base64,' in html
    total = json.loads(Artifact.objects.get(job__kind="estimate", extension="json").file.read())["total_monthly_usd"]
    assert f"data-total>${total:.2f}<" in html
    findings = json.loads(Artifact.objects.get(job__kind="review").file.read())
    assert findings and all(f'data-rule="{f["rule"]}"' in html for f in findings)


def test_the_json_review_says_what_is_pending_then_returns_it(
    shared: Project, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = link_token(shared, alice)
    calls = forbid_engines(monkeypatch)
    first = APIClient().get(f"/api/review/{token}/")
    body = first.json()
    assert first.status_code == 200 and first["Retry-After"] == "3"
    assert sorted(body["pending"]) == ["diagram", "estimate", "findings"] and body["failed"] == []
    assert body["diagram_svg"] is None and body["estimate"] is None and body["findings"] is None
    assert [t["id"] for t in body["tiers"]] == ["presentation", "logic", "data"]
    assert calls == []

    monkeypatch.undo()
    run_queued_jobs()
    calls = forbid_engines(monkeypatch)
    ready = APIClient().get(f"/api/review/{token}/")
    body = ready.json()
    assert calls == [] and "Retry-After" not in ready
    assert body["pending"] == [] and body["diagram_svg"].startswith("<?xml")
    assert body["estimate"]["total_monthly_usd"] > 0 and "curve" not in body["estimate"]
    assert body["curve_svg"].startswith("<svg") or body["curve_svg"].startswith("<?xml")
    assert isinstance(body["findings"], list) and body["findings"][0]["rule"]


def test_a_download_answers_202_until_its_artifact_exists_then_serves_it(
    shared: Project, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = link_token(shared, alice, allow_downloads=True)
    calls = forbid_engines(monkeypatch)
    client = Client()
    waiting = {fmt: client.get(f"/review/{token}/download/{fmt}/") for fmt in ("svg", "png", "sam", "cdk-python")}
    for fmt, answer in waiting.items():
        assert answer.status_code == 202 and answer["Retry-After"] == "3"
        assert f"The {fmt} download of revision 1 is being prepared" in answer.content.decode()
        assert '<meta http-equiv="refresh" content="3">' in answer.content.decode()
    assert calls == []
    assert queued_kinds() == [("export", "cdk-python"), ("export", "sam"), ("render", "png"), ("render", "svg")]

    monkeypatch.undo()
    run_queued_jobs()
    forbid_engines(monkeypatch)
    svg = client.get(f"/review/{token}/download/svg/")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == 'attachment; filename="review-r1-svg.svg"'
    assert "sandbox" in svg["Content-Security-Policy"]
    assert svg.content.startswith(b"<?xml")
    sam = client.get(f"/review/{token}/download/sam/")
    assert sam.status_code == 200 and sam.content[:2] == b"PK"
    png = client.get(f"/review/{token}/download/png/")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_part_that_failed_is_shown_as_failed_and_not_asked_for_again(
    shared: Project, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = link_token(shared, alice, allow_downloads=True)
    forbid_engines(monkeypatch)
    Client().get(f"/review/{token}/")
    Client().get(f"/review/{token}/download/png/")
    Job.objects.filter(kind="render").update(
        status=JobStatus.FAILED, error="render failed: too large", finished_at=timezone.now()
    )
    html = Client().get(f"/review/{token}/").content.decode()
    assert "The diagram could not be drawn." in html and "The diagram is being prepared" not in html
    refused = Client().get(f"/review/{token}/download/png/")
    assert (
        refused.status_code == 409
        and "cannot be downloaded as png: render failed: too large" in refused.content.decode()
    )
    assert Job.objects.filter(kind="render").count() == 2  # nobody's view queued them again
    assert APIClient().get(f"/api/review/{token}/").json()["failed"] == ["diagram"]


def test_the_review_engine_runs_as_a_job_kind(as_alice: APIClient, shared: Project) -> None:
    asked = as_alice.post(f"/api/projects/{shared.pk}/jobs/", {"kind": "review"}, format="json")
    assert asked.status_code == 202
    bad = as_alice.post(f"/api/projects/{shared.pk}/jobs/", {"kind": "review", "params": {"x": 1}}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["pointer"] == "/params/x"
    run_queued_jobs()
    findings = json.loads(Artifact.objects.get(job__kind="review").file.read())
    assert findings == as_alice.get(f"/api/projects/{shared.pk}/findings/").json()


def test_labels_and_findings_written_by_the_page_are_escaped(team: Team, alice: User, media_root: Path) -> None:
    from apps.designs.document import validate_design
    from tests.conftest import design_doc

    hostile = '<img src=x onerror="alert(1)">'
    doc = design_doc()
    for component in doc["components"]:
        component["label"] = f"{hostile} {component['id']}"
    doc["components"][1]["props"] = {"auth": "none"}  # a finding that names the API by its label
    project = services.project_create(team=team, user=alice, name="Hostile", design=validate_design(doc))
    token = link_token(project, alice)
    Client().get(f"/review/{token}/")
    run_queued_jobs()
    html = Client().get(f"/review/{token}/").content.decode()
    assert "<img src=x" not in html
    assert '<option value="api">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; api (api)</option>' in html
    assert '<tr data-component-id="api"><td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; api' in html
    assert (
        'class="finding' in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html.split('id="findings"')[1]
    )
