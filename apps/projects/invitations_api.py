"""HTTP API of team invitations: owners invite an email address, list and revoke pending invitations;
the invitee accepts with the token from the email. Why that is safe: services.invitation_accept."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth import signed_in
from apps.core.openapi import errors
from apps.core.pagination import PaginatedListApi, paginated
from apps.core.throttling import InvitationThrottle
from apps.projects import selectors, services
from apps.projects.models import Invitation, Team
from apps.projects.serializers import InvitationAcceptedSerializer, InvitationCreateSerializer, InvitationSerializer


def invite(request: Request, *, team: Team, email: str, role: str) -> Invitation:
    """Invite ``email`` to ``team``; the accept link in the email points at this server's invitation page."""

    def link_for(token: str) -> str:
        return request.build_absolute_uri(reverse("invitation-page", args=[token]))

    return services.invitation_create(
        team=team, email=email, role=role, invited_by=signed_in(request), link_for=link_for
    )


class InvitationListApi(PaginatedListApi):
    throttle_classes = [InvitationThrottle]

    @extend_schema(
        responses={200: InvitationSerializer(many=True), **errors(400, 401, 403, 404)},
        summary="Pending invitations of a team (owners)",
    )
    def get(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        return paginated(request, self, selectors.invitations_pending(team=team), InvitationSerializer)

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={
            201: InvitationSerializer,
            **errors(400, 401, 403, 404, 429, 503, e503="The invitation email could not be sent"),
        },
        summary="Invite an email address to the team (owners); the link goes only to that address",
        description=(
            "Emails the address a link to accept the invitation. Whoever accepts it while signed in gets the "
            "role; no account is added because of the email it lists. Inviting an address again replaces its "
            "pending invitation. The token is never returned."
        ),
    )
    def post(self, request: Request, team_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invite(request, team=team, **data.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetailApi(APIView):
    @extend_schema(
        responses={204: OpenApiResponse(description="Revoked"), **errors(401, 403, 404)},
        summary="Revoke a pending invitation (owners); its link stops working",
    )
    def delete(self, request: Request, team_id: int, invitation_id: int) -> Response:
        team, _ = selectors.team_get(user=signed_in(request), team_id=team_id, ability="manage_members")
        invitation = team.invitations.filter(pk=invitation_id).first()
        if invitation is None or not services.invitation_revoke(invitation=invitation):
            raise services.invitation_not_found()
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptApi(APIView):
    throttle_classes = [InvitationThrottle]

    @extend_schema(
        request=None,
        responses={
            200: InvitationAcceptedSerializer,
            **errors(
                401,
                403,
                404,
                409,
                429,
                e403="Signed in by a session cookie, but the CSRF token is missing (no role is needed)",
                e404="Unknown, used, expired and revoked invitations all answer this",
                e409="You are already a member of the team",
            ),
        },
        summary="Accept an invitation: you (the signed-in user) join its team with its role",
    )
    def post(self, request: Request, token: str) -> Response:
        invitation = services.invitation_find(token=token)
        if invitation is None:
            raise services.invitation_not_found()
        membership = services.invitation_accept(invitation=invitation, user=signed_in(request))
        return Response(InvitationAcceptedSerializer(membership).data)
