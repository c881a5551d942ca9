"""Writes: teams, memberships, projects and design saves. Every function is keyword-only and typed."""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import BaseUserManager, User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework import status

from apps.core.errors import ApiError, PreconditionFailed
from apps.designs.document import Design, content_hash, empty_design, validate_design
from apps.designs.patterns import compose
from apps.live import services as live_services
from apps.projects.models import Invitation, Membership, Project, Revision, Role, Team

logger = logging.getLogger("tierplan.invitations")


def team_create_personal(*, user: User) -> Team:
    """The team every user gets at sign-up, owned by that user."""
    team = Team.objects.create(name=f"{user.get_username()}'s team", personal_for=user)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return team


@transaction.atomic
def team_create(*, name: str, owner: User) -> Team:
    """A shared team with ``owner`` as its first owner."""
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


def team_update(*, team: Team, name: str) -> Team:
    team.name = name
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    """Delete a shared team that has no projects left (projects are never deleted as a side effect)."""
    # Locked so that a project created meanwhile (project_create takes the same lock) is seen here.
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.personal_for_id is not None:
        raise ApiError("A personal team cannot be deleted.", code="personal_team", status_code=status.HTTP_409_CONFLICT)
    if team.projects.exists():
        raise ApiError(
            "The team still has projects; delete or move them first.",
            code="team_not_empty",
            status_code=status.HTTP_409_CONFLICT,
        )
    team.delete()


def membership_add(*, team: Team, user: User, role: str) -> Membership:
    """Add an existing user to ``team`` with ``role``."""
    try:
        with transaction.atomic():
            return Membership.objects.create(team=team, user=user, role=role)
    except IntegrityError:
        raise ApiError(
            f"{user.get_username()} is already a member of this team.",
            code="already_member",
            status_code=status.HTTP_409_CONFLICT,
        ) from None


def _lock_team_memberships(membership: Membership) -> Membership:
    # Role changes and removals in one team take the team's row lock in turn; otherwise two owners
    # stepping down at once would each see the other as the remaining owner.
    Team.objects.select_for_update().get(pk=membership.team_id)
    return Membership.objects.get(pk=membership.pk)


def _ensure_another_owner(membership: Membership) -> None:
    # A team without an owner could never be managed again.
    others = Membership.objects.filter(team_id=membership.team_id, role=Role.OWNER).exclude(pk=membership.pk)
    if membership.role == Role.OWNER and not others.exists():
        raise ApiError(
            "A team needs at least one owner; make someone else owner first.",
            code="last_owner",
            status_code=status.HTTP_409_CONFLICT,
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role != Role.OWNER:
        _ensure_another_owner(_lock_team_memberships(membership))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    _ensure_another_owner(_lock_team_memberships(membership))
    membership.delete()


# Invitations -----------------------------------------------------------------------------------------
#
# Why accepting is safe: the token is made here, sent only to the invited address and never returned by
# the API (not even to the owner who invites), and only its sha256 is stored. Whoever accepts therefore
# read that mailbox, or was handed the link by whoever did. That is the proof of the address the owner
# named; the email a user typed at sign-up is never consulted, since nobody verified it. The role goes to
# the signed-in account that accepts, whatever email that account lists, so an invitee can join with
# the account they already have. Tokens are single use (a compare-and-set claims them), expire, and die
# when revoked or replaced by a new invitation to the same address.


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(days=settings.INVITATION_LIFETIME_DAYS)


def invitation_create(
    *, team: Team, email: str, role: str, invited_by: User, link_for: Callable[[str], str]
) -> Invitation:
    """Invite ``email`` to ``team`` with ``role`` and email it the accept link ``link_for(token)``.

    A pending invitation to the same address in the same team is replaced (its link stops working), so
    inviting again resends with the new role. If the email cannot be sent the new invitation is revoked
    and the caller gets 503: an invitation nobody received would only wait to expire.
    """
    email = BaseUserManager.normalize_email(email.strip())
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(team=team, email__iexact=email).pending().update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            team=team,
            email=email,
            role=role,
            invited_by=invited_by,
            token_hash=invitation_token_hash(token),
            expires_at=timezone.now() + _lifetime(),
        )
    try:
        _invitation_send(invitation, link_for(token))
    except (smtplib.SMTPException, OSError):
        logger.exception("could not send invitation %s", invitation.pk)
        invitation_revoke(invitation=invitation)
        raise ApiError(
            "The invitation email could not be sent; try again later.",
            code="email_unavailable",
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        ) from None
    return invitation


def _invitation_send(invitation: Invitation, link: str) -> None:
    # Team names are free text: keep them on one line in the subject (a newline there is refused).
    team_name = " ".join(invitation.team.name.split())[:100]
    inviter = invitation.invited_by.get_username() if invitation.invited_by else "A Tierplan user"
    context = {"invitation": invitation, "team_name": team_name, "inviter": inviter, "link": link}
    send_mail(
        subject=f"{inviter} invites you to the team {team_name} on Tierplan",
        message=render_to_string("projects/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_find(*, token: str) -> Invitation | None:
    """The pending invitation for ``token``; unknown, used, expired and revoked tokens all give None."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("team", "invited_by").filter(token_hash=invitation_token_hash(token)).first()
    )
    return invitation if invitation is not None and invitation.pending else None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Give ``user`` the invitation's role in its team, once (see the note above on why this is safe).

    Raises ApiError 404 when the invitation was used, revoked or expired meanwhile, and 409 when the
    user is already a member (the invitation then stays pending, for another account).
    """
    now = timezone.now()
    # Compare-and-set: of two concurrent accepts (or an accept and a revoke) exactly one matches the
    # row; the other finds it taken and answers as if the token were unknown.
    claimed = Invitation.objects.filter(pk=invitation.pk).pending().update(accepted_at=now, accepted_by=user)
    if not claimed:
        raise invitation_not_found()
    # Adding fails with 409 for an existing member, which rolls the claim back with this transaction.
    return membership_add(team=invitation.team, user=user, role=invitation.role)


def invitation_revoke(*, invitation: Invitation) -> bool:
    """Revoke a pending invitation; False when it was no longer pending (accepted, revoked, expired)."""
    return bool(Invitation.objects.filter(pk=invitation.pk).pending().update(revoked_at=timezone.now()))


def invitation_not_found() -> ApiError:
    return ApiError("No invitation here.", code="not_found", status_code=status.HTTP_404_NOT_FOUND)


@transaction.atomic
def project_create(
    *,
    team: Team,
    user: User,
    name: str,
    description: str = "",
    design: Design | None = None,
    message: str = "",
) -> Project:
    """A new project whose revision 1 is ``design`` (or an empty design named after the project)."""
    document = design.canonical() if design is not None else empty_design(name)
    list(Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True))  # see team_delete
    project = Project.objects.create(team=team, name=name, description=description, created_by=user, head_number=1)
    Revision.objects.create(
        project=project,
        number=1,
        design=document,
        content_hash=content_hash(document),
        message=message or "Created the project",
        author=user,
    )
    return project


def project_update(*, project: Project, data: dict[str, Any]) -> Project:
    fields = [field for field in ("name", "description") if field in data]
    for field in fields:
        setattr(project, field, data[field])
    # Only these fields: writing back head_number would undo a design saved since the project was read.
    project.save(update_fields=[*fields, "updated_at"])
    project.refresh_from_db(fields=["head_number"])
    return project


def project_delete(*, project: Project) -> None:
    project.delete()


def design_save(
    *, project: Project, user: User, design: Design, expected_number: int, message: str = ""
) -> tuple[Revision, bool]:
    """Save ``design`` as the next revision if ``expected_number`` is still the newest one.

    Returns the revision and whether it is new: saving content identical to the newest revision makes
    no new revision. Raises PreconditionFailed when someone else saved first — never overwrites. Live
    edits not yet in a revision count as a save (they become one first), and the new revision reaches
    every open editor as a live ``replace``.
    """
    # Committed on its own, so that a 412 names a revision that exists.
    live_services.live_flush(project_id=project.pk)
    document = design.canonical()
    digest = content_hash(document)  # of the same dump: a second one costs ~20 ms at 1,000 components
    with transaction.atomic():
        # Edits that arrived since the flush: lock the live state and save them too.
        live = live_services.live_lock_for_save(project_id=project.pk)
        project.refresh_from_db(fields=["head_number"])
        head = project.revisions.get(number=project.head_number)
        if expected_number != head.number:
            raise _stale(expected_number, head.number)
        if digest == head.content_hash:
            return head, False
        # Compare-and-set: only the save that still sees `expected_number` as the head advances it. A
        # concurrent save blocks on the row lock (PostgreSQL) or the write lock (SQLite, IMMEDIATE
        # transactions), then matches no row and gets 412.
        advanced = Project.objects.filter(pk=project.pk, head_number=expected_number).update(
            head_number=expected_number + 1, updated_at=timezone.now()
        )
        if not advanced:
            project.refresh_from_db(fields=["head_number"])
            raise _stale(expected_number, project.head_number)
        revision = Revision.objects.create(
            project=project,
            number=expected_number + 1,
            design=document,
            content_hash=digest,
            message=message,
            author=user,
        )
        live_services.live_design_saved(state=live, project_id=project.pk, revision=revision, user=user)
    project.head_number = revision.number
    return revision, True


def design_apply_pattern(
    *,
    project: Project,
    user: User,
    pattern: Design,
    mapping: Mapping[str, str],
    expected_number: int | None = None,
    message: str = "",
) -> tuple[Revision, bool]:
    """Merge ``pattern`` into the newest revision and save the result as the next revision.

    With ``expected_number`` (from If-Match) the merge only happens on that revision; without it, it
    applies to whatever is newest now — and still fails with 412 rather than lose a save that lands
    between reading the head and writing the result.
    """
    if live_services.live_flush(project_id=project.pk):
        project.refresh_from_db(fields=["head_number"])
    head = project.revisions.get(number=project.head_number)
    if expected_number is not None and expected_number != head.number:
        raise _stale(expected_number, head.number)
    merged = compose(validate_design(head.design), pattern, mapping=mapping)
    return design_save(project=project, user=user, design=merged, expected_number=head.number, message=message)


def _stale(expected: int, head: int) -> PreconditionFailed:
    return PreconditionFailed(
        f"Revision {expected} is no longer the newest: revision {head} was saved since. "
        "Reload the design (or apply your change on top of the newest revision) and save again.",
        headers={"ETag": f'"{head}"'},
    )
