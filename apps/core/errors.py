"""One error shape for the whole API.

Every error response is ``{"error": {"code", "message", "details": [{"pointer", "message"}]}}``;
``pointer`` is an RFC 6901 JSON pointer into the request body ("" for the body as a whole).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.core.pointers import Problem, json_pointer

# Field errors are the engines' Problem under the name the API uses.
ErrorDetail = Problem


class ApiError(exceptions.APIException):
    """An application error that already knows its HTTP status, code and field details."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: Sequence[ErrorDetail] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail=message, code=code or self.default_code)
        if status_code is not None:
            self.status_code = status_code
        self.message = message
        self.code = code or self.default_code
        self.details = list(details)
        self.headers = dict(headers or {})


class PreconditionFailed(ApiError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_revision"


class PreconditionRequired(ApiError):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "if_match_required"


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def error_body(code: str, message: str, details: Sequence[ErrorDetail] = ()) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": [d.as_dict() for d in details]}}


def _flatten_drf_detail(detail: Any, path: tuple[str | int, ...] = ()) -> list[ErrorDetail]:
    """Turn DRF's nested validation detail (dicts and lists of messages) into pointer/message pairs."""
    if isinstance(detail, Mapping):
        found: list[ErrorDetail] = []
        for key, value in detail.items():
            segment: tuple[str | int, ...] = () if key == "non_field_errors" else (key,)
            found.extend(_flatten_drf_detail(value, path + segment))
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, (Mapping, list)) for item in detail):
            return [ErrorDetail(json_pointer(path), str(item)) for item in detail]
        found = []
        for index, item in enumerate(detail):
            found.extend(_flatten_drf_detail(item, path + (index,)))
        return found
    return [ErrorDetail(json_pointer(path), str(detail))]


_CODES_BY_EXCEPTION: list[tuple[type[Exception], str]] = [
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
    (exceptions.ParseError, "malformed_request"),
]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler that gives every error the same shape (and keeps DRF's headers)."""
    # Imported here: rest_framework.views loads the parser classes, which import this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, ApiError):
        response.data = error_body(exc.code, exc.message, exc.details)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    if isinstance(exc, exceptions.ValidationError):
        details = _flatten_drf_detail(exc.detail)
        message = "; ".join(f"{d.pointer or '(body)'}: {d.message}" for d in details[:5])
        response.data = error_body("invalid", f"The request is invalid. {message}".strip(), details)
        return response

    code = next((name for klass, name in _CODES_BY_EXCEPTION if isinstance(exc, klass)), "error")
    detail = getattr(exc, "detail", None)
    response.data = error_body(code, str(detail) if detail is not None else str(exc))
    return response
