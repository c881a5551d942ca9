from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from apps.core.serializers import StrictInputSerializer
from apps.jobs.engines import engines
from apps.jobs.models import Artifact, Job


class ArtifactSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    filename = serializers.CharField(source="download_name", read_only=True)

    class Meta:
        model = Artifact
        fields = ["id", "content_type", "size", "sha256", "filename", "download_url", "created_at"]

    def get_download_url(self, artifact: Artifact) -> str:
        return reverse("api-artifact-download", args=[artifact.pk])


class JobSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)
    artifacts = ArtifactSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "url", "project", "revision", "kind", "params", "status", "progress", "error", "attempts",
            "requested_by", "created_at", "started_at", "finished_at", "artifacts",
        ]  # fmt: skip

    def get_url(self, job: Job) -> str:
        return reverse("api-job", args=[job.pk])


class JobRequestSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=sorted(engines()), help_text="The engine to run")
    revision = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Revision number; absent or null: the newest"
    )
    params = serializers.DictField(required=False, default=dict, help_text='Engine options, e.g. {"format": "png"}')


class JobRequestResultSerializer(JobSerializer):
    cached = serializers.BooleanField(read_only=True)

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "cached"]
