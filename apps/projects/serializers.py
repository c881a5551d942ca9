"""Input and output shapes of the projects API."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.projects.models import Membership, Project, Revision, Role, Team


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]


class TeamRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class MemberSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "created_at"]


class TeamSerializer(serializers.ModelSerializer):
    personal = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()
    members = MemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "personal", "role", "members", "created_at"]

    def get_personal(self, team: Team) -> bool:
        return team.personal_for_id is not None

    def get_role(self, team: Team) -> str | None:
        user = self.context["request"].user
        return next((m.role for m in team.memberships.all() if m.user_id == user.pk), None)


class TeamInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class MemberAddSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, help_text="Username of an existing user")
    email = serializers.EmailField(required=False, help_text="Or the email of an existing user")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)

    def validate(self, attrs: dict) -> dict:
        users = get_user_model().objects
        if attrs.get("username"):
            # Sign-up refuses names that differ only in case, so a case-insensitive match is one user.
            user = (
                users.filter(username=attrs["username"]).first()
                or users.filter(username__iexact=attrs["username"]).first()
            )
            if user is None:
                raise serializers.ValidationError({"username": "No user has this username."})
        elif attrs.get("email"):
            found = list(users.filter(email__iexact=attrs["email"])[:2])
            if len(found) != 1:
                raise serializers.ValidationError({"email": "No single user has this email; use the username."})
            user = found[0]
        else:
            raise serializers.ValidationError({"username": "Give the username (or email) of an existing user."})
        attrs["user"] = user
        return attrs


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class ProjectSerializer(serializers.ModelSerializer):
    team = TeamRefSerializer(read_only=True)
    revision = serializers.IntegerField(source="head_number", read_only=True, help_text="Newest revision number")
    created_by = UserSerializer(read_only=True)
    role = serializers.SerializerMethodField(help_text="Your role in the project's team")

    class Meta:
        model = Project
        fields = ["id", "name", "description", "team", "revision", "role", "created_by", "created_at", "updated_at"]

    def get_role(self, project: Project) -> str | None:
        return self.context.get("roles", {}).get(project.team_id)


class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, help_text="Defaults to the design's name")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    team = serializers.IntegerField(required=False, help_text="Team id; defaults to your personal team")
    design = serializers.JSONField(required=False, help_text="Initial design document (tierplan.design/v1)")
    pattern = serializers.CharField(required=False, help_text="Start from this pattern of the library (its slug)")

    def validate(self, attrs: dict) -> dict:
        if "design" in attrs and "pattern" in attrs:
            raise serializers.ValidationError({"pattern": "Give either a design or a pattern, not both."})
        return attrs


class ApplyPatternSerializer(serializers.Serializer):
    pattern = serializers.CharField(help_text="Slug of the pattern to merge into the current design")
    mapping = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text="Pattern component id → existing component id to reuse instead of adding a new one",
    )
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProjectUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class RevisionSerializer(serializers.ModelSerializer):
    author = UserSerializer(read_only=True)

    class Meta:
        model = Revision
        fields = ["number", "content_hash", "message", "author", "created_at"]


class RevisionDetailSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "design"]


class DesignSaveResultSerializer(serializers.Serializer):
    revision = RevisionSerializer()
    created = serializers.BooleanField(help_text="False when the design was identical to the newest revision")
    design = serializers.JSONField()
