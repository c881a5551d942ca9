"""``POST /api/projects/import/``: a SAM or CloudFormation template becomes a project (or, in preview, only
shows what it would become). Thin: parse, pick the team, call the import service, shape the answer."""

from __future__ import annotations

import logging
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth import signed_in
from apps.core.errors import ApiError, ErrorDetail
from apps.core.openapi import errors
from apps.core.parsers import LimitedJSONParser
from apps.core.throttling import ImportThrottle
from apps.designs.document import DesignInvalid
from apps.importing import services
from apps.importing.loader import MAX_BYTES, TemplateRefused
from apps.importing.serializers import (
    ImportCreatedSerializer,
    ImportPreviewSerializer,
    ImportTemplateSerializer,
    ImportUploadSerializer,
)
from apps.projects.api import roles_by_team, team_for_new_project
from apps.projects.serializers import ProjectSerializer

logger = logging.getLogger("tierplan.importing")

PREVIEW_VALUES = {"1": True, "true": True, "0": False, "false": False}


def query_preview(request: Request) -> bool:
    values = request.query_params.getlist("preview")
    if not values:
        return False
    if len(values) > 1 or values[0].lower() not in PREVIEW_VALUES:
        raise ApiError(
            "preview must be 1 or 0 (true or false).", details=[ErrorDetail("/preview", "must be 1, 0, true or false")]
        )
    return PREVIEW_VALUES[values[0].lower()]


def template_source(request: Request) -> tuple[dict[str, Any], bytes | str, str, str]:
    """The validated fields, the template (bytes of an upload or text), the JSON pointer that names it and
    the uploaded file's name ("" when pasted)."""
    if request.content_type.startswith("multipart/"):
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = form.validated_data
        upload = values["file"]
        # Refused by its size before a byte of it is read (Django has it in memory or a temporary file).
        if upload.size > MAX_BYTES:
            raise refused(
                TemplateRefused(f"the template is {upload.size:,} bytes; at most {MAX_BYTES:,} (1 MB) are read"),
                "/file",
            )
        return values, upload.read(), "/file", upload.name or ""
    body = ImportTemplateSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    values = body.validated_data
    return values, values["template"], "/template", ""


def refused(exc: Exception, pointer: str) -> ApiError:
    return ApiError(f"The template cannot be imported: {exc}.", code="invalid_template",
                    details=[ErrorDetail(pointer, str(exc))])  # fmt: skip


EXAMPLE_TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Description: Orders service
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref OrdersTable}
  OrdersTable:
    Type: AWS::Serverless::SimpleTable
"""

IMPORT_REQUEST = {"application/json": ImportTemplateSerializer, "multipart/form-data": ImportUploadSerializer}


class ProjectImportApi(APIView):
    parser_classes = [LimitedJSONParser, MultiPartParser]
    throttle_classes = [ImportThrottle]

    @extend_schema(
        request=IMPORT_REQUEST,
        parameters=[
            OpenApiParameter(
                "preview",
                {"type": "string", "enum": ["1", "0", "true", "false"]},
                description="1: only read the template (as the preview field does)",
            )
        ],
        responses={
            201: OpenApiResponse(ImportCreatedSerializer, description="The new project and the import report"),
            200: OpenApiResponse(
                ImportPreviewSerializer, description="Preview: the design and the report; nothing created"
            ),
            **errors(
                400,
                403,
                413,
                e400=(
                    "Not a template Tierplan reads (not YAML or JSON, no Resources, an unknown tag, a macro, a YAML "
                    "bomb, over 1 MB), or not a member of the team; details point at /template, /file or /team."
                ),
                e403="A viewer of the team",
                e413="The request body is over 2 MB",
            ),
        },
        examples=[
            OpenApiExample(
                "A small SAM template",
                value={"template": EXAMPLE_TEMPLATE, "name": "Orders"},
                request_only=True,
                media_type="application/json",
            )
        ],
        summary="Import a SAM or CloudFormation template as a new project",
        description=(
            'Send the template as JSON (`{"template": "<text>", "name", "team"}`) or as a multipart upload (field '
            "`file`, with `name` and `team` as form fields). Revision 1 of the new project is the imported design; "
            "the report says what each resource became. With `?preview=1` (or `preview: true`) nothing is created."
        ),
    )
    def post(self, request: Request) -> Response:
        preview = query_preview(request)
        values, raw, pointer, file_name = template_source(request)
        preview = preview or values["preview"]
        user = signed_in(request)
        # The team first: a viewer hears so before the template is read.
        team = None if preview else team_for_new_project(user=user, team_id=values.get("team"))
        try:
            if team is None:
                result = services.template_import(raw=raw, name=values["name"], file_name=file_name)
                body = {"design": result.design.canonical(), "report": result.report.as_dict()}
                return Response(body, status=status.HTTP_200_OK)
            project, result = services.project_import(
                team=team, user=user, raw=raw, name=values["name"], file_name=file_name
            )
        except TemplateRefused as exc:
            raise refused(exc, pointer) from None
        except DesignInvalid as exc:
            # The engine read the template but made a design it cannot keep: its bug, told as the input's
            # problem so that nothing half-made is stored.
            logger.warning("An imported design did not validate: %s", exc)
            raise refused(Exception(f"the design it makes is not valid ({exc})"), pointer) from None
        context = {"request": request, "roles": roles_by_team(request)}
        body = {"project": ProjectSerializer(project, context=context).data, "report": result.report.as_dict()}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": f"/api/projects/{project.pk}/"})
