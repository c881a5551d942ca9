"""Workers killed outright mid-render, with real Redis, worker and beat processes and the default settings.

Nothing here shortens a lease or a timeout: the defaults themselves must get a dead worker's job finished
by another worker within a minute of the kill plus the job's own run time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import redis
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from apps.designs.document import validate_design
from apps.jobs.models import Artifact, Job
from apps.projects import services
from apps.projects.models import Team
from tests.conftest import WorkerFactory
from tests.jobs.test_render_jobs import request_render, wait_for
from tests.processes import start_celery_beat, stop_processes
from tests.rendering.designs import chain_design

KILLS = 3
TAKEOVER_SECONDS = 60


def worker_process(workers: WorkerFactory, hostname: str) -> subprocess.Popen[bytes]:
    """The process behind a worker's host name (WorkerFactory names them test-<pid>-<index>@host)."""
    index = int(hostname.split("@", 1)[0].rsplit("-", 1)[1])
    return workers.processes[index]


def running_job(job_id: int, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.status != "queued":
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} was not picked up within {timeout} s")


def seconds(delta: timedelta) -> float:
    return delta.total_seconds()


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def test_a_render_whose_worker_is_killed_is_finished_elsewhere_within_a_minute_three_times_in_a_row(
    workers: WorkerFactory, as_alice: APIClient, team: Team, alice: User, tmp_path: Path
) -> None:
    log = tmp_path / "celery.log"
    beat = start_celery_beat(workers.redis_url, tmp_path / "celerybeat-schedule", log_file=log)
    try:
        # Two workers: while one renders, the other is free to run the sweeper and take the job over.
        workers.start(log_file=log)
        workers.start(log_file=log)
        takeovers: list[tuple[float, float]] = []
        for kill in range(1, KILLS + 1):
            # A 1,000-component PNG takes seconds to draw; each round draws a design of its own (no cache hit).
            design = validate_design(chain_design(1000, name=f"Big {kill}"))
            project = services.project_create(team=team, user=alice, name=f"Big {kill}", design=design)
            job_id = request_render(as_alice, project, format="png").json()["id"]

            job = running_job(job_id)
            assert job.status == "running", f"the render ended before its worker could be killed: {job.error}"
            victim = worker_process(workers, job.worker)
            time.sleep(1)  # well into the render
            os.kill(victim.pid, signal.SIGKILL)  # the whole worker process, as when a machine dies
            killed_at = timezone.now()
            victim.wait(timeout=10)
            assert Job.objects.get(pk=job_id).status == "running", "the render ended before the kill"
            workers.start(log_file=log)

            body = wait_for(as_alice, job_id, {"succeeded", "failed"}, timeout=TAKEOVER_SECONDS + 60)
            assert body["status"] == "succeeded", body["error"]
            done = Job.objects.get(pk=job_id)
            assert done.attempts == 2 and done.worker != job.worker
            assert Artifact.objects.filter(job_id=job_id).count() == 1
            assert done.started_at is not None and done.finished_at is not None
            run_time = seconds(done.finished_at - done.started_at)
            since_kill = seconds(done.finished_at - killed_at)
            takeovers.append((since_kill, run_time))
            assert since_kill <= TAKEOVER_SECONDS + run_time, (
                f"kill {kill}: finished {since_kill:.1f} s after the kill, run time {run_time:.1f} s\n{log_tail(log)}"
            )
        assert len(takeovers) == KILLS
        assert Job.objects.filter(status="succeeded").count() == KILLS
    finally:
        stop_processes([beat])
        workers.stop_all()
        # The killed workers' messages wait unacknowledged in Redis; later tests share it.
        redis.Redis.from_url(workers.redis_url).flushdb()
