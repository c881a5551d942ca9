"""Requesting, running and finishing jobs. The task in tasks.py only calls ``job_run``.

Choice for an unreachable broker: the request fails cleanly with 503 and Retry-After, and the job row
it was about to create is removed in the same request, so no job is ever left waiting in `queued` for
a message that was never sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable
from rest_framework import status

from apps.core.errors import ApiError, ErrorDetail
from apps.core.pointers import Invalid
from apps.designs.document import DesignInvalid, validate_design
from apps.jobs.engines import Engine, EngineFailed, EngineOutput, engines, get_engine
from apps.jobs.models import Artifact, Job, JobStatus
from apps.projects.models import Project, Revision

log = logging.getLogger(__name__)

BROKER_RETRY_AFTER_SECONDS = 30


class JobBusy(Exception):
    """Another worker holds the job's lease; try again when it expires."""

    def __init__(self, retry_in: float) -> None:
        self.retry_in = max(1.0, retry_in)
        super().__init__(f"job is running elsewhere; retry in {self.retry_in:.0f} s")


class TransientJobError(Exception):
    """A failure worth retrying (database or storage hiccup); the job went back to `queued`."""


def cache_key(*, content_hash: str, kind: str, params: Mapping[str, Any], engine_version: str) -> str:
    material = json.dumps([content_hash, kind, params, engine_version], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _engine_for(kind: Any) -> Engine:
    engine = get_engine(kind) if isinstance(kind, str) else None
    if engine is None:
        kinds = ", ".join(sorted(engines()))
        raise ApiError(
            f"Unknown job kind {kind!r}; this server runs: {kinds}.",
            details=[ErrorDetail("/kind", f"must be one of {kinds}")],
        )
    return engine


def job_key(*, revision: Revision, kind: str, params: Mapping[str, Any]) -> tuple[Engine, dict[str, Any], str]:
    """The engine for ``kind``, its checked params and the cache key of that job on ``revision``.

    Raises ApiError (400) for an unknown kind or bad options. The one place a job's key is made: asking
    for a job and looking up its artifact must agree on it.
    """
    engine = _engine_for(kind)
    try:
        normalized = engine.parse_params(params)
    except Invalid as exc:
        raise ApiError(f"Invalid {kind} options: {exc}", details=exc.problems) from None
    key = cache_key(content_hash=revision.content_hash, kind=kind, params=normalized, engine_version=engine.version())
    return engine, normalized, key


def job_request(
    *, project: Project, revision: Revision, kind: str, params: Mapping[str, Any], user: User | None
) -> tuple[Job, bool]:
    """Return the job that answers this request and whether its artifact was already there.

    Same content + kind + params + engine version: the finished job is returned at once (cached), or
    the one already queued or running for it. Otherwise a new job is queued once the row is committed.
    """
    engine, normalized, key = job_key(revision=revision, kind=kind, params=params)
    done = Artifact.objects.filter(project=project, cache_key=key).select_related("job").order_by("id").first()
    if done is not None:
        return done.job, True
    running = Job.objects.filter(project=project, cache_key=key, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    in_flight = running.order_by("id").first()
    if in_flight is not None:
        return in_flight, False

    try:
        with transaction.atomic():
            # Marked as sent when created: if this process dies before the message goes out, the sweeper
            # still finds the job once it is stale.
            job = Job.objects.create(
                project=project,
                revision=revision,
                kind=kind,
                params=normalized,
                cache_key=key,
                requested_by=user,
                enqueued_at=timezone.now(),
            )
            transaction.on_commit(lambda: job_enqueue(job=job, engine=engine))
    except BrokerUnavailable as exc:
        # The row is committed but its message could not be sent: remove it rather than leave it queued.
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).delete()
        log.warning("broker unreachable, job request refused: %s", exc)
        raise ApiError(
            "The job queue is unavailable right now; nothing was queued. Try again in a moment.",
            code="queue_unavailable",
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(BROKER_RETRY_AFTER_SECONDS)},
        ) from None
    return job, False


def job_enqueue(*, job: Job, engine: Engine) -> None:
    """Send the job's message; the caller has set ``enqueued_at`` (the sweeper's clock) beforehand."""
    from apps.jobs.tasks import run_job

    # Few, fast retries: a request should not hang for long on a broker that is down.
    run_job.apply_async(
        args=[job.pk],
        queue=engine.queue,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
    )


def jobs_requeue_stale() -> int:
    """Send again the jobs whose message was lost or whose worker died; return how many.

    A running job whose lease expired is sent at once: a live worker renews its lease every
    JOB_HEARTBEAT_SECONDS, so an expired one proves the worker is gone. It is sent once per expiry; if
    that message is lost too, again after JOB_REQUEUE_AFTER_SECONDS. A queued job not claimed within
    JOB_REQUEUE_AFTER_SECONDS of being sent (Redis restarted without persistence, say) is sent again.
    Sending twice is harmless: a job is claimed by compare-and-set. Each job is marked before it is
    sent, so two sweepers never send the same job at once.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    not_sent_since_expiry = (
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=F("lease_expires_at")) | Q(enqueued_at__lt=cutoff)
    )
    stale = Job.objects.filter(
        Q(status=JobStatus.QUEUED, enqueued_at__lt=cutoff)
        | (Q(status=JobStatus.RUNNING, lease_expires_at__lt=now) & not_sent_since_expiry)
    )
    sent = 0
    for job in stale.order_by("id")[:500]:
        # Only if the row is still as read: not taken by another sweeper, not claimed or renewed since.
        as_read = Job.objects.filter(
            pk=job.pk, status=job.status, enqueued_at=job.enqueued_at, lease_expires_at=job.lease_expires_at
        )
        if not as_read.update(enqueued_at=now):
            continue
        engine = get_engine(job.kind)
        if engine is None:
            continue
        try:
            job_enqueue(job=job, engine=engine)
        except BrokerUnavailable:
            log.warning("broker unreachable; stale jobs will be sent on the next sweep")
            Job.objects.filter(pk=job.pk, enqueued_at=now).update(enqueued_at=job.enqueued_at)
            break
        sent += 1
    if sent:
        log.info("requeued %d stale job(s)", sent)
    return sent


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_claim(*, job_id: int, worker: str) -> Job | None:
    """Take the job for this worker (compare-and-set), or None when it is finished or gone.

    A queued job, or a running one whose lease expired (its worker died), can be claimed. A running
    job with a live lease raises JobBusy.
    """
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    claimed = (
        Job.objects.filter(pk=job_id)
        .filter(claimable)
        .update(
            status=JobStatus.RUNNING,
            started_at=now,
            attempts=F("attempts") + 1,
            worker=worker[:255],
            lease_expires_at=now + _lease(),
            progress=20,
            error="",
        )
    )
    job = Job.objects.select_related("revision", "project").filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    if not claimed:
        assert job.lease_expires_at is not None
        raise JobBusy((job.lease_expires_at - now).total_seconds() + 1)
    return job


def job_lease_renew(*, job: Job) -> bool:
    """Extend this attempt's lease by JOB_LEASE_SECONDS from now; False once the attempt is over.

    Compare-and-set on (job, running, attempts): a finished, released or taken-over attempt renews
    nothing, so a late heartbeat can never hold a job that another worker now owns.
    """
    return bool(
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            lease_expires_at=timezone.now() + _lease()
        )
    )


def _renew_until(job: Job, stop: threading.Event) -> None:
    try:
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            try:
                renewed = job_lease_renew(job=job)
            except DatabaseError as exc:
                # The lease has slack for a few missed beats; a longer outage lets another worker take over.
                log.warning("job %s: lease not renewed: %s", job.pk, exc, extra={"job_id": job.pk})
                continue
            if not renewed:
                if not stop.is_set():
                    log.warning("job %s: attempt %s no longer holds the job", job.pk, job.attempts)
                return
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def _heartbeat(job: Job) -> Iterator[None]:
    """Renew the job's lease from a thread of this worker process while the block runs.

    The engines stay pure: the lease lives as long as the process that runs them, and no longer.
    """
    stop = threading.Event()
    thread = threading.Thread(target=_renew_until, args=(job, stop), name=f"job-{job.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # A renewal still under way cannot outlive the attempt (compare-and-set); no need to wait long.
        thread.join(timeout=2)


def job_progress(*, job: Job, progress: int) -> None:
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(progress=progress)


def job_fail(*, job: Job, error: str) -> None:
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.FAILED, error=error[:5000], finished_at=timezone.now(), lease_expires_at=None
    )


def _release(job: Job) -> None:
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.QUEUED, lease_expires_at=None, progress=0
    )


def job_run(*, job_id: int, worker: str) -> str:
    """Claim the job, run its engine on its revision, store the artifact; return the final status.

    While the attempt runs, a heartbeat renews its lease every JOB_HEARTBEAT_SECONDS, so a short lease
    holds a long render, and a dead worker's job is free for another within JOB_LEASE_SECONDS.
    """
    job = job_claim(job_id=job_id, worker=worker)
    if job is None:
        return "skipped"
    log.info("job %s (%s) started, attempt %s", job.pk, job.kind, job.attempts, extra={"job_id": job.pk})
    if job.attempts > settings.JOB_MAX_ATTEMPTS:
        job_fail(job=job, error=f"Gave up after {settings.JOB_MAX_ATTEMPTS} attempts: the worker stopped each time.")
        return JobStatus.FAILED
    engine = _engine_for(job.kind)
    with _heartbeat(job):
        return _run_claimed(job, engine)


def _run_claimed(job: Job, engine: Engine) -> str:
    try:
        design = validate_design(job.revision.design)
        outputs = engine.run(design, job.params)
    except (EngineFailed, DesignInvalid, ValueError) as exc:
        job_fail(job=job, error=f"{job.kind} failed: {exc}")
        return JobStatus.FAILED
    except SoftTimeLimitExceeded:
        job_fail(job=job, error=f"{job.kind} took longer than {settings.JOB_SOFT_TIME_LIMIT} s and was stopped.")
        return JobStatus.FAILED
    except DatabaseError as exc:
        _release(job)
        raise TransientJobError(str(exc)) from exc
    try:
        status_ = job_finish(job=job, outputs=outputs)
        log.info("job %s %s", job.pk, status_, extra={"job_id": job.pk})
        return status_
    except (DatabaseError, OSError) as exc:
        _release(job)
        raise TransientJobError(str(exc)) from exc


def job_finish(*, job: Job, outputs: list[EngineOutput]) -> str:
    """Store the artifacts and mark the job succeeded, unless another attempt finished it first."""
    artifacts = []
    for output in outputs:
        artifact = Artifact(
            job=job,
            project=job.project,
            content_type=output.content_type,
            extension=output.extension,
            size=len(output.data),
            sha256=hashlib.sha256(output.data).hexdigest(),
            cache_key=job.cache_key,
        )
        name = artifact.file.field.generate_filename(artifact, "")
        storage = artifact.file.storage
        # Content-addressed: a file already stored under this name has these exact bytes.
        artifact.file.name = name if storage.exists(name) else storage.save(name, ContentFile(output.data))
        artifacts.append(artifact)
    with transaction.atomic():
        finished = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            status=JobStatus.SUCCEEDED, progress=100, finished_at=timezone.now(), lease_expires_at=None
        )
        if not finished:
            return "superseded"
        for artifact in artifacts:
            artifact.save()
    return JobStatus.SUCCEEDED
