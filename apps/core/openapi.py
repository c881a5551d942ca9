"""The OpenAPI schema, made to tell the truth about every operation.

drf-spectacular documents what a view declares; this schema class adds what the API's shared
machinery does to every operation, so no view can forget it:
- the error responses each operation can give, all with the one error shape (401 when it needs a
  sign-in, 404 when its path names something, 400/413/415 when it takes a body, 429 when a throttle
  counts it, 412/428 when it reads If-Match, 414 from the HTTP server for an over-long request line);
- request bodies that refuse unknown fields (``additionalProperties: false``), as the input
  serializers do (apps.core.serializers.StrictInputSerializer);
- strings that say what the server refuses: no NUL character, and not only white space where blank
  is refused (DRF trims white space before checking).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailSerializer(serializers.Serializer):
    pointer = serializers.CharField(help_text="JSON pointer of the bad field; empty for the body as a whole")
    message = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable error code, e.g. invalid, not_found, throttled")
    message = serializers.CharField()
    details = ErrorDetailSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    """The one error shape (apps.core.errors)."""

    error = ErrorBodySerializer()


ERROR_MEANINGS = {
    400: "The request is invalid; details name each bad field by its JSON pointer.",
    401: "Not signed in, or the token is not valid.",
    403: "Signed in, but your role does not allow this.",
    404: "Nothing here, or it is not shared with you.",
    409: "The request conflicts with the current state.",
    412: "If-Match names a revision that is no longer the newest.",
    413: "The request body is larger than the limit.",
    415: "The request body is not JSON.",
    428: "If-Match is required.",
    429: "Too many requests; try again after Retry-After seconds.",
    503: "A service the request needs (the job queue) is unavailable; try again after Retry-After seconds.",
}


def errors(*codes: int, **meanings: str) -> dict[int, OpenApiResponse]:
    """Error responses in the one error shape, for ``@extend_schema(responses={...})``.

    ``e409="…"`` gives a code a meaning of its own.
    """
    return {
        code: OpenApiResponse(ErrorSerializer, description=meanings.get(f"e{code}", ERROR_MEANINGS.get(code, "")))
        for code in codes
    }


# gunicorn answers an over-long request line itself, before Django, with a small HTML page.
URI_TOO_LONG = {
    "description": "The request line is longer than the HTTP server accepts.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}

# What DRF's CharField refuses beyond its length: NUL anywhere, and a blank value once trimmed.
NO_NUL = "^[^\\x00]*$"
NOT_BLANK_NO_NUL = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"


class TierplanAutoSchema(AutoSchema):
    """AutoSchema that adds the error responses and input strictness every operation shares."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in sorted(self._error_codes()):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_MEANINGS[code]), str(code), direction=direction
                )
        responses.setdefault("414", URI_TOO_LONG)
        return responses

    def _error_codes(self) -> set[int]:
        codes: set[int] = set()
        view = self.view
        signed_in = not any(isinstance(permission, AllowAny) for permission in view.get_permissions())
        if signed_in:
            codes.add(401)
            # Reading needs only membership (outsiders get 404); changing anything needs a role for it.
            if self.method != "GET":
                codes.add(403)
        if "{" in self.path:
            codes.add(404)
        if self.method in ("POST", "PUT", "PATCH"):
            codes |= {400, 413, 415}
        if self._query_parameter_names():
            codes.add(400)
        if self._header_parameter_names() & {"if-match"}:
            codes |= {400, 412, 428}
        if any(self.method in getattr(throttle, "counted_methods", {self.method}) for throttle in view.get_throttles()):
            codes.add(429)
        return codes

    def _header_parameter_names(self) -> set[str]:
        return {
            str(getattr(p, "name", "")).lower()
            for p in self.get_override_parameters()
            if getattr(p, "location", None) == "header"
        }

    def _query_parameter_names(self) -> set[str]:
        override = self.get_override_parameters()
        names = {getattr(p, "name", None) for p in override if getattr(p, "location", "query") == "query"}
        if self._is_list_view() and self._get_paginator():
            names |= {"limit", "offset"}
        return {name for name in names if name}

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(schema, dict)
            and schema.get("type") == "string"
            and type(field) in (serializers.CharField,)
            and "pattern" not in schema
        ):
            blank_refused = not field.allow_blank and getattr(field, "trim_whitespace", False)
            schema["pattern"] = NOT_BLANK_NO_NUL if blank_refused else NO_NUL
        return schema
