"""Error pages: API paths answer in the API's error shape, pages with a plain HTML page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from apps.core.errors import error_body


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", f"No API endpoint at {request.path}."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("server_error", "Something went wrong on our side; it has been logged."), status=500
        )
    return defaults.server_error(request)
