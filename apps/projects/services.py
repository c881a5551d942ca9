"""Writes: teams, memberships, projects and design saves. Every function is keyword-only and typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status

from apps.core.errors import ApiError, PreconditionFailed
from apps.designs.document import Design, content_hash, empty_design, validate_design
from apps.designs.patterns import compose
from apps.projects.models import Membership, Project, Revision, Role, Team


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
    no new revision. Raises PreconditionFailed when someone else saved first — never overwrites.
    """
    head = project.revisions.get(number=project.head_number)
    if expected_number != head.number:
        raise _stale(expected_number, head.number)
    document = design.canonical()
    digest = design.content_hash()
    if digest == head.content_hash:
        return head, False
    with transaction.atomic():
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
