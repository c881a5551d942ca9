"""The job task: fetch by id, run through the service, retry what is transient."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from apps.jobs.services import JobBusy, TransientJobError, job_run, jobs_requeue_stale


@shared_task(
    bind=True,
    name="tierplan.run_job",
    ignore_result=True,  # the job row holds the outcome; no result backend round trip
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
    soft_time_limit=settings.JOB_SOFT_TIME_LIMIT,
    time_limit=settings.JOB_TIME_LIMIT,
)
def run_job(self, job_id: int) -> str:
    """Run job ``job_id``. Safe to deliver twice: the job is claimed by compare-and-set."""
    try:
        return job_run(job_id=job_id, worker=self.request.hostname or "worker")
    except JobBusy as exc:
        if self.request.retries >= self.max_retries:
            # A live lease means a worker holds the job; should it die, the sweeper sends the job again,
            # so this duplicate message can go.
            return "busy"
        raise self.retry(countdown=exc.retry_in) from None
    except TransientJobError as exc:
        # Exponential backoff: 2, 4, 8 … seconds, capped at a minute.
        raise self.retry(exc=exc, countdown=min(60, 2 ** (self.request.retries + 1))) from None


@shared_task(name="tierplan.requeue_stale_jobs", ignore_result=True)
def requeue_stale_jobs() -> int:
    """Run by the beat scheduler every JOB_SWEEP_SECONDS (see settings.CELERY_BEAT_SCHEDULE)."""
    return jobs_requeue_stale()
