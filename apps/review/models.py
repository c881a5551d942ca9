"""Share links (read-only review access for people without an account) and review comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.projects.models import Project, Revision


class ShareLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="share_links")
    # Pinned to one revision, or (null) following the newest one.
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=200, blank=True)
    # sha256 of the token: the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    allow_downloads = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"share link {self.pk} of project {self.project_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def shown_revision(self) -> Revision:
        return self.revision if self.revision is not None else self.project.head


class Comment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_comments")
    share_link = models.ForeignKey(ShareLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    revision_number = models.PositiveIntegerField()
    component_id = models.CharField(max_length=64, blank=True, help_text="Empty: about the whole design")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author_name = models.CharField(max_length=80)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=2000)
    # Keyed hash of the address a reviewer posted from (throttling.client_key), never the address: it
    # caps what one address may post through a link. Empty for members' replies.
    client_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on project {self.project_id}"
