"""Jobs (one engine run over one revision) and the artifacts they produce."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from apps.projects.models import Project, Revision


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Job(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # sha256 of revision content + kind + params + engine version: equal keys give equal artifacts.
    cache_key = models.CharField(max_length=64, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A worker owns a running job until its lease expires; a redelivered message may then take it over
    # (the first worker died). `attempts` tells the attempts apart when they race to finish.
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True)
    # When the job's message was last handed to the broker (the sweeper re-sends lost ones).
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "cache_key", "status"], name="job_cache_lookup")]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


def artifact_path(artifact: Artifact, filename: str) -> str:
    # Content-addressed and ours: never derived from user text.
    return f"artifacts/{artifact.project_id}/{artifact.sha256}.{artifact.extension}"


class Artifact(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="artifacts")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="artifacts")
    file = models.FileField(upload_to=artifact_path, max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=16)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    cache_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"artifact {self.pk} of job {self.job_id}"

    def download_name(self) -> str:
        """File name offered to the browser: ``<project>-r<revision>-<kind>.<ext>``, the project as an ASCII
        slug of its name (or ``project-<id>`` when nothing of the name is left), an export's kind naming
        its format, so that SAM and CDK bundles of one revision download apart."""
        project = slugify(self.project.name)[:40].strip("-_") or f"project-{self.project_id}"
        kind = self.job.kind
        if kind == "export":
            kind = f"export-{self.job.params.get('format', 'sam')}"
        return f"{project}-r{self.job.revision.number}-{kind}.{self.extension}"
