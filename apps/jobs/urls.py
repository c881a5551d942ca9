from django.urls import path

import apps.core.converters  # noqa: F401  (registers the "id" converter)
from apps.jobs import api

urlpatterns = [
    path("projects/<id:project_id>/jobs/", api.ProjectJobsApi.as_view(), name="api-project-jobs"),
    path("jobs/<id:job_id>/", api.JobApi.as_view(), name="api-job"),
    path("artifacts/<id:artifact_id>/download/", api.ArtifactDownloadApi.as_view(), name="api-artifact-download"),
]
