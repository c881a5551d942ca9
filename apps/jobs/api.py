"""Jobs and artifacts API (ARCHITECTURE §5)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth import signed_in
from apps.core.errors import ApiError, ErrorDetail
from apps.core.openapi import errors
from apps.core.pagination import PaginatedListApi, paginated
from apps.core.throttling import JobThrottle
from apps.jobs import services
from apps.jobs.models import Artifact, Job
from apps.jobs.serializers import JobRequestResultSerializer, JobRequestSerializer, JobSerializer
from apps.projects import selectors

# User-derived SVG must never run as a page of ours: downloads are attachments with no active content.
DOWNLOAD_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"


class ProjectJobsApi(PaginatedListApi):
    throttle_classes = [JobThrottle]

    @extend_schema(responses=JobSerializer(many=True), summary="Jobs of a project, newest first")
    def get(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        jobs = project.jobs.select_related("revision", "requested_by").prefetch_related(
            "artifacts__job__revision", "artifacts__project"
        )
        return paginated(request, self, jobs, JobSerializer)

    @extend_schema(
        request=JobRequestSerializer,
        responses={
            202: JobRequestResultSerializer,
            200: JobRequestResultSerializer,
            **errors(503, e503="The job queue is unavailable; nothing was queued. Try again after Retry-After."),
        },
        summary="Run an engine on a revision: 202 queued, or 200 with the cached artifact",
    )
    def post(self, request: Request, project_id: int) -> Response:
        user = signed_in(request)
        project, _ = selectors.project_get(user=user, project_id=project_id)
        data = JobRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = data.validated_data.get("revision") or project.head_number
        revision = project.revisions.filter(number=number).first()
        if revision is None:
            raise ApiError(
                f"Project {project.pk} has no revision {number}.",
                details=[ErrorDetail("/revision", f"no revision {number} (newest is {project.head_number})")],
            )
        job, cached = services.job_request(
            project=project,
            revision=revision,
            kind=data.validated_data["kind"],
            params=data.validated_data["params"],
            user=user,
        )
        body = JobRequestResultSerializer(job).data | {"cached": cached}
        code = status.HTTP_200_OK if cached else status.HTTP_202_ACCEPTED
        return Response(body, status=code, headers={"Location": body["url"]})


class JobApi(APIView):
    @extend_schema(responses=JobSerializer, summary="A job's status, progress, error and artifacts")
    def get(self, request: Request, job_id: int) -> Response:
        job = Job.objects.select_related("revision", "requested_by").filter(pk=job_id).first()
        if job is None:
            raise NotFound("No job with that id.")
        selectors.project_get(user=signed_in(request), project_id=job.project_id)
        return Response(JobSerializer(job).data)


class ArtifactDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="Download an artifact")
    def get(self, request: Request, artifact_id: int) -> FileResponse:
        artifact = Artifact.objects.select_related("job__revision", "project").filter(pk=artifact_id).first()
        if artifact is None:
            raise NotFound("No artifact with that id.")
        selectors.project_get(user=signed_in(request), project_id=artifact.project_id)
        response = FileResponse(
            artifact.file.open("rb"),
            as_attachment=True,
            filename=artifact.download_name(),
            content_type=artifact.content_type,
        )
        response["Content-Security-Policy"] = DOWNLOAD_CSP
        response["X-Content-Type-Options"] = "nosniff"
        response["ETag"] = f'"{artifact.sha256}"'
        return response
