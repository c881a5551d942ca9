"""Small helpers about the signed-in user."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request


def signed_in(request: Request | HttpRequest) -> User:
    """The request's user, known to be signed in (views behind IsAuthenticated or login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
