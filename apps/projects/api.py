"""HTTP API of teams, projects, designs and revisions (ARCHITECTURE §5). Thin: parse, authorize, call a
service or selector, shape the answer."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth import signed_in
from apps.core.errors import ApiError, ErrorDetail, PreconditionRequired
from apps.core.openapi import errors
from apps.core.pagination import PaginatedListApi, paginated
from apps.core.params import ID_PARAMETER, TEXT_PARAMETER, query_int, query_text
from apps.core.throttling import InvitationThrottle
from apps.designs.api import pattern_not_found
from apps.designs.diff import design_diff
from apps.designs.document import Design, DesignInvalid, validate_design
from apps.designs.patterns import CompositionError, PatternNotFound, get_pattern
from apps.live import services as live_services
from apps.projects import selectors, services
from apps.projects.invitations_api import invite
from apps.projects.models import Membership, Project, Team
from apps.projects.serializers import (
    MEMBER_ADD_REQUEST,
    ApplyPatternSerializer,
    DesignSaveResultSerializer,
    InvitationSerializer,
    MemberAddSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    TeamInputSerializer,
    TeamSerializer,
)

ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')
# Revision numbers are positive and fit a 64-bit integer column; a longer number can name no revision.
ETAG_MAX_DIGITS = 18


def if_match_parameter(*, required: bool, description: str) -> OpenApiParameter:
    """The If-Match header as the API reads it: one revision number, quoted or not, weak or not."""
    schema = {"type": "string", "pattern": f'^\\s*(W/)?"?[0-9]{{1,{ETAG_MAX_DIGITS}}}"?\\s*$'}
    return OpenApiParameter("If-Match", schema, OpenApiParameter.HEADER, required=required, description=description)


def validated_design(data: Any, *, pointer_prefix: str = "") -> Design:
    """Validate a design from a request body, or answer 400 naming every bad field."""
    try:
        return validate_design(data)
    except DesignInvalid as exc:
        raise ApiError(
            f"The design document is invalid: {exc}",
            code="invalid_design",
            details=[ErrorDetail(pointer_prefix + p.pointer, p.message) for p in exc.problems],
        ) from None


def etag(number: int) -> str:
    return f'"{number}"'


def expected_revision(request: Request, *, required: bool = True) -> int | None:
    header = request.headers.get("If-Match")
    if not header and not required:
        return None
    if not header:
        raise PreconditionRequired(
            'Saving a design requires an If-Match header with the revision you edited (its ETag, e.g. "3").'
        )
    match = ETAG.match(header)
    if match is None:
        raise PreconditionRequired(
            f'If-Match must name one revision number (the design\'s ETag, e.g. "3"), not {header!r}.'
        )
    digits = match.group(1)
    if len(digits) > ETAG_MAX_DIGITS:
        raise ApiError(
            f"If-Match names revision {digits[:20]}…, which cannot exist: revision numbers have at most "
            f"{ETAG_MAX_DIGITS} digits.",
            code="invalid_precondition",
            details=[ErrorDetail("/If-Match", f"must be a revision number of at most {ETAG_MAX_DIGITS} digits")],
        )
    return int(digits)


def roles_by_team(request: Request) -> dict[int, str]:
    return dict(Membership.objects.filter(user_id=signed_in(request).pk).values_list("team_id", "role"))


# Teams ---------------------------------------------------------------------------------------------


class TeamListApi(PaginatedListApi):
    @extend_schema(responses=TeamSerializer(many=True), summary="Teams you belong to")
    def get(self, request: Request) -> Response:
        teams = selectors.teams_of(user=signed_in(request)).prefetch_related("memberships__user")
        return paginated(request, self, teams, TeamSerializer)

    @extend_schema(request=TeamInputSerializer, responses={201: TeamSerializer}, summary="Create a shared team")
    def post(self, request: Request) -> Response:
        data = TeamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(name=data.validated_data["name"], owner=signed_in(request))
        return Response(TeamSerializer(team, context={"request": request}).data, status=status.HTTP_201_CREATED)


class TeamDetailApi(APIView):
    @extend_schema(responses=TeamSerializer, summary="A team and its members")
    def get(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id)
        return Response(TeamSerializer(team, context={"request": request}).data)

    @extend_schema(request=TeamInputSerializer, responses=TeamSerializer, summary="Rename a team (owners)")
    def patch(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        data = TeamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.team_update(team=team, name=data.validated_data["name"])
        return Response(TeamSerializer(team, context={"request": request}).data)

    @extend_schema(
        responses={204: None, **errors(409, e409="A personal team, or a team that still has projects")},
        summary="Delete an empty shared team (owners)",
    )
    def delete(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        services.team_delete(team=team)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListApi(APIView):
    # Adding by email sends one: the same limit as inviting.
    throttle_classes = [InvitationThrottle]

    @extend_schema(responses=MemberSerializer(many=True), summary="Members of a team")
    def get(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id)
        members = team.memberships.select_related("user").order_by("user__username")
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(
        request=MEMBER_ADD_REQUEST,
        responses={
            201: OpenApiResponse(MemberSerializer, description="Added by username"),
            202: OpenApiResponse(InvitationSerializer, description="Given an email: an invitation was sent to it"),
            **errors(400, 401, 403, 404, 409, 429, 503, e503="The invitation email could not be sent"),
        },
        summary="Add an existing user by username, or invite an email address (owners)",
        description=(
            "A username adds that account at once. An email address is never matched to the account that "
            "lists it (emails are not verified): it gets an invitation link, and whoever accepts it joins."
        ),
    )
    def post(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        data = MemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "user" not in values:
            invitation = invite(request, team=team, email=values["email"], role=values["role"])
            return Response(InvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED)
        membership = services.membership_add(team=team, user=values["user"], role=values["role"])
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    def _membership(self, team: Team, user_id: int) -> Membership:
        membership = team.memberships.select_related("user").filter(user_id=user_id).first()
        if membership is None:
            raise NotFound("That user is not a member of this team.")
        return membership

    @extend_schema(
        request=MemberRoleSerializer,
        responses={200: MemberSerializer, **errors(409, e409="The team would be left without an owner")},
        summary="Change a member's role (owners)",
    )
    def patch(self, request: Request, team_id: int, user_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        data = MemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=self._membership(team, user_id), role=data.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        responses={204: None, **errors(409, e409="The team would be left without an owner")},
        summary="Remove a member (owners), or leave the team yourself",
    )
    def delete(self, request: Request, team_id: int, user_id: int) -> Response:
        leaving = user_id == signed_in(request).pk
        team, _ = selectors.team_get(
            user=signed_in(request), team_id=team_id, ability="read" if leaving else "manage_members"
        )
        services.membership_remove(membership=self._membership(team, user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Projects ------------------------------------------------------------------------------------------


def team_for_new_project(*, user: Any, team_id: int | None) -> Team:
    """The team a new project goes to: the one named, else the caller's personal team; the caller must be
    able to write there. Answers 400 (not a member) or 403 (a viewer), pointing at ``/team``."""
    # The personal team is checked like any other: its owner may have been demoted or have left it.
    if team_id is None:
        team_id = getattr(getattr(user, "personal_team", None), "pk", 0)
    try:
        team, _ = selectors.team_get(user=user, team_id=team_id, ability="write")
    except NotFound:
        raise ApiError("You are not a member of that team.", details=[ErrorDetail("/team", "unknown team")]) from None
    except PermissionDenied:
        raise ApiError(
            "Viewers cannot create projects in this team.",
            code="permission_denied",
            status_code=status.HTTP_403_FORBIDDEN,
            details=[ErrorDetail("/team", "you are a viewer")],
        ) from None
    return team


class ProjectListApi(PaginatedListApi):
    @extend_schema(
        parameters=[
            OpenApiParameter("search", TEXT_PARAMETER, description="Part of the project name"),
            OpenApiParameter("team", ID_PARAMETER, description="Only this team's projects"),
        ],
        responses=ProjectSerializer(many=True),
        summary="Projects of your teams, most recently updated first",
    )
    def get(self, request: Request) -> Response:
        projects = selectors.projects_of(
            user=signed_in(request), search=query_text(request, "search"), team_id=query_int(request, "team")
        ).select_related("created_by")
        return paginated(request, self, projects, ProjectSerializer, roles=roles_by_team(request))

    @extend_schema(
        request=ProjectCreateSerializer,
        responses={201: ProjectSerializer, **errors(404, e404="No pattern with that slug, or no such team for you")},
        summary="Create a project",
    )
    def post(self, request: Request) -> Response:
        data = ProjectCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = signed_in(request)
        team = team_for_new_project(user=user, team_id=values.get("team"))
        design = None
        if "design" in values:
            design = validated_design(values["design"], pointer_prefix="/design")
        elif "pattern" in values:
            try:
                design = get_pattern(values["pattern"]).design
            except PatternNotFound as exc:
                raise pattern_not_found(exc, pointer="/pattern") from None
        name = values.get("name") or (design.name if design else None)
        if not name:
            raise ApiError("A project needs a name.", details=[ErrorDetail("/name", "this field is required")])
        project = services.project_create(
            team=team,
            user=user,
            name=name,
            description=values["description"],
            design=design,
            message=f"Created from the {values['pattern']} pattern" if "pattern" in values else "",
        )
        body = ProjectSerializer(project, context={"request": request, "roles": roles_by_team(request)}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": f"/api/projects/{project.pk}/"})


class ProjectDetailApi(APIView):
    def _answer(self, request: Request, project: Project) -> Response:
        return Response(ProjectSerializer(project, context={"request": request, "roles": roles_by_team(request)}).data)

    @extend_schema(responses=ProjectSerializer, summary="A project")
    def get(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        return self._answer(request, project)

    @extend_schema(request=ProjectUpdateSerializer, responses=ProjectSerializer, summary="Rename or describe a project")
    def patch(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id, ability="write")
        data = ProjectUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.project_update(project=project, data=data.validated_data)
        return self._answer(request, project)

    @extend_schema(responses={204: None}, summary="Delete a project and all its revisions (owners)")
    def delete(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id, ability="delete")
        services.project_delete(project=project)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Designs and revisions -----------------------------------------------------------------------------


class DesignApi(APIView):
    @extend_schema(
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
        summary="The current design document; the ETag header is its revision number",
    )
    def get(self, request: Request, project_id: int) -> Response:
        head = selectors.design_head_get(user=signed_in(request), project_id=project_id)
        # Live edits since the last pause become a revision first: scripts read the current design.
        if live_services.live_flush(project_id=project_id):
            head = selectors.design_head_get(user=signed_in(request), project_id=project_id)
        return Response(head.design, headers={"ETag": etag(head.number)})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[if_match_parameter(required=True, description='ETag of the revision you edited, e.g. "3"')],
        responses=DesignSaveResultSerializer,
        summary='Save a new revision of the design (the body is the design document, or {"design": …, "message": …})',
    )
    def put(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id, ability="write")
        expected = expected_revision(request)
        assert expected is not None
        body = request.data
        message = ""
        prefix = ""
        # A design document never has a "design" field (unknown fields are rejected), so a body with
        # one is the wrapper form that also carries a revision message.
        if isinstance(body, dict) and "design" in body and "schema" not in body:
            unknown = sorted(set(body) - {"design", "message"})
            if unknown:
                raise ApiError(
                    "Unknown fields in the request.",
                    details=[ErrorDetail(f"/{name}", "unknown field") for name in unknown],
                )
            message = body.get("message") or ""
            if not isinstance(message, str) or len(message) > 500 or "\x00" in message:
                raise ApiError(
                    "The message must be text of at most 500 characters.",
                    details=[ErrorDetail("/message", "must be a string of at most 500 characters")],
                )
            body, prefix = body["design"], "/design"
        design = validated_design(body, pointer_prefix=prefix)
        revision, created = services.design_save(
            project=project, user=signed_in(request), design=design, expected_number=expected, message=message
        )
        return saved(revision, created)


def saved(revision: Any, created: bool) -> Response:
    result = {"revision": RevisionSerializer(revision).data, "created": created, "design": revision.design}
    return Response(result, headers={"ETag": etag(revision.number)})


class ApplyPatternApi(APIView):
    @extend_schema(
        request=ApplyPatternSerializer,
        parameters=[
            if_match_parameter(required=False, description="Optional: apply only if this is still the newest revision")
        ],
        responses=DesignSaveResultSerializer,
        summary="Merge a pattern into the current design as a new revision",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id, ability="write")
        expected = expected_revision(request, required=False)
        data = ApplyPatternSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            pattern = get_pattern(values["pattern"])
        except PatternNotFound as exc:
            raise pattern_not_found(exc, pointer="/pattern") from None
        try:
            revision, created = services.design_apply_pattern(
                project=project,
                user=signed_in(request),
                pattern=pattern.design,
                mapping=values["mapping"],
                expected_number=expected,
                message=values["message"] or f"Applied the {pattern.slug} pattern",
            )
        except CompositionError as exc:
            raise ApiError(
                f"The pattern cannot be applied: {exc}", code="invalid_mapping", details=exc.problems
            ) from None
        except DesignInvalid as exc:
            raise ApiError(
                f"Applying the pattern would make the design invalid: {exc}",
                code="invalid_design",
                details=exc.problems,
            ) from None
        return saved(revision, created)


class RevisionListApi(PaginatedListApi):
    @extend_schema(responses=RevisionSerializer(many=True), summary="Revisions of a project, newest first")
    def get(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        return paginated(
            request, self, project.revisions.select_related("author").order_by("-number"), RevisionSerializer
        )


class RevisionDetailApi(APIView):
    @extend_schema(responses=RevisionDetailSerializer, summary="One revision with its design document")
    def get(self, request: Request, project_id: int, number: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        revision = selectors.revision_get(project=project, number=number)
        return Response(RevisionDetailSerializer(revision).data, headers={"ETag": etag(revision.number)})


class RevisionDiffApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("against", ID_PARAMETER, description="Revision to compare with (default: the one before)")
        ],
        responses=OpenApiTypes.OBJECT,
        summary="What changed from revision {against} to revision {number}",
    )
    def get(self, request: Request, project_id: int, number: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        revision = selectors.revision_get(project=project, number=number)
        against = query_int(request, "against", meaning="a revision number")
        against_number = number - 1 if against is None else against
        if against_number < 1:
            raise ApiError(
                "Revision 1 has no earlier revision; pass ?against=N.",
                details=[ErrorDetail("/against", "required for revision 1")],
            )
        other = selectors.revision_get(project=project, number=against_number)
        diff = design_diff(other.design, revision.design)
        return Response(
            {"from": other.number, "to": revision.number, **diff, "cost": revision_cost_diff(other, revision)}
        )


def revision_cost_diff(old: Any, new: Any) -> dict[str, Any]:
    """What the change costs a month (estimates at each revision's own workload, free tier off)."""
    from apps import costing
    from apps.core.pointers import Invalid

    try:
        return costing.cost_diff(
            costing.estimate(validate_design(old.design)), costing.estimate(validate_design(new.design))
        )
    except Invalid as exc:
        return {"error": str(exc)}
