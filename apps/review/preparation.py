"""What a review link shows is made by jobs; a web request only looks the artifacts up or asks for them.

Nothing here runs an engine. Each part of a review (the diagram, the estimate and its curve, the
findings, each download) is the artifact of one job, found by the same content-addressed cache key the
jobs service uses. A part is *ready* (its artifacts exist), *pending* (a job is queued or running; one
is asked for when none is), or *failed* (its last job failed: not asked again for FAILED_RETRY_AFTER,
so a link holder cannot make the workers redo a failing render on every page view).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from apps.core.errors import ApiError
from apps.jobs.models import Artifact, Job, JobStatus
from apps.jobs.services import BROKER_RETRY_AFTER_SECONDS, job_key, job_request
from apps.projects.models import Project, Revision

log = logging.getLogger(__name__)

# What the review page and its JSON twin show, by part: the job kind and params that make it.
PAGE_PARTS: dict[str, tuple[str, dict[str, Any]]] = {
    "diagram": ("render", {"format": "svg"}),
    "estimate": ("estimate", {}),
    "findings": ("review", {}),
}
# What a link that allows downloads offers, by format.
DOWNLOAD_PARTS: dict[str, tuple[str, dict[str, Any]]] = {
    "svg": ("render", {"format": "svg"}),
    "png": ("render", {"format": "png"}),
    "sam": ("export", {"format": "sam"}),
    "cdk-python": ("export", {"format": "cdk-python"}),
}
FAILED_RETRY_AFTER = timedelta(hours=1)
# How long a client should wait before asking again for a part being prepared.
RETRY_AFTER_SECONDS = 3
QUEUE_DOWN_KEY = "review-preparation:queue-down"

State = Literal["ready", "pending", "failed"]


@dataclass(frozen=True)
class Part:
    state: State
    artifacts: list[Artifact] = field(default_factory=list)
    error: str = ""

    def artifact(self, extension: str) -> Artifact | None:
        return next((a for a in self.artifacts if a.extension == extension), None)


class _Asker:
    """Asks for missing jobs on behalf of the link's project, unless the queue was just found unreachable.

    job_request waits for the broker (a few retries) before giving up. Once it has, this process asks
    nothing for BROKER_RETRY_AFTER_SECONDS: during an outage, page views stay fast and show their parts
    as being prepared, and the first view after it asks again.
    """

    def __init__(self) -> None:
        self.queue_down = bool(cache.get(QUEUE_DOWN_KEY))

    def request(
        self, *, project: Project, revision: Revision, kind: str, params: Mapping[str, Any], user: User | None
    ) -> None:
        if self.queue_down:
            return
        try:
            # Jobs of a review link are the project's; requested_by is nullable (the creator may be gone).
            job_request(project=project, revision=revision, kind=kind, params=params, user=user)
        except ApiError as exc:
            if exc.code != "queue_unavailable":
                raise
            self.queue_down = True
            cache.set(QUEUE_DOWN_KEY, True, BROKER_RETRY_AFTER_SECONDS)
            log.warning("job queue unreachable; review parts stay pending")


def _failed_recently(job: Job) -> bool:
    if job.status != JobStatus.FAILED:
        return False
    return job.finished_at is None or job.finished_at > timezone.now() - FAILED_RETRY_AFTER


def _part(
    *, project: Project, revision: Revision, kind: str, params: Mapping[str, Any], user: User | None, asker: _Asker
) -> Part:
    _, _, key = job_key(revision=revision, kind=kind, params=params)
    artifacts = list(Artifact.objects.filter(project=project, cache_key=key).order_by("id"))
    if artifacts:
        # Two jobs may have raced to the same key; their outputs are equal, keep the first job's.
        first_job = artifacts[0].job_id
        return Part("ready", [a for a in artifacts if a.job_id == first_job])
    last = Job.objects.filter(project=project, cache_key=key).order_by("-id").first()
    if last is not None and not last.finished:
        return Part("pending")
    if last is not None and _failed_recently(last):
        return Part("failed", error=last.error)
    asker.request(project=project, revision=revision, kind=kind, params=params, user=user)
    return Part("pending")


def parts_prepare(
    *, project: Project, revision: Revision, wanted: Mapping[str, tuple[str, dict[str, Any]]], user: User | None
) -> dict[str, Part]:
    """The state of each wanted part of ``revision``, asking for a job for each part that has none.

    Never runs an engine: a missing part is queued (deduplicated by its cache key) and reported pending.
    """
    asker = _Asker()
    return {
        name: _part(project=project, revision=revision, kind=kind, params=params, user=user, asker=asker)
        for name, (kind, params) in wanted.items()
    }


def artifact_bytes(artifact: Artifact) -> bytes:
    with artifact.file.open("rb") as stored:
        return stored.read()


def artifact_json(artifact: Artifact) -> Any:
    return json.loads(artifact_bytes(artifact))
