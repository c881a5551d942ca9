"""Share links, the review API (no account needed), comments for members, and findings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth import signed_in
from apps.core.errors import ApiError, ErrorDetail
from apps.core.params import ID_PARAMETER, query_int
from apps.core.throttling import ReviewThrottle
from apps.designs.document import validate_design
from apps.projects import selectors
from apps.review import review, rules_catalog
from apps.review import services as review_services
from apps.review.models import Comment, ShareLink
from apps.review.preparation import RETRY_AFTER_SECONDS
from apps.review.selectors import comment_as_dict, review_snapshot
from apps.review.serializers import (
    CommentInputSerializer,
    CommentSerializer,
    FindingSerializer,
    ReplyInputSerializer,
    ResolveInputSerializer,
    ReviewSnapshotSerializer,
    RuleSerializer,
    ShareLinkCreatedSerializer,
    ShareLinkInputSerializer,
    ShareLinkSerializer,
)
from apps.review.throttling import ReviewCommentThrottle, client_key


def link_as_dict(link: ShareLink, request: Request) -> dict[str, Any]:
    return {
        "id": link.pk,
        "label": link.label,
        "revision": link.revision.number if link.revision else None,
        "follows_latest": link.revision_id is None,
        "allow_downloads": link.allow_downloads,
        "expires_at": link.expires_at.isoformat() if link.expires_at else None,
        "revoked": link.revoked_at is not None,
        "created_at": link.created_at.isoformat(),
    }


class ShareLinksApi(APIView):
    throttle_classes = [ReviewThrottle]

    @extend_schema(
        responses=ShareLinkSerializer(many=True), summary="Share links of a project (tokens are never shown again)"
    )
    def get(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id, ability="write")
        return Response([link_as_dict(link, request) for link in project.share_links.select_related("revision")])

    @extend_schema(
        request=ShareLinkInputSerializer,
        responses={201: ShareLinkCreatedSerializer},
        summary="Create a review link (editors); the token is shown once",
    )
    def post(self, request: Request, project_id: int) -> Response:
        user = signed_in(request)
        project, _ = selectors.project_get(user=user, project_id=project_id, ability="write")
        data = ShareLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        revision = None
        if "revision" in values:
            revision = project.revisions.filter(number=values["revision"]).first()
            if revision is None:
                raise ApiError(
                    f"Project {project.pk} has no revision {values['revision']}.",
                    details=[ErrorDetail("/revision", "no such revision")],
                )
        expires_at = timezone.now() + timedelta(days=values["expires_in_days"]) if "expires_in_days" in values else None
        link, token = review_services.share_link_create(
            project=project,
            user=user,
            revision=revision,
            label=values["label"],
            expires_at=expires_at,
            allow_downloads=values["allow_downloads"],
        )
        body = {**link_as_dict(link, request), "token": token, "url": request.build_absolute_uri(f"/review/{token}/")}
        return Response(body, status=status.HTTP_201_CREATED)


class ShareLinkDetailApi(APIView):
    @extend_schema(responses={204: None}, summary="Revoke a review link (editors)")
    def delete(self, request: Request, project_id: int, link_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id, ability="write")
        link = project.share_links.filter(pk=link_id).first()
        if link is None:
            raise NotFound("No share link with that id.")
        review_services.share_link_revoke(link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


def active_link(token: str) -> ShareLink:
    link = review_services.share_link_find(token=token)
    if link is None:
        raise NotFound("No review here.")  # revoked, expired and unknown look the same
    return link


class ReviewApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ReviewThrottle]

    @extend_schema(
        responses=ReviewSnapshotSerializer,
        summary="What a review link shows, as JSON (no account needed)",
        description="Diagram, estimate and findings are made by jobs: `pending` names the parts still being "
        "prepared (null until then; ask again after Retry-After), `failed` those that could not be made.",
    )
    def get(self, request: Request, token: str) -> Response:
        snapshot = review_snapshot(active_link(token))
        headers = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}
        if snapshot["pending"]:
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Response(snapshot, headers=headers)


class ReviewCommentsApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ReviewThrottle, ReviewCommentThrottle]

    @extend_schema(
        request=CommentInputSerializer,
        responses={201: CommentSerializer},
        summary="Comment on the reviewed revision (no account needed)",
    )
    def post(self, request: Request, token: str) -> Response:
        link = active_link(token)
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = link.shown_revision()
        comment = review_services.comment_create(
            project=link.project,
            share_link=link,
            revision_number=revision.number,
            author_name=data.validated_data["author_name"],
            body=data.validated_data["body"],
            component_id=data.validated_data["component"],
            components={c["id"] for c in revision.design["components"]},
            client_key=client_key(request),
        )
        return Response(
            comment_as_dict(comment, for_link=True),
            status=status.HTTP_201_CREATED,
            headers={"Referrer-Policy": "no-referrer"},
        )


class ProjectCommentsApi(APIView):
    @extend_schema(
        responses=CommentSerializer(many=True), summary="Review comments on a project, with replies (members)"
    )
    def get(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        comments = project.review_comments.filter(parent=None).prefetch_related("replies")
        return Response([comment_as_dict(c) for c in comments])


class CommentRepliesApi(APIView):
    @extend_schema(
        request=ReplyInputSerializer,
        responses={201: CommentSerializer},
        summary="Reply to a review comment (any member)",
    )
    def post(self, request: Request, project_id: int, comment_id: int) -> Response:
        user = signed_in(request)
        # Any member may answer a reviewer; resolving is for editors (CommentDetailApi).
        project, _ = selectors.project_get(user=user, project_id=project_id)
        parent = _comment(project, comment_id)
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = review_services.comment_create(
            project=project, revision_number=parent.revision_number, author_name=user.get_username(), body=data.validated_data["body"],
            component_id=parent.component_id, components={parent.component_id} if parent.component_id else set(), author=user, parent=parent,
        )  # fmt: skip
        return Response(comment_as_dict(reply), status=status.HTTP_201_CREATED)


class CommentDetailApi(APIView):
    @extend_schema(
        request=ResolveInputSerializer,
        responses=CommentSerializer,
        summary="Resolve or reopen a review comment (editors)",
    )
    def patch(self, request: Request, project_id: int, comment_id: int) -> Response:
        user = signed_in(request)
        project, _ = selectors.project_get(user=user, project_id=project_id, ability="write")
        data = ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = review_services.comment_resolve(
            comment=_comment(project, comment_id), user=user, resolved=data.validated_data["resolved"]
        )
        return Response(comment_as_dict(comment))


def _comment(project: Any, comment_id: int) -> Comment:
    comment = project.review_comments.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("No comment with that id.")
    return comment


class FindingsApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("revision", ID_PARAMETER, description="Revision to review (default: the newest)")],
        responses=FindingSerializer(many=True),
        summary="Review findings of a revision (rules from the seed documents and AWS quotas)",
    )
    def get(self, request: Request, project_id: int) -> Response:
        project, _ = selectors.project_get(user=signed_in(request), project_id=project_id)
        number = query_int(request, "revision", meaning="a revision number") or project.head_number
        revision = selectors.revision_get(project=project, number=number)
        return Response(review(validate_design(revision.design)))


class RulesApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=RuleSerializer(many=True), summary="Every review rule: id, severity, title, reference")
    def get(self, request: Request) -> Response:
        return Response(rules_catalog())
