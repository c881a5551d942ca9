"""Helpers shared by the invitation tests: invite through the API and read the link from the email."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from apps.projects.models import Invitation, Team

LINK = re.compile(r"https?://[^/\s]+(/invitations/([A-Za-z0-9_-]+)/)")
NEWHIRE = "newhire@corp.example"


def invite(client: Any, team: Team, email: str = NEWHIRE, role: str = "editor") -> Any:
    return client.post(f"/api/teams/{team.pk}/invitations/", {"email": email, "role": role}, format="json")


def last_link(to: str = NEWHIRE) -> tuple[str, str]:
    """The (path, token) of the accept link in the newest email sent to ``to``."""
    message = [m for m in mail.outbox if [a.lower() for a in m.to] == [to.lower()]][-1]
    match = LINK.search(message.body)
    assert match is not None, message.body
    return match.group(1), match.group(2)


def invited_token(client: Any, team: Team, email: str = NEWHIRE, role: str = "editor") -> str:
    response = invite(client, team, email, role)
    assert response.status_code == 201, response.content
    return last_link(email)[1]


def accept(client: Any, token: str) -> Any:
    return client.post(f"/api/invitations/{token}/accept/", format="json")


def pending(team: Team) -> list[tuple[str, str]]:
    return [
        (i.email, i.role)
        for i in Invitation.objects.filter(team=team).order_by("pk")
        if i.pending  # the model's own notion, checked against the API's answers
    ]
