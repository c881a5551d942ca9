"""Refuse oversized API bodies up front, in the API's error shape."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.core.errors import error_body
from apps.core.logging import request_id, valid_request_id
from apps.core.pointers import Problem

log = logging.getLogger("tierplan.requests")


class RequestIdMiddleware:
    """Give every request an id (the caller's X-Request-ID if plain, else a new one), log it, echo it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = valid_request_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status_code": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


class BodySizeLimitMiddleware:
    """Answer 413 to API requests whose Content-Length is over ``settings.DESIGN_MAX_BYTES``.

    Checked from the header before anything reads the body, so a huge upload is never buffered and the
    client gets the same JSON error as every other API error (Django's own guard would answer first,
    with an HTML 400).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DESIGN_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit and request.path.startswith("/api/"):
            body = error_body(
                "payload_too_large",
                f"The request body is larger than the {limit // (1024 * 1024)} MB limit.",
                [Problem("", f"at most {limit} bytes are accepted")],
            )
            return JsonResponse(body, status=413)
        return self.get_response(request)
