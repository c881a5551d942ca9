"""Sign-up: one function shared by the API and the sign-up page."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.errors import ApiError, ErrorDetail


@transaction.atomic
def user_sign_up(*, username: str, password: str, email: str = "") -> User:
    """Create a user (and, through the personal-team hook, their team); 400 naming each bad field.

    The email is optional and unverified; it must not be another account's (whatever its case).
    """
    users = User
    details = []
    if users.objects.filter(username__iexact=username).exists():
        details.append(ErrorDetail("/username", "this username is taken"))
    # Emails are not verified, so nothing grants access by one (teams invite by a link sent to it);
    # still, one address names one account, so that a person can tell which account is theirs.
    if email and users.objects.filter(email__iexact=email.strip()).exists():
        details.append(ErrorDetail("/email", "another account uses this email"))
    candidate = users(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        details += [ErrorDetail("/password", message) for message in exc.messages]
    if details:
        raise ApiError("Could not sign up: " + "; ".join(d.message for d in details), details=details)
    return users.objects.create_user(username=username, password=password, email=email)
