"""Redis stops while people work: saves go on, job requests fail cleanly, and work resumes by itself."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.designs.document import validate_design
from apps.jobs.models import Job
from apps.jobs.services import jobs_requeue_stale
from apps.projects.models import Project
from tests.conftest import WorkerFactory, design_doc, point_celery_at
from tests.jobs.test_render_jobs import wait_for
from tests.processes import free_port, wait_for_port


class RedisServer:
    """A Redis of this test's own that it can stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def on_that_redis(redis: RedisServer, workers: WorkerFactory) -> Iterator[WorkerFactory]:
    from designer.celery import app

    previous = app.conf.broker_url, app.conf.result_backend
    point_celery_at(redis.url, redis.url)
    workers.redis_url = redis.url
    try:
        yield workers
    finally:
        point_celery_at(*previous)


def test_redis_going_away_and_coming_back(
    redis: RedisServer, on_that_redis: WorkerFactory, as_alice: APIClient, project: Project, settings: Any
) -> None:
    # As deployed: the same Redis is the broker and the cache that holds throttle counters and snapshots.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/1",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    on_that_redis.start()
    url = f"/api/projects/{project.pk}/jobs/"
    first = as_alice.post(url, {"kind": "render"}, format="json")
    assert wait_for(as_alice, first.json()["id"], {"succeeded"})["status"] == "succeeded"
    link = as_alice.post(f"/api/projects/{project.pk}/share-links/", {"label": "outage"}, format="json")
    token = link.json()["token"]

    redis.stop()
    refused = as_alice.post(url, {"kind": "render", "params": {"format": "pdf"}}, format="json")
    assert refused.status_code == 503 and refused["Retry-After"] == "30"
    assert Job.objects.count() == 1  # nothing left waiting for a message that was never sent
    changed = design_doc(name="Saved while Redis was down")
    saved = as_alice.put(f"/api/projects/{project.pk}/design/", changed, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200
    # Throttled and cached pages fail open rather than with a 500.
    assert APIClient().get(f"/api/review/{token}/").status_code == 200
    assert APIClient().get(f"/review/{token}/").status_code == 200

    redis.start()  # same port; the worker reconnects by itself
    point_celery_at(redis.url, redis.url)
    again = as_alice.post(url, {"kind": "render", "params": {"format": "pdf"}}, format="json")
    assert again.status_code == 202
    assert wait_for(as_alice, again.json()["id"], {"succeeded", "failed"}, timeout=90)["status"] == "succeeded"


def test_a_job_whose_message_was_lost_is_sent_again_by_the_sweeper(
    redis: RedisServer, on_that_redis: WorkerFactory, as_alice: APIClient, project: Project, settings: Any
) -> None:
    # Queued while no worker runs; then Redis restarts without persistence and the message is gone.
    job_id = as_alice.post(f"/api/projects/{project.pk}/jobs/", {"kind": "render"}, format="json").json()["id"]
    redis.stop()
    redis.start()
    point_celery_at(redis.url, redis.url)
    on_that_redis.start()
    Job.objects.filter(pk=job_id).update(
        enqueued_at=timezone.now() - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS + 1)
    )

    assert jobs_requeue_stale() == 1
    assert jobs_requeue_stale() == 0  # just sent: not stale again
    assert wait_for(as_alice, job_id, {"succeeded", "failed"}, timeout=60)["status"] == "succeeded"


def test_a_job_whose_message_never_left_the_web_process_is_swept(
    redis: RedisServer, as_alice: APIClient, project: Project, settings: Any
) -> None:
    from designer.celery import app

    # Inside this test's transaction the on-commit send never runs: as if the web process died right
    # after committing the job. It is still marked as sent, so the sweeper picks it up once stale.
    settings.JOB_REQUEUE_AFTER_SECONDS = 0
    job_id = as_alice.post(f"/api/projects/{project.pk}/jobs/", {"kind": "render"}, format="json").json()["id"]
    assert Job.objects.get(pk=job_id).enqueued_at is not None
    previous = app.conf.broker_url, app.conf.result_backend
    point_celery_at(redis.url, redis.url)
    try:
        assert jobs_requeue_stale() == 1
    finally:
        point_celery_at(*previous)


def test_the_sweeper_takes_over_a_running_job_whose_lease_expired(
    on_that_redis: WorkerFactory, as_alice: APIClient, project: Project
) -> None:
    job_id = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "render", "params": {"format": "dot"}}, format="json"
    ).json()["id"]
    # As if a worker claimed it and then died: running, lease expired, message long gone.
    long_ago = timezone.now() - timedelta(hours=1)
    Job.objects.filter(pk=job_id).update(status="running", attempts=1, lease_expires_at=long_ago, enqueued_at=long_ago)
    on_that_redis.start()
    assert jobs_requeue_stale() == 1
    done = wait_for(as_alice, job_id, {"succeeded", "failed"}, timeout=60)
    assert done["status"] == "succeeded" and done["attempts"] == 2


def test_saving_designs_needs_no_redis(transactional_db: Any, as_alice: APIClient, project: Project) -> None:
    from designer.celery import app

    previous = app.conf.broker_url, app.conf.result_backend
    point_celery_at("redis://127.0.0.1:9/0", "redis://127.0.0.1:9/0")
    try:
        design = validate_design(design_doc(name="Offline"))
        response = as_alice.put(
            f"/api/projects/{project.pk}/design/", design.canonical(), format="json", HTTP_IF_MATCH='"1"'
        )
    finally:
        point_celery_at(*previous)
    assert response.status_code == 200 and response.json()["revision"]["number"] == 2
