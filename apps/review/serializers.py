"""What the review endpoints answer, for the OpenAPI schema (the views build plain dicts; these name their shape)."""

from __future__ import annotations

from rest_framework import serializers

from apps.core.serializers import StrictInputSerializer

SEVERITIES = ["error", "warning", "info"]


class ShareLinkInputSerializer(StrictInputSerializer):
    revision = serializers.IntegerField(
        required=False, min_value=1, help_text="Pin this revision; omit to follow the newest"
    )
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    expires_in_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    allow_downloads = serializers.BooleanField(required=False, default=False)


class ShareLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    revision = serializers.IntegerField(allow_null=True, help_text="The pinned revision; null when following")
    follows_latest = serializers.BooleanField()
    allow_downloads = serializers.BooleanField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    token = serializers.CharField(help_text="Shown this once; only its hash is kept")
    url = serializers.URLField()


class CommentInputSerializer(StrictInputSerializer):
    author_name = serializers.CharField(max_length=80)
    body = serializers.CharField(max_length=2000)
    component = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class ReplyInputSerializer(StrictInputSerializer):
    body = serializers.CharField(max_length=2000)


class ResolveInputSerializer(StrictInputSerializer):
    resolved = serializers.BooleanField()


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component = serializers.CharField(allow_null=True)
    revision = serializers.IntegerField()
    author_name = serializers.CharField(help_text='On a review link, members show as "Team member"')
    member = serializers.BooleanField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolved = serializers.BooleanField()
    replies = serializers.ListField(child=serializers.DictField(), help_text="Always empty for a reply")


class CommentSerializer(ReplySerializer):
    replies = ReplySerializer(many=True)  # type: ignore[assignment]


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=SEVERITIES)
    components = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()
    fix = serializers.CharField()
    reference = serializers.CharField()


class RuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    severity = serializers.ChoiceField(choices=SEVERITIES)
    title = serializers.CharField()
    reference = serializers.CharField()


class ReviewSnapshotSerializer(serializers.Serializer):
    project = serializers.DictField(help_text="{name}")
    link = serializers.DictField(help_text="{label, follows_latest, allow_downloads, expires_at}")
    revision = serializers.DictField(help_text="{number, created_at, message}")
    design = serializers.DictField(help_text="The design document (tierplan.design/v1)")
    tiers = serializers.ListField(child=serializers.DictField(), help_text="Components by tier")
    diagram_svg = serializers.CharField(allow_null=True, help_text="null until prepared")
    estimate = serializers.DictField(allow_null=True, help_text="null until prepared")
    curve_svg = serializers.CharField(allow_null=True, help_text="null until prepared")
    findings = FindingSerializer(many=True, allow_null=True, help_text="null until prepared")
    pending = serializers.ListField(child=serializers.CharField(), help_text="Parts still being prepared")
    failed = serializers.ListField(child=serializers.CharField(), help_text="Parts that could not be made")
    comments = CommentSerializer(many=True)
