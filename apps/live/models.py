"""Live design sessions: the live document of each project and the ordered log of the edits made to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.projects.models import Project, Revision


class LiveState(models.Model):
    """The one live document of a project and where its operation log stands.

    Its row is the lock that orders a project's edits: every write takes it (select_for_update) inside
    a transaction, reads ``seq``, applies, writes and commits, so no two web processes ever hand out one
    sequence number twice. Revisions are cut from it after a pause (see services.live_checkpoint).
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="live")
    document = models.JSONField()
    # Sequence number of the newest operation applied to ``document`` (0: none yet).
    seq = models.PositiveBigIntegerField(default=0)
    # The newest revision and the operation it includes: operations after ``revision_seq`` are the
    # edits not yet saved as a revision.
    revision_number = models.PositiveIntegerField()
    revision_seq = models.PositiveBigIntegerField(default=0)
    # Operations up to this one were deleted from the log; a client behind it gets the whole document.
    trimmed_seq = models.PositiveBigIntegerField(default=0)
    last_op_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["last_op_at"], name="live_state_by_last_op")]

    def __str__(self) -> str:
        return f"live {self.project_id}@{self.seq}"

    @property
    def unsaved(self) -> bool:
        """Whether operations were applied since the newest revision."""
        return self.seq > self.revision_seq


class Operation(models.Model):
    """One acknowledged edit, in server order. Never changed; old ones are trimmed after a revision."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="live_operations")
    seq = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Who sent it, as the client names itself and the op: a resend after a lost ack is recognised.
    client_id = models.CharField(max_length=64, blank=True)
    client_op_id = models.CharField(max_length=64, blank=True)
    op = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "seq"], name="one_operation_per_seq")]
        indexes = [models.Index(fields=["project", "client_id", "client_op_id"], name="live_op_by_client_op")]
        ordering = ["project_id", "seq"]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.seq}"


class RevisionAuthor(models.Model):
    """A person whose live edits a revision holds (a revision cut from a session may have several)."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="live_authors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    operations = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision", "user"], name="one_author_row_per_user")]
        ordering = ["revision_id", "-operations", "user_id"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.revision_id}"
