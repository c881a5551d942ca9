"""Leases, their heartbeat and the sweeper: a running job stays with a live worker and leaves a dead one at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone

from apps.designs.document import Design
from apps.jobs import services
from apps.jobs.engines import Engine, EngineOutput
from apps.jobs.models import Artifact, Job, JobStatus
from apps.jobs.services import JobBusy, job_claim, job_run, jobs_requeue_stale
from apps.jobs.tasks import run_job
from apps.projects.models import Project

ROOT = Path(__file__).resolve().parent.parent.parent


def a_job(project: Project, **fields: Any) -> Job:
    defaults = {"kind": "render", "params": {"format": "svg"}, "cache_key": "0" * 64, "enqueued_at": timezone.now()}
    return Job.objects.create(project=project, revision=project.revisions.get(number=1), **{**defaults, **fields})


def lease_of(job: Job) -> datetime | None:
    return Job.objects.values_list("lease_expires_at", flat=True).get(pk=job.pk)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def heartbeat_threads(job: Job) -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == f"job-{job.pk}-lease"]


@pytest.fixture
def engine_running(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None]], None]:
    """Make the render engine call ``body`` (the test's stand-in for a long render) and return an SVG."""

    def install(body: Callable[[], None]) -> None:
        def run(design: Design, params: Mapping[str, Any]) -> list[EngineOutput]:
            body()
            return [EngineOutput(data=b"<svg/>", content_type="image/svg+xml", extension="svg")]

        engine = Engine(kind="render", queue="slow", version=lambda: "test", parse_params=dict, run=run)
        monkeypatch.setattr(services, "_engine_for", lambda kind: engine)

    return install


def test_the_heartbeat_keeps_a_long_job_from_other_workers_and_stops_when_it_finishes(
    transactional_db: Any, project: Project, media_root: Path, settings: Any, engine_running: Any
) -> None:
    settings.JOB_LEASE_SECONDS = 1
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    job = a_job(project)
    seen: dict[str, Any] = {}

    def render_for_three_leases() -> None:
        seen["first_lease"] = lease_of(job)
        time.sleep(3 * settings.JOB_LEASE_SECONDS)
        try:
            job_claim(job_id=job.pk, worker="another")
        except JobBusy as busy:
            seen["busy"] = busy
        seen["last_lease"] = lease_of(job)

    engine_running(render_for_three_leases)
    assert job_run(job_id=job.pk, worker="first") == JobStatus.SUCCEEDED

    # Three lease lengths in, the job still belonged to its worker: the lease had been renewed.
    assert "busy" in seen, "another worker took the job over while it was running"
    assert seen["last_lease"] > seen["first_lease"] + timedelta(seconds=2 * settings.JOB_LEASE_SECONDS)
    finished = Job.objects.get(pk=job.pk)
    assert (finished.status, finished.attempts, finished.worker) == (JobStatus.SUCCEEDED, 1, "first")
    # Once finished, nothing renews the lease any more.
    assert finished.lease_expires_at is None
    assert wait_until(lambda: not heartbeat_threads(job), timeout=2)
    time.sleep(5 * settings.JOB_HEARTBEAT_SECONDS)
    assert lease_of(job) is None and Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


def test_a_superseded_attempt_stops_renewing_and_leaves_the_new_owners_lease_alone(
    transactional_db: Any, project: Project, media_root: Path, settings: Any, engine_running: Any
) -> None:
    settings.JOB_LEASE_SECONDS = 1
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    job = a_job(project)
    new_owners_lease = timezone.now() + timedelta(hours=1)
    seen: dict[str, Any] = {}

    def render_while_another_worker_takes_over() -> None:
        claimed_lease = lease_of(job)
        seen["renewed"] = wait_until(lambda: lease_of(job) != claimed_lease, timeout=3)
        # As if this worker had stalled past its lease and another had claimed the job (attempt 2).
        Job.objects.filter(pk=job.pk).update(
            attempts=F("attempts") + 1, worker="second", lease_expires_at=new_owners_lease
        )
        time.sleep(10 * settings.JOB_HEARTBEAT_SECONDS)
        seen["heartbeat_gone"] = not heartbeat_threads(job)

    engine_running(render_while_another_worker_takes_over)
    assert job_run(job_id=job.pk, worker="first") == "superseded"

    assert seen["renewed"], "the lease was not renewed while the job ran"
    assert seen["heartbeat_gone"], "the heartbeat went on after its attempt was superseded"
    after = Job.objects.get(pk=job.pk)
    assert (after.status, after.attempts, after.worker) == (JobStatus.RUNNING, 2, "second")
    assert after.lease_expires_at == new_owners_lease
    assert not Artifact.objects.filter(job=job).exists()


def test_a_second_delivery_of_a_running_job_is_told_to_retry_within_the_short_lease(
    db: Any, project: Project, settings: Any
) -> None:
    job = a_job(project)
    job_claim(job_id=job.pk, worker="first")
    with pytest.raises(JobBusy) as busy:
        job_claim(job_id=job.pk, worker="second")
    assert busy.value.retry_in <= settings.JOB_LEASE_SECONDS + 1 <= 31
    assert Job.objects.get(pk=job.pk).worker == "first"


def test_a_duplicate_message_still_finding_the_job_busy_after_its_last_retry_is_dropped_quietly(
    db: Any, project: Project
) -> None:
    job = a_job(project)
    job_claim(job_id=job.pk, worker="first")
    result = run_job.apply(args=[job.pk], retries=run_job.max_retries)
    assert result.successful(), result.traceback
    assert result.get() == "busy"
    held = Job.objects.get(pk=job.pk)
    assert (held.status, held.attempts, held.worker) == (JobStatus.RUNNING, 1, "first")


def test_the_sweeper_sends_a_job_whose_lease_expired_at_once_and_once_per_expiry(
    db: Any, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(services, "job_enqueue", lambda *, job, engine: sent.append(job.pk))
    now = timezone.now()
    # Claimed a few seconds after it was sent; its worker renews the lease.
    job = a_job(project, status=JobStatus.RUNNING, attempts=1, enqueued_at=now - timedelta(seconds=5))
    Job.objects.filter(pk=job.pk).update(lease_expires_at=now + timedelta(seconds=15))
    assert jobs_requeue_stale() == 0 and sent == []

    # The worker died: its lease ran out a moment ago. No waiting for JOB_REQUEUE_AFTER_SECONDS.
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert jobs_requeue_stale() == 1 and sent == [job.pk]
    assert jobs_requeue_stale() == 0, "sent again on every sweep while no worker was free"

    # Taken over (a fresh lease) and that worker died too: sent again at once.
    taken_over_until = timezone.now() + timedelta(milliseconds=50)
    Job.objects.filter(pk=job.pk).update(attempts=2, lease_expires_at=taken_over_until)
    assert wait_until(lambda: timezone.now() > taken_over_until, timeout=2)
    assert jobs_requeue_stale() == 1 and sent == [job.pk, job.pk]


def test_a_job_whose_lease_expired_is_claimed_by_the_next_worker(db: Any, project: Project, settings: Any) -> None:
    job = a_job(project, status=JobStatus.RUNNING, attempts=1, worker="dead")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    before = timezone.now()
    claimed = job_claim(job_id=job.pk, worker="alive")
    assert claimed is not None
    assert (claimed.attempts, claimed.worker, claimed.status) == (2, "alive", JobStatus.RUNNING)
    assert claimed.lease_expires_at is not None
    assert claimed.lease_expires_at - before >= timedelta(seconds=settings.JOB_LEASE_SECONDS)


def test_a_job_that_killed_its_worker_on_every_attempt_is_failed_after_the_last(
    db: Any, project: Project, settings: Any, engine_running: Any
) -> None:
    ran: list[bool] = []
    engine_running(lambda: ran.append(True))
    job = a_job(project, status=JobStatus.RUNNING, attempts=settings.JOB_MAX_ATTEMPTS, worker="dead")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    assert job_run(job_id=job.pk, worker="next") == JobStatus.FAILED
    failed = Job.objects.get(pk=job.pk)
    assert failed.error == f"Gave up after {settings.JOB_MAX_ATTEMPTS} attempts: the worker stopped each time."
    assert failed.lease_expires_at is None and ran == []


def test_the_local_and_production_profiles_both_run_the_beat_scheduler() -> None:
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    worker_line = next(line for line in run_sh.splitlines() if "celery" in line and " worker " in line)
    assert " -B " in worker_line
    procfile = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    beats = [command for command in procfile.values() if " beat " in command]
    assert len(beats) == 1 and "celery -A designer beat" in beats[0]
