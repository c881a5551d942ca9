"""Input and output shapes of the projects API."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from apps.core.serializers import StrictInputSerializer
from apps.designs.serializers import DesignDocumentField
from apps.projects.models import Invitation, Membership, Project, Revision, Role, Team


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


class TeamInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200)


class MemberAddSerializer(StrictInputSerializer):
    """Either ``username`` (that account is added at once) or ``email`` (that address is invited)."""

    username = serializers.CharField(required=False, help_text="Username of an existing user: added at once")
    email = serializers.EmailField(
        required=False,
        max_length=254,
        help_text="Or an email address: it gets an invitation to accept (no account is added by its email)",
    )
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)

    def validate(self, attrs: dict) -> dict:
        if "username" in attrs and "email" in attrs:
            raise serializers.ValidationError({"email": "Give a username or an email address, not both."})
        if "username" in attrs:
            users = get_user_model().objects
            # Sign-up refuses names that differ only in case, so a case-insensitive match is one user.
            user = (
                users.filter(username=attrs["username"]).first()
                or users.filter(username__iexact=attrs["username"]).first()
            )
            if user is None:
                raise serializers.ValidationError({"username": "No user has this username."})
            attrs["user"] = user
        elif "email" not in attrs:
            raise serializers.ValidationError(
                {"username": "Give the username of an existing user, or an email address to invite."}
            )
        return attrs


class MemberByUsernameSerializer(StrictInputSerializer):
    username = serializers.CharField(help_text="Username of an existing user: added at once")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class MemberByEmailSerializer(StrictInputSerializer):
    email = serializers.EmailField(max_length=254, help_text="Address to invite: it gets a link to accept")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


# What the schema states for MemberAddSerializer: exactly one of the two forms.
MEMBER_ADD_REQUEST = PolymorphicProxySerializer(
    component_name="MemberAdd",
    serializers=[MemberByUsernameSerializer, MemberByEmailSerializer],
    resource_type_field_name=None,
)


class InvitationCreateSerializer(StrictInputSerializer):
    email = serializers.EmailField(max_length=254, help_text="Address the invitation link is sent to")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class InvitationSerializer(serializers.ModelSerializer):
    """A pending invitation as its team's owners see it; the token is never shown (only the email has it)."""

    invited_by = UserSerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at"]


class InvitationAcceptedSerializer(serializers.ModelSerializer):
    team = TeamRefSerializer(read_only=True)
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["team", "user", "role", "created_at"]


class MemberRoleSerializer(StrictInputSerializer):
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


class ProjectCreateSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200, required=False, help_text="Defaults to the design's name")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    team = serializers.IntegerField(required=False, min_value=1, help_text="Team id; defaults to your personal team")
    design = DesignDocumentField(required=False, help_text="Initial design document (tierplan.design/v1)")
    pattern = serializers.CharField(required=False, help_text="Start from this pattern of the library (its slug)")

    def validate(self, attrs: dict) -> dict:
        if "design" in attrs and "pattern" in attrs:
            raise serializers.ValidationError({"pattern": "Give either a design or a pattern, not both."})
        return attrs


class ApplyPatternSerializer(StrictInputSerializer):
    pattern = serializers.CharField(help_text="Slug of the pattern to merge into the current design")
    mapping = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text="Pattern component id → existing component id to reuse instead of adding a new one",
    )
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProjectUpdateSerializer(StrictInputSerializer):
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
