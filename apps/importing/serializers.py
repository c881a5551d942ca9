"""Requests and answers of the import API (``POST /api/projects/import/``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from apps.core.serializers import StrictInputSerializer
from apps.projects.serializers import ProjectSerializer

NAME_HELP = "Project name; defaults to the template's Description (first line), else the file's name"
TEAM_HELP = "Team id; defaults to your personal team"
PREVIEW_HELP = "Only read the template: answer 200 with the design and the report, create nothing"


class ImportTemplateSerializer(StrictInputSerializer):
    """The JSON form: the template's text in the body."""

    template = serializers.CharField(
        trim_whitespace=False, help_text="The SAM or CloudFormation template (YAML or JSON), at most 1 MB"
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text=NAME_HELP)
    team = serializers.IntegerField(required=False, min_value=1, help_text=TEAM_HELP)
    preview = serializers.BooleanField(required=False, default=False, help_text=PREVIEW_HELP)


class ImportUploadSerializer(serializers.Serializer):
    """The multipart form: the template as an uploaded file. Form fields are text, so no JSON type
    checks here, but unknown fields are refused as in the JSON form."""

    file = serializers.FileField(
        allow_empty_file=True, help_text="The template file (YAML or JSON), at most 1 MB", use_url=False
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text=NAME_HELP)
    team = serializers.IntegerField(required=False, min_value=1, help_text=TEAM_HELP)
    preview = serializers.BooleanField(required=False, default=False, help_text=PREVIEW_HELP)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = {str(name): ["unknown field"] for name in data if name not in self.fields}
            if unknown:
                raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


class ImportedResourceSerializer(serializers.Serializer):
    logical_id = serializers.CharField(help_text="The resource's logical id in the template")
    type = serializers.CharField(help_text="Its CloudFormation resource type")
    became = serializers.ChoiceField(
        ["component", "part", "connection", "kept"],
        help_text="component; part of a component; a connection (or part of one); kept as written, not drawn",
    )
    component = serializers.CharField(required=False, help_text="The component it became (or is part of)")
    connections = serializers.ListField(child=serializers.CharField(), required=False)
    notes = serializers.ListField(child=serializers.CharField(), required=False)


# "from" is a Python keyword, so this serializer's fields are given as a mapping.
ImportedConnectionSerializer = type(
    "ImportedConnectionSerializer",
    (serializers.Serializer,),
    {
        "id": serializers.CharField(),
        "kind": serializers.CharField(),
        "source": serializers.CharField(),
        "target": serializers.CharField(),
        "from": serializers.CharField(help_text="What in the template the connection was read from"),
    },
)


class ImportCountsSerializer(serializers.Serializer):
    resources = serializers.IntegerField()
    components = serializers.IntegerField()
    mapped_to_catalog_types = serializers.IntegerField()
    kept_as_cloudformation_resource = serializers.IntegerField()
    parts = serializers.IntegerField()
    connections = serializers.IntegerField()
    kept_not_drawn = serializers.IntegerField()
    connections_drawn = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    counts = ImportCountsSerializer()
    resources = ImportedResourceSerializer(many=True, help_text="Every resource of the template, in order")
    connections = ImportedConnectionSerializer(many=True, help_text="The connections drawn")
    kept_sections = serializers.ListField(
        child=serializers.CharField(), help_text="Sections of the template kept in the design as written"
    )
    implicit_components = serializers.ListField(
        child=serializers.CharField(),
        help_text="Components SAM makes from a function's events (no resource of their own)",
    )
    not_understood = serializers.ListField(child=serializers.CharField())


class ImportCreatedSerializer(serializers.Serializer):
    project = ProjectSerializer()
    report = ImportReportSerializer()


class ImportPreviewSerializer(serializers.Serializer):
    design = serializers.JSONField(help_text="The design the template makes (tierplan.design/v1), not stored")
    report = ImportReportSerializer()
