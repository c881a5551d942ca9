"""Sign-up: one function shared by the API and the sign-up page."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.errors import ApiError, ErrorDetail


@transaction.atomic
def user_sign_up(*, username: str, password: str, email: str = "") -> User:
    """Create a user (and, through the personal-team hook, their team); 400 naming each bad field."""
    users = User
    details = []
    if users.objects.filter(username__iexact=username).exists():
        details.append(ErrorDetail("/username", "this username is taken"))
    candidate = users(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        details += [ErrorDetail("/password", message) for message in exc.messages]
    if details:
        raise ApiError("Could not sign up: " + "; ".join(d.message for d in details), details=details)
    return users.objects.create_user(username=username, password=password, email=email)
