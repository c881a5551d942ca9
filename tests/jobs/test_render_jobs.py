"""Render jobs end to end: the API, a real Redis and real worker processes."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.designs.document import validate_design
from apps.jobs.models import Artifact, Job
from apps.projects import services
from apps.projects.models import Project, Revision
from tests.conftest import WorkerFactory, design_doc, point_celery_at
from tests.rendering.designs import chain_design


def wait_for(client: APIClient, job_id: int, statuses: set[str], timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/jobs/{job_id}/").json()
        if body["status"] in statuses:
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not reach {statuses} in {timeout} s (last: {body})")


def request_render(client: APIClient, project: Project, **params: Any) -> Any:
    return client.post(f"/api/projects/{project.pk}/jobs/", {"kind": "render", "params": params}, format="json")


def test_a_render_job_goes_from_queued_to_succeeded_and_its_artifact_downloads(
    workers: WorkerFactory, as_alice: APIClient, project: Project
) -> None:
    workers.start()
    response = request_render(as_alice, project)
    assert response.status_code == 202, response.content
    queued = response.json()
    assert queued["status"] == "queued" and queued["cached"] is False
    assert response["Location"] == f"/api/jobs/{queued['id']}/"

    done = wait_for(as_alice, queued["id"], {"succeeded", "failed"})
    assert done["status"] == "succeeded", done["error"]
    assert done["progress"] == 100 and done["attempts"] == 1
    assert done["started_at"] <= done["finished_at"]
    [artifact] = done["artifacts"]
    assert artifact["content_type"] == "image/svg+xml"

    download = as_alice.get(artifact["download_url"])
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == artifact["sha256"] and len(body) == artifact["size"]
    assert body.startswith(b"<?xml") and b"data:image/png;base64," in body
    assert download["Content-Disposition"] == 'attachment; filename="orders-r1-render.svg"'
    assert "sandbox" in download["Content-Security-Policy"]


def test_the_same_content_returns_the_cached_artifact_without_a_worker(
    workers: WorkerFactory, as_alice: APIClient, as_bob: APIClient, project: Project
) -> None:
    worker = workers.start()
    first = request_render(as_alice, project, format="png")
    done = wait_for(as_alice, first.json()["id"], {"succeeded"})
    worker.terminate()
    worker.wait(timeout=15)

    again = request_render(as_bob, project, format="png", direction="lr")  # same options, spelt differently
    assert again.status_code == 200
    assert again.json()["cached"] is True
    assert again.json()["artifacts"][0]["id"] == done["artifacts"][0]["id"]

    # Same content in a new revision (a no-op save makes none, so change and change back): still cached.
    design = validate_design(design_doc(name="Renamed"))
    services.design_save(project=project, user=project.created_by, design=design, expected_number=1)
    back = validate_design(design_doc())
    services.design_save(project=project, user=project.created_by, design=back, expected_number=2)
    cached = as_alice.post(
        f"/api/projects/{project.pk}/jobs/",
        {"kind": "render", "revision": 3, "params": {"format": "png"}},
        format="json",
    )
    assert cached.status_code == 200 and cached.json()["artifacts"][0]["id"] == done["artifacts"][0]["id"]
    assert Job.objects.count() == 1 and Artifact.objects.count() == 1


def test_an_identical_request_while_the_first_is_queued_joins_it(
    workers: WorkerFactory, as_alice: APIClient, project: Project
) -> None:
    first = request_render(as_alice, project, format="pdf")
    second = request_render(as_alice, project, format="pdf")
    assert second.status_code == 202 and second.json()["id"] == first.json()["id"]
    workers.start()
    done = wait_for(as_alice, first.json()["id"], {"succeeded"})
    assert done["artifacts"][0]["content_type"] == "application/pdf"


def test_a_worker_killed_mid_job_does_not_lose_the_job(
    workers: WorkerFactory, as_alice: APIClient, team: Any, alice: Any
) -> None:
    # A 300-component PNG takes seconds to draw: long enough to kill the worker while it runs.
    big = services.project_create(team=team, user=alice, name="Big", design=validate_design(chain_design(300)))
    short_lease = {"CELERY_VISIBILITY_TIMEOUT": "6", "JOB_LEASE_SECONDS": "6", "CELERY_RESTORE_INTERVAL": "1"}
    first = workers.start(**short_lease)
    job_id = request_render(as_alice, big, format="png").json()["id"]
    running = wait_for(as_alice, job_id, {"running", "succeeded", "failed"})
    assert running["status"] == "running", "the render finished before the worker could be killed"

    os.kill(first.pid, signal.SIGKILL)  # the whole worker process, as when a machine dies
    first.wait(timeout=10)
    assert Job.objects.get(pk=job_id).status == "running"

    workers.start(**short_lease)
    done = wait_for(as_alice, job_id, {"succeeded", "failed"}, timeout=120)
    assert done["status"] == "succeeded", done["error"]
    assert done["attempts"] == 2
    assert Artifact.objects.filter(job_id=job_id).count() == 1


def test_a_broken_revision_becomes_a_failed_job_with_a_message(
    workers: WorkerFactory, as_alice: APIClient, project: Project
) -> None:
    # Revisions are validated on the way in; simulate one damaged at rest (bypassing save()).
    Revision.objects.filter(project=project, number=1).update(design={"schema": "tierplan.design/v1"})
    workers.start()
    job_id = request_render(as_alice, project).json()["id"]
    done = wait_for(as_alice, job_id, {"succeeded", "failed"})
    assert done["status"] == "failed"
    assert done["error"].startswith("render failed: /name: this field is required")
    assert done["artifacts"] == []


def test_an_unreachable_broker_answers_503_and_leaves_no_job(
    transactional_db: Any, as_alice: APIClient, project: Project
) -> None:
    from designer.celery import app

    previous = app.conf.broker_url, app.conf.result_backend
    point_celery_at("redis://127.0.0.1:9/0", "redis://127.0.0.1:9/0")  # nothing listens on port 9
    try:
        response = request_render(as_alice, project)
    finally:
        point_celery_at(*previous)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "queue_unavailable"
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"kind": "paint"}, "/kind"),
        ({"kind": "render", "params": {"format": "gif"}}, "/params/format"),
        ({"kind": "render", "params": {"zoom": 3}}, "/params/zoom"),
        ({"kind": "render", "params": {"direction": "up"}}, "/params/direction"),
        ({"kind": "render", "revision": 9}, "/revision"),
        ({"kind": "render", "params": "svg"}, "/params"),
    ],
)
def test_bad_job_requests_are_400_and_queue_nothing(
    as_alice: APIClient, project: Project, body: dict, pointer: str
) -> None:
    response = as_alice.post(f"/api/projects/{project.pk}/jobs/", body, format="json")
    assert response.status_code == 400, response.content
    assert pointer in [d["pointer"] for d in response.json()["error"]["details"]]
    assert not Job.objects.exists()


def test_outsiders_see_no_jobs_or_artifacts(
    workers: WorkerFactory, as_alice: APIClient, as_charlie: APIClient, as_vera: APIClient, project: Project
) -> None:
    workers.start()
    job_id = request_render(as_alice, project).json()["id"]
    done = wait_for(as_alice, job_id, {"succeeded"})
    artifact_url = done["artifacts"][0]["download_url"]
    assert as_charlie.post(f"/api/projects/{project.pk}/jobs/", {"kind": "render"}, format="json").status_code == 404
    assert as_charlie.get(f"/api/jobs/{job_id}/").status_code == 404
    assert as_charlie.get(artifact_url).status_code == 404
    assert as_charlie.get(f"/api/projects/{project.pk}/jobs/").status_code == 404
    # Viewers may look at (and render) what their team designs.
    assert as_vera.get(artifact_url).status_code == 200
    listed = as_vera.get(f"/api/projects/{project.pk}/jobs/").json()
    assert [job["id"] for job in listed["results"]] == [job_id]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Orders", "orders"),
        ('Checkout "v2" / EU', "checkout-v2-eu"),
        ("Заказы", None),  # nothing ASCII is left of the name: the project's id stands in
        ("x" * 60, "x" * 40),
    ],
)
def test_download_names_say_project_revision_and_kind_and_keep_sam_and_cdk_apart(
    project: Project, name: str, expected: str | None
) -> None:
    project.name = name
    project.save()
    revision = project.revisions.get(number=1)
    names = set()
    for kind, params, extension in (
        ("render", {"format": "svg"}, "svg"),
        ("export", {"format": "sam"}, "zip"),
        ("export", {"format": "cdk-python"}, "zip"),
        ("estimate", {}, "json"),
    ):
        job = Job.objects.create(project=project, revision=revision, kind=kind, params=params, cache_key=kind)
        artifact = Artifact(job=job, project=project, content_type="x", extension=extension, size=0, sha256="0")
        names.add(artifact.download_name())
    stem = expected or f"project-{project.pk}"
    assert names == {
        f"{stem}-r1-render.svg",
        f"{stem}-r1-export-sam.zip",
        f"{stem}-r1-export-cdk-python.zip",
        f"{stem}-r1-estimate.json",
    }
