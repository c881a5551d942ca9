"""Throttles by scope, with rates read from settings.THROTTLE_RATES when each request is checked."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ScopedThrottle(SimpleRateThrottle):
    """Counts per signed-in user, or per client address when anonymous, under ``scope``.

    DRF's built-in throttles read their rates once at import; reading them per request lets a
    deployment (and a test) change them through settings.
    """

    scope = "default"

    def get_rate(self) -> str | None:
        return settings.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return f"throttle:{self.scope}:{ident}"


class TokenThrottle(ScopedThrottle):
    scope = "token"


class SignUpThrottle(ScopedThrottle):
    scope = "signup"


class JobThrottle(ScopedThrottle):
    scope = "jobs"

    def allow_request(self, request: Any, view: Any) -> bool:
        # Only asking for jobs is limited; reading job lists is not.
        return request.method != "POST" or super().allow_request(request, view)


class ReviewThrottle(ScopedThrottle):
    scope = "review"
