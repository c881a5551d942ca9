"""Pagination that answers a bad ``limit``/``offset`` with 400 instead of guessing (or crashing)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApiError, ErrorDetail

MAX_LIMIT = 500
# Past this, an offset can only be a probe: no list here holds a billion rows, and a database refuses
# offsets beyond its integer type (SQLite: "Python int too large to convert").
MAX_OFFSET = 1_000_000_000


def _bounded_int(request: Request, name: str, *, minimum: int, maximum: int) -> int | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    raw = values[-1]
    ok = len(values) == 1 and raw.isascii() and raw.isdecimal() and len(raw) <= len(str(maximum))
    if not ok or not minimum <= int(raw) <= maximum:
        raise ApiError(
            f"{name} must be one integer from {minimum} to {maximum}.",
            details=[ErrorDetail(f"/{name}", f"must be an integer from {minimum} to {maximum}")],
        )
    return int(raw)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """DRF's limit/offset pages with the bounds the OpenAPI schema states, enforced."""

    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int | None:
        limit = _bounded_int(request, self.limit_query_param, minimum=1, maximum=MAX_LIMIT)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        return _bounded_int(request, self.offset_query_param, minimum=0, maximum=MAX_OFFSET) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, MAX_LIMIT), self.offset_query_param: (0, MAX_OFFSET)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"] = {"type": "integer", "minimum": low, "maximum": high}
        return parameters


class PaginatedListApi(APIView):
    """A list answered in pages (``{count, next, previous, results}``); the schema documents the envelope."""

    pagination_class = BoundedLimitOffsetPagination


def paginated(request: Request, view: PaginatedListApi, queryset: Any, serializer: Any, **context: Any) -> Response:
    """One page of ``queryset`` through ``serializer``, in the envelope the schema documents for ``view``."""
    paginator = view.pagination_class()
    page: Any = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer(page, many=True, context={"request": request, **context}).data
    return paginator.get_paginated_response(data)
