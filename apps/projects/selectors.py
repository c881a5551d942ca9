"""Reads: what a user may see. Outsiders get 404 (as if the thing did not exist), members who lack the
ability get 403, so the API never confirms that a project exists to someone outside its team."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import F, OuterRef, QuerySet, Subquery
from rest_framework.exceptions import NotFound, PermissionDenied

from apps.core.converters import MAX_ID
from apps.projects.models import Invitation, Membership, Project, Revision, Team


def membership_of(*, user: User, team: Team) -> Membership | None:
    return Membership.objects.filter(team=team, user_id=user.pk).first()


def _require(membership: Membership | None, ability: str, what: str) -> Membership:
    if membership is None:
        raise NotFound(f"No {what} with that id.")
    if not membership.can(ability):
        raise PermissionDenied(f"Your role ({membership.role}) does not allow this ({ability}).")
    return membership


def team_get(*, user: User, team_id: int, ability: str = "read") -> tuple[Team, Membership]:
    team = Team.objects.filter(pk=team_id).first() if 0 < team_id <= MAX_ID else None
    membership = membership_of(user=user, team=team) if team else None
    return team, _require(membership, ability, "team")  # type: ignore[return-value]


def teams_of(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(memberships__user_id=user.pk).distinct()


def _my_membership(user: User, team_field: str) -> QuerySet[Membership]:
    """The user's membership of the team named by ``team_field`` of the outer query (for subqueries)."""
    return Membership.objects.filter(team_id=OuterRef(team_field), user_id=user.pk)


def project_get(*, user: User, project_id: int, ability: str = "read") -> tuple[Project, Membership]:
    # One query: the project, its team and the user's membership of that team (every project-scoped
    # request starts here, so it is worth not making it two).
    mine = _my_membership(user, "team_id")
    project = (
        Project.objects.select_related("team")
        .annotate(my_membership_id=Subquery(mine.values("pk")[:1]), my_role=Subquery(mine.values("role")[:1]))
        .filter(pk=project_id)
        .first()
    )
    membership = None
    if project is not None and project.my_membership_id is not None:
        membership = Membership(pk=project.my_membership_id, team=project.team, user=user, role=project.my_role)
        membership._state.adding = False
    return project, _require(membership, ability, "project")  # type: ignore[return-value]


def design_head_get(*, user: User, project_id: int) -> Revision:
    """The newest revision of a project the user may read, in one query (the most frequent read)."""
    head = (
        Revision.objects.filter(project_id=project_id, number=F("project__head_number"))
        .annotate(my_role=Subquery(_my_membership(user, "project__team_id").values("role")[:1]))
        .only("number", "design")
        .first()
        if 0 < project_id <= MAX_ID
        else None
    )
    membership = Membership(role=head.my_role) if head is not None and head.my_role is not None else None
    _require(membership, "read", "project")
    return head  # type: ignore[return-value]


def projects_of(*, user: User, search: str = "", team_id: int | None = None) -> QuerySet[Project]:
    projects = Project.objects.select_related("team").filter(team__memberships__user_id=user.pk)
    if team_id is not None:
        projects = projects.filter(team_id=team_id) if team_id <= MAX_ID else projects.none()
    if search:
        projects = projects.filter(name__icontains=search)
    return projects.distinct()


def revision_get(*, project: Project, number: int) -> Revision:
    revision = project.revisions.select_related("author").filter(number=number).first() if number <= MAX_ID else None
    if revision is None:
        raise NotFound(f"Project {project.pk} has no revision {number}.")
    return revision


def invitations_pending(*, team: Team) -> QuerySet[Invitation]:
    """Invitations of ``team`` that can still be accepted, newest first."""
    return Invitation.objects.select_related("invited_by").filter(team=team).pending().order_by("-created_at", "-id")
