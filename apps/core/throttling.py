"""Throttles by scope, with rates read from settings.THROTTLE_RATES when each request is checked."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle

ViewFunc = Callable[..., HttpResponseBase]


class ScopedThrottle(SimpleRateThrottle):
    """Counts per signed-in user, or per client address when anonymous, under ``scope``.

    DRF's built-in throttles read their rates once at import; reading them per request lets a
    deployment (and a test) change them through settings.
    """

    scope = "default"
    # The methods this throttle counts (the OpenAPI schema documents 429 on exactly those).
    counted_methods: frozenset[str] = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})

    def allow_request(self, request: Any, view: Any) -> bool:
        return request.method not in self.counted_methods or super().allow_request(request, view)

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
    # Only asking for jobs is limited; reading job lists is not.
    counted_methods = frozenset({"POST"})


class InvitationThrottle(ScopedThrottle):
    """Inviting (which sends email to an address of the caller's choosing) and accepting, per user.

    Without it an owner could make Tierplan mail anyone in bulk; reading invitation lists is not counted.
    """

    scope = "invitations"
    counted_methods = frozenset({"POST"})


class ImportThrottle(ScopedThrottle):
    """Importing templates (each read parses up to 1 MB of YAML), per user; previews count too."""

    scope = "import"
    counted_methods = frozenset({"POST"})


class ReviewThrottle(ScopedThrottle):
    scope = "review"


class FormThrottle(ScopedThrottle):
    """The API scope's rate and counter, always per client address.

    The forms it guards are where people arrive signed out; counting per user would let each account
    that sign-up just made (and logged in) start a fresh count.
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request: Any, view: Any) -> str:
        return f"throttle:{self.scope}:{self.get_ident(request)}"


def throttled(scope: str, *, methods: Collection[str] = ("GET", "HEAD", "POST")) -> Callable[[ViewFunc], ViewFunc]:
    """Throttle a plain Django view with the same rate and the same counters as the API's ``scope``.

    The browser forms have API twins (log in ↔ token, sign up ↔ sign-up API, review page ↔ review API);
    sharing one counter per client means alternating between the two doubles nothing. Requests whose
    method is not in ``methods`` pass uncounted (showing the login form costs an attacker nothing).
    Over the rate, the answer is a small 429 page with Retry-After.
    """
    counted = {method.upper() for method in methods}

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in counted:
                throttle = FormThrottle(scope)
                if not throttle.allow_request(request, None):
                    return too_many_requests(request, throttle.wait())
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    seconds = max(1, math.ceil(wait or 1))
    response = render(request, "429.html", {"retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response
