"""Read-only API of the catalog, the pattern library and the design document's JSON Schema.

Public: none of it is secret, and the sign-up page and review pages use it too.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApiError, ErrorDetail
from apps.core.pagination import PaginatedListApi
from apps.core.params import TEXT_PARAMETER, query_text
from apps.designs.catalog import get_catalog
from apps.designs.cfn_schemas import resource_schema, search_resource_types
from apps.designs.document import design_json_schema
from apps.designs.icons import icon_url, resource_icon_urls
from apps.designs.patterns import PatternNotFound, get_pattern, pattern_library
from apps.designs.serializers import CatalogSerializer, CloudFormationTypeSerializer, PatternSerializer


def catalog_as_json() -> dict[str, Any]:
    catalog = get_catalog()
    return {
        "tiers": [{"id": t.name, "label": t.label, "description": t.description} for t in catalog.tiers.values()],
        "families": [{"id": f.name, "label": f.label} for f in catalog.families.values()],
        "types": [
            {
                "type": ctype.name,
                "label": ctype.label,
                "tier": ctype.tier,
                "family": ctype.family,
                "description": ctype.description,
                "icon": icon_url(ctype),
                "props": ctype.props.json_schema(),
                "usage": ctype.usage.json_schema(),
                "defaults": {"props": ctype.props.defaults(), "usage": ctype.usage.defaults()},
                "cloudformation_types": list(ctype.cloudformation_types),
                "env_suffix": ctype.env_suffix,
                "vpc_endpoint": (
                    {"service": e.service, "type": e.type, "label": e.label}
                    if (e := ctype.vpc_endpoint) is not None
                    else None
                ),
                "vpc_only": ctype.vpc_only,
                "not_estimated": ctype.not_estimated,
                # A generic resource is drawn with its resource type's service icon (null for the others).
                "resource_icons": resource_icon_urls() if "resource_type" in ctype.props.fields else None,
            }
            for ctype in catalog
        ],
        "group_kinds": [
            {
                "kind": g.name,
                "label": g.label,
                "description": g.description,
                "parents": sorted(g.parents),
                "props": g.props.json_schema(),
            }
            for g in catalog.group_kinds.values()
        ],
        "connection_kinds": [
            {
                "kind": k.name,
                "label": k.label,
                "description": k.description,
                "sources": sorted(k.sources),
                "targets": sorted(k.targets),
                "excludes": [
                    {"source": source, "target": target, "why": why}
                    for (source, target), why in sorted(k.excludes.items())
                ],
                "props": k.props.json_schema(),
            }
            for k in catalog.connection_kinds.values()
        ],
    }


class CatalogApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=CatalogSerializer, summary="Component types, group kinds and connection kinds")
    def get(self, request: Request) -> Response:
        return Response(catalog_as_json())


class CloudFormationTypeListApi(PaginatedListApi):
    """The resource types a ``cloudformation_resource`` may be (~1,800: too many for every catalog fetch)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", TEXT_PARAMETER, description="Words the type must contain, e.g. ssm or route53 record")
        ],
        responses=CloudFormationTypeSerializer(many=True),
        summary="CloudFormation resource types, best matches first",
    )
    def get(self, request: Request) -> Response:
        names = search_resource_types(query_text(request, "q"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(names, request, view=self) or []
        # Schemas are read for the page only (and cached), never for all types at once.
        results = []
        for name in page:
            schema = resource_schema(name)
            results.append({"type": name, "required": list(schema.required), "properties": list(schema.properties)})
        return paginator.get_paginated_response(results)


class DesignSchemaApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={(200, "application/schema+json"): OpenApiTypes.OBJECT},
        summary="JSON Schema of the design document (tierplan.design/v1)",
    )
    def get(self, request: Request) -> Response:
        return Response(design_json_schema(), content_type="application/schema+json")


def pattern_not_found(exc: PatternNotFound, *, pointer: str = "") -> ApiError:
    return ApiError(
        f"There is no pattern {exc.slug!r}. Known patterns: {', '.join(exc.known)}.",
        code="pattern_not_found",
        status_code=status.HTTP_404_NOT_FOUND,
        details=[ErrorDetail(pointer, f"unknown pattern; one of: {', '.join(exc.known)}")],
    )


class PatternListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=PatternSerializer(many=True), summary="The pattern library")
    def get(self, request: Request) -> Response:
        return Response([pattern.as_dict(with_design=False) for pattern in pattern_library().values()])


class PatternDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=PatternSerializer, summary="One pattern with its design document")
    def get(self, request: Request, slug: str) -> Response:
        try:
            return Response(get_pattern(slug).as_dict())
        except PatternNotFound as exc:
            raise pattern_not_found(exc) from None
