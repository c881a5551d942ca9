"""Share links and comments: create, find by token, revoke, comment, reply, resolve."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from apps.core.errors import ApiError, ErrorDetail
from apps.projects.models import Project, Revision
from apps.review.models import Comment, ShareLink

# A link's comments are bounded so that no link grows without end; one address may leave only a small
# share of them, so no single spammer can fill a link and lock out its real reviewers.
MAX_COMMENTS_PER_LINK = 2000
MAX_COMMENTS_PER_CLIENT = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def share_link_create(
    *,
    project: Project,
    user: User,
    revision: Revision | None,
    label: str = "",
    expires_at: datetime | None = None,
    allow_downloads: bool = False,
) -> tuple[ShareLink, str]:
    """A new link and its token (returned once: only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        project=project,
        revision=revision,
        label=label,
        token_hash=token_hash(token),
        allow_downloads=allow_downloads,
        expires_at=expires_at,
        created_by=user,
    )
    return link, token


def share_link_find(*, token: str) -> ShareLink | None:
    """The active link for ``token``; revoked, expired and unknown tokens all give None."""
    if not token or len(token) > 100:
        return None
    link = ShareLink.objects.select_related("project", "revision").filter(token_hash=token_hash(token)).first()
    return link if link is not None and link.active else None


def share_link_revoke(*, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk, revoked_at=None).update(revoked_at=timezone.now())


def _clean_text(value: object, *, pointer: str, limit: int, required: bool = True) -> str:
    if not isinstance(value, str):
        raise ApiError("Invalid comment.", details=[ErrorDetail(pointer, "must be text")])
    text = value.strip()
    if required and not text:
        raise ApiError("Invalid comment.", details=[ErrorDetail(pointer, "must not be empty")])
    if len(text) > limit or "\x00" in text:
        raise ApiError(
            "Invalid comment.", details=[ErrorDetail(pointer, f"must be at most {limit} characters of plain text")]
        )
    return text


@transaction.atomic
def comment_create(
    *,
    project: Project,
    revision_number: int,
    author_name: object,
    body: object,
    component_id: object = "",
    components: set[str],
    share_link: ShareLink | None = None,
    author: User | None = None,
    parent: Comment | None = None,
    client_key: str = "",
) -> Comment:
    """A comment on the design (component_id empty) or one component, as plain text.

    ``client_key`` (review.throttling.client_key) identifies the address a reviewer posts from through
    ``share_link``: one address may leave at most MAX_COMMENTS_PER_CLIENT comments through a link.
    """
    name = _clean_text(author_name, pointer="/author_name", limit=80)
    text = _clean_text(body, pointer="/body", limit=2000)
    component = _clean_text(component_id or "", pointer="/component", limit=64, required=False)
    if component and component not in components:
        raise ApiError(
            "Invalid comment.", details=[ErrorDetail("/component", f"the design has no component {component!r}")]
        )
    if share_link is not None:
        if client_key and share_link.comments.filter(client_key=client_key).count() >= MAX_COMMENTS_PER_CLIENT:
            raise ApiError(
                "You have left as many comments through this review link as it takes from one address.",
                code="too_many_comments",
                status_code=429,
            )
        if share_link.comments.count() >= MAX_COMMENTS_PER_LINK:
            raise ApiError(
                "This review link has received too many comments.", code="too_many_comments", status_code=429
            )
    return Comment.objects.create(
        project=project,
        share_link=share_link,
        revision_number=revision_number,
        component_id=component,
        parent=parent,
        author_name=name,
        author=author,
        body=text,
        client_key=client_key,
    )


def comment_resolve(*, comment: Comment, user: User, resolved: bool = True) -> Comment:
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment
