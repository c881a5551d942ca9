"""Teams, memberships and roles, projects and their immutable numbered revisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# What each role may do; checked in one place (Membership.can) so views never compare role names.
ROLE_ABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset({"read", "write", "delete", "manage_members"}),
    Role.EDITOR: frozenset({"read", "write"}),
    Role.VIEWER: frozenset({"read"}),
}


class Team(models.Model):
    name = models.CharField(max_length=200)
    # The team made for a user at sign-up; it can be shared like any other team.
    personal_for = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="personal_team"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_user_and_team")]
        ordering = ["team_id", "user_id"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id} as {self.role}"

    def can(self, ability: str) -> bool:
        return ability in ROLE_ABILITIES[self.role]


class Project(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Number of the newest revision. Saves advance it with a compare-and-set (see services.design_save),
    # which is what makes two concurrent saves against the same revision end with exactly one winner.
    head_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def head(self) -> Revision:
        return self.revisions.get(number=self.head_number)


class Revision(models.Model):
    """One saved state of a project's design. Never changed after it is written."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    design = models.JSONField()
    content_hash = models.CharField(max_length=64)
    message = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="one_revision_per_number")]
        ordering = ["project_id", "-number"]

    def __str__(self) -> str:
        return f"{self.project_id}@{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("revisions are immutable; save a new revision instead")
        super().save(*args, **kwargs)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Invitations that can still be accepted: not accepted, not revoked, not expired."""
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An offer of a role in a team, sent to an email address and taken up by whoever accepts its link.

    The token is shown only in the email (its sha256 is stored here), so holding it is what proves the
    acceptor reads that mailbox: the address a user typed at sign-up proves nothing (see
    services.invitation_accept).
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "accepted_at", "revoked_at"], name="invitation_pending_by_team")]

    def __str__(self) -> str:
        return f"invitation {self.pk} to team {self.team_id}"

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
