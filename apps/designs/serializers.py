"""Output shapes of the catalog API (documented in the OpenAPI schema)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class FieldSchemaSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["integer", "number", "string", "boolean", "object"])
    description = serializers.CharField(required=False)
    default = serializers.JSONField(required=False)
    minimum = serializers.FloatField(required=False)
    maximum = serializers.FloatField(required=False)
    enum = serializers.ListField(child=serializers.JSONField(), required=False)
    maxLength = serializers.IntegerField(required=False)
    pattern = serializers.CharField(required=False)


class VpcEndpointSerializer(serializers.Serializer):
    service = serializers.CharField()
    type = serializers.ChoiceField(choices=["Gateway", "Interface"])
    label = serializers.CharField()  # type: ignore[assignment]


class ExcludedPairSerializer(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]
    target = serializers.CharField()
    why = serializers.CharField()


class ComponentTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    tier = serializers.CharField()
    family = serializers.CharField(help_text="Service family the palette lists it under (see families)")
    description = serializers.CharField()
    icon = serializers.CharField(help_text="URL of the service icon")
    props = serializers.JSONField(help_text="JSON Schema of the props object")
    usage = serializers.JSONField(help_text="JSON Schema of the usage object")
    defaults = serializers.JSONField(help_text="Default props and usage")
    cloudformation_types = serializers.ListField(
        child=serializers.CharField(), help_text="CloudFormation resource types one component stands for (main first)"
    )
    env_suffix = serializers.CharField(
        allow_null=True, help_text="A connected function's environment variable is <COMPONENT ID>_<suffix>"
    )
    vpc_endpoint = VpcEndpointSerializer(allow_null=True, help_text="Endpoint a function in a VPC needs to reach it")
    vpc_only = serializers.BooleanField(help_text="Runs only inside a VPC")
    not_estimated = serializers.CharField(
        allow_null=True, help_text="Why estimates cannot price this type (null: it is priced)"
    )
    resource_icons = serializers.JSONField(
        allow_null=True,
        help_text="Generic resources: icon URLs by resource type (resources), by service (services) and generic",
    )


class ConnectionKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    targets = serializers.ListField(child=serializers.CharField())
    excludes = ExcludedPairSerializer(
        many=True, help_text="Source/target pairs not allowed although both ends are listed"
    )
    props = serializers.JSONField()


class CatalogSerializer(serializers.Serializer):
    tiers = serializers.JSONField()
    families = serializers.JSONField(help_text="Service families, in palette order: id and label")
    types = ComponentTypeSerializer(many=True)
    group_kinds = serializers.JSONField()
    connection_kinds = ConnectionKindSerializer(many=True)


class CloudFormationTypeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Resource type, e.g. AWS::SSM::Parameter")
    required = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text="Properties a template must set"
    )
    properties = serializers.ListField(
        child=serializers.CharField(), help_text="Properties a template may set (read-only ones left out)"
    )


class PatternSourceSerializer(serializers.Serializer):
    document = serializers.CharField()
    section = serializers.CharField()
    seed = serializers.CharField(
        required=False, help_text="File in the seed documents the pattern comes from (when one does)"
    )
    url = serializers.URLField(required=False, help_text="AWS documentation the pattern follows (when it does)")


class PatternSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    source = PatternSourceSerializer()  # type: ignore[assignment]
    tags = serializers.ListField(child=serializers.CharField())
    components = serializers.IntegerField()
    connections = serializers.IntegerField()
    design = serializers.JSONField(required=False, help_text="The design document (detail only)")


@extend_schema_field(
    {
        "type": "object",
        "description": "A design document (tierplan.design/v1); its JSON Schema is served at /api/design-schema/",
    }
)
class DesignDocumentField(serializers.JSONField):
    """A design document in a request body; the view validates it (400 ``invalid_design`` with pointers)."""
