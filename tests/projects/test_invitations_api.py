"""Team invitations through the API: owners invite an address, whoever holds the emailed link accepts.

The attack of issue 17 (item 2): mallory signs up with the new hire's address before the owner adds it.
"""

from __future__ import annotations

import hashlib
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from apps.core.errors import ApiError
from apps.projects import services
from apps.projects.models import Invitation, Membership, Role
from tests.conftest import PASSWORD, client_for
from tests.projects.helpers import assert_error, db_state
from tests.projects.invitations import NEWHIRE, accept, invite, invited_token, last_link, pending


@pytest.fixture
def mallory(anonymous, db):
    """The attacker: signed up first, with the address the owner is about to invite."""
    response = anonymous.post(
        "/api/auth/signup/", {"username": "mallory", "password": PASSWORD, "email": NEWHIRE}, format="json"
    )
    assert response.status_code == 201, response.content
    return User.objects.get(username="mallory")


@pytest.fixture
def dora(db):
    """The real new hire, with an account that lists another address (accepting does not depend on it)."""
    return User.objects.create_user("dora", "dora@home.example", PASSWORD)


def role_of(team, user):
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


# The attack ------------------------------------------------------------------------------------------


def test_adding_a_pre_registered_email_as_a_member_does_not_add_whoever_registered_it(
    as_alice, team, mallory, mailoutbox
):
    response = as_alice.post(f"/api/teams/{team.pk}/members/", {"email": NEWHIRE, "role": "editor"}, format="json")

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["email"] == NEWHIRE and body["role"] == "editor"
    assert role_of(team, mallory) is None
    assert_error(client_for(mallory).get(f"/api/teams/{team.pk}/"), 404, "not_found")
    # The link went to the mailbox only: not in the answer to the owner.
    _, token = last_link()
    assert token not in response.content.decode()
    assert [m.to for m in mailoutbox] == [[NEWHIRE]]


def test_the_attacker_cannot_find_or_accept_the_invitation_without_its_link(as_alice, team, mallory):
    token = invited_token(as_alice, team)
    as_mallory = client_for(mallory)
    invitation = Invitation.objects.get()

    listed = as_mallory.get(f"/api/teams/{team.pk}/invitations/")
    guesses = [accept(as_mallory, guess) for guess in (str(invitation.pk), NEWHIRE, invitation.token_hash, "x" * 43)]

    assert_error(listed, 404, "not_found")
    for guess in guesses:
        assert_error(guess, 404, "not_found")
    assert role_of(team, mallory) is None
    assert pending(team) == [(NEWHIRE, "editor")]
    assert token not in listed.content.decode()


def test_the_real_invitee_gets_the_email_accepts_and_gets_the_role(as_alice, team, dora, mallory, mailoutbox):
    invite(as_alice, team)
    message = mailoutbox[-1]
    path, token = last_link()

    response = accept(client_for(dora), token)

    assert response.status_code == 200, response.content
    assert response.json()["team"] == {"id": team.pk, "name": "Platform"}
    assert response.json()["user"] == {"id": dora.pk, "username": "dora"}
    assert response.json()["role"] == "editor"
    assert role_of(team, dora) == Role.EDITOR
    assert role_of(team, mallory) is None
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == dora and invitation.accepted_at is not None
    assert "alice" in message.subject and "Platform" in message.subject
    assert path == f"/invitations/{token}/"
    assert f"http://testserver{path}" in message.body


def test_a_used_link_that_leaks_later_gives_the_attacker_nothing(as_alice, team, dora, mallory):
    token = invited_token(as_alice, team)
    accept(client_for(dora), token)

    response = accept(client_for(mallory), token)

    assert_error(response, 404, "not_found")
    assert role_of(team, mallory) is None
    assert role_of(team, dora) == Role.EDITOR


# Tokens ----------------------------------------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(as_alice, team):
    token = invited_token(as_alice, team)

    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(Invitation.objects.values_list()))


def test_invitations_expire_after_the_configured_lifetime(as_alice, team, settings):
    settings.INVITATION_LIFETIME_DAYS = 3
    before = timezone.now()

    invited_token(as_alice, team)

    expires = Invitation.objects.get().expires_at
    assert before + timedelta(days=3) <= expires <= timezone.now() + timedelta(days=3)


def test_used_expired_revoked_and_unknown_tokens_all_answer_the_same_404(as_alice, team, dora, charlie):
    used = invited_token(as_alice, team, "used@corp.example")
    accept(client_for(dora), used)
    expired = invited_token(as_alice, team, "expired@corp.example")
    Invitation.objects.filter(email="expired@corp.example").update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = invited_token(as_alice, team, "revoked@corp.example")
    as_alice.delete(f"/api/teams/{team.pk}/invitations/{Invitation.objects.get(email='revoked@corp.example').pk}/")
    as_charlie = client_for(charlie)
    before = db_state()

    answers = [accept(as_charlie, token) for token in (used, expired, revoked, "unknown-" + "a" * 35)]

    for answer in answers:
        assert_error(answer, 404, "not_found")
    assert len({answer.content for answer in answers}) == 1
    assert role_of(team, charlie) is None
    assert db_state() == before


def test_accepting_needs_a_signed_in_user(anonymous, as_alice, team):
    token = invited_token(as_alice, team)

    response = accept(anonymous, token)

    assert response.status_code == 401, response.content
    assert pending(team) == [(NEWHIRE, "editor")]


def test_an_existing_member_accepting_gets_a_conflict_and_the_invitation_stays_for_someone_else(
    as_alice, as_vera, team, vera, dora
):
    token = invited_token(as_alice, team, role="owner")

    conflict = accept(as_vera, token)

    assert_error(conflict, 409, "already_member")
    assert role_of(team, vera) == Role.VIEWER
    assert pending(team) == [(NEWHIRE, "owner")]
    assert accept(client_for(dora), token).status_code == 200
    assert role_of(team, dora) == Role.OWNER


@pytest.mark.parametrize("meanwhile", ["accepted", "revoked"])
def test_an_accept_that_found_the_invitation_pending_loses_to_what_happened_meanwhile(
    as_alice, team, dora, mallory, meanwhile
):
    token = invited_token(as_alice, team)
    seen_by_mallory = services.invitation_find(token=token)  # read while still pending
    assert seen_by_mallory is not None
    if meanwhile == "accepted":
        services.invitation_accept(invitation=services.invitation_find(token=token), user=dora)
    else:
        services.invitation_revoke(invitation=Invitation.objects.get())

    with pytest.raises(ApiError) as refused:
        services.invitation_accept(invitation=seen_by_mallory, user=mallory)

    assert refused.value.status_code == 404
    assert role_of(team, mallory) is None
    assert Invitation.objects.get().accepted_by == (dora if meanwhile == "accepted" else None)


# Managing invitations ------------------------------------------------------------------------------------


def test_owners_list_pending_invitations_without_their_tokens(as_alice, team, dora):
    used = invited_token(as_alice, team, "used@corp.example")
    accept(client_for(dora), used)
    invited_token(as_alice, team, "old@corp.example")
    Invitation.objects.filter(email="old@corp.example").update(expires_at=timezone.now() - timedelta(seconds=1))
    first = invited_token(as_alice, team, "first@corp.example", "viewer")
    second = invited_token(as_alice, team, "second@corp.example", "owner")

    response = as_alice.get(f"/api/teams/{team.pk}/invitations/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [(i["email"], i["role"], i["invited_by"]["username"]) for i in body["results"]] == [
        ("second@corp.example", "owner", "alice"),
        ("first@corp.example", "viewer", "alice"),
    ]
    assert set(body["results"][0]) == {"id", "email", "role", "invited_by", "created_at", "expires_at"}
    assert first not in response.content.decode() and second not in response.content.decode()


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_editors_and_viewers_can_neither_invite_nor_list_invitations(request, team, persona, mailoutbox):
    client = request.getfixturevalue(persona)
    before = db_state()

    invited = invite(client, team)
    listed = client.get(f"/api/teams/{team.pk}/invitations/")
    added = client.post(f"/api/teams/{team.pk}/members/", {"email": NEWHIRE}, format="json")

    for response in (invited, listed, added):
        assert_error(response, 403, "permission_denied")
    assert mailoutbox == []
    assert pending(team) == []
    assert db_state() == before


def test_an_outsider_gets_404_for_a_teams_invitations(as_alice, as_charlie, team, mailoutbox):
    invited_token(as_alice, team)
    invitation = Invitation.objects.get()
    sent = len(mailoutbox)

    responses = [
        invite(as_charlie, team, "charlie@example.com", "owner"),
        as_charlie.get(f"/api/teams/{team.pk}/invitations/"),
        as_charlie.delete(f"/api/teams/{team.pk}/invitations/{invitation.pk}/"),
    ]

    for response in responses:
        assert_error(response, 404, "not_found")
    assert len(mailoutbox) == sent
    assert pending(team) == [(NEWHIRE, "editor")]


def test_the_owner_revokes_an_invitation_and_its_link_stops_working(as_alice, team, dora):
    token = invited_token(as_alice, team)
    invitation = Invitation.objects.get()

    revoked = as_alice.delete(f"/api/teams/{team.pk}/invitations/{invitation.pk}/")
    again = as_alice.delete(f"/api/teams/{team.pk}/invitations/{invitation.pk}/")

    assert revoked.status_code == 204
    assert_error(again, 404, "not_found")
    assert_error(accept(client_for(dora), token), 404, "not_found")
    assert role_of(team, dora) is None
    assert as_alice.get(f"/api/teams/{team.pk}/invitations/").json()["count"] == 0


def test_an_owner_cannot_revoke_another_teams_invitation_by_its_id(as_alice, as_charlie, team, charlie, dora):
    token = invited_token(as_alice, team)
    invitation = Invitation.objects.get()

    response = as_charlie.delete(f"/api/teams/{charlie.personal_team.pk}/invitations/{invitation.pk}/")

    assert_error(response, 404, "not_found")
    assert accept(client_for(dora), token).status_code == 200


def test_inviting_an_address_again_replaces_its_pending_invitation(as_alice, team, dora, mailoutbox):
    old = invited_token(as_alice, team, NEWHIRE.upper(), "viewer")
    new = invited_token(as_alice, team, NEWHIRE, "editor")

    assert_error(accept(client_for(dora), old), 404, "not_found")
    assert accept(client_for(dora), new).status_code == 200
    assert role_of(team, dora) == Role.EDITOR
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("body", "pointers"),
    [
        ({"email": "not-an-email", "role": "editor"}, ["/email"]),
        ({"email": NEWHIRE, "role": "admin"}, ["/role"]),
        ({"role": "editor"}, ["/email"]),
        ({"email": "a" * 250 + "@corp.example"}, ["/email"]),
        ({"email": NEWHIRE, "team": 1}, ["/team"]),
    ],
)
def test_an_invalid_invitation_names_the_bad_field(as_alice, team, body, pointers, mailoutbox):
    before = db_state()

    response = as_alice.post(f"/api/teams/{team.pk}/invitations/", body, format="json")

    assert_error(response, 400, "invalid", pointers)
    assert mailoutbox == []
    assert pending(team) == []
    assert db_state() == before


def test_an_email_that_cannot_be_sent_leaves_no_live_invitation(as_alice, team, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr("apps.projects.services.send_mail", refuse)

    response = invite(as_alice, team)

    error = assert_error(response, 503, "email_unavailable")
    assert "could not be sent" in error["message"]
    assert pending(team) == []


def test_a_team_name_with_line_breaks_stays_on_one_line_of_the_subject(as_alice, team, mailoutbox):
    team.name = "Platform\r\nBcc: everyone@corp.example"
    team.save()

    invited_token(as_alice, team)

    assert mailoutbox[-1].subject == "alice invites you to the team Platform Bcc: everyone@corp.example on Tierplan"
    assert mailoutbox[-1].to == [NEWHIRE] and not mailoutbox[-1].bcc


def test_inviting_is_throttled_per_user(as_alice, team, settings, mailoutbox):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "invitations": "2/hour"}
    invited_token(as_alice, team, "one@corp.example")
    invited_token(as_alice, team, "two@corp.example")

    response = invite(as_alice, team, "three@corp.example")
    listed = as_alice.get(f"/api/teams/{team.pk}/invitations/")

    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert len(mailoutbox) == 2
    assert listed.status_code == 200 and listed.json()["count"] == 2


def test_accepting_is_throttled_per_user(as_alice, as_charlie, team, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "invitations": "2/hour"}
    token = invited_token(as_alice, team)
    accept(as_charlie, "wrong-1")
    accept(as_charlie, "wrong-2")

    response = accept(as_charlie, token)

    assert_error(response, 429, "throttled")
    assert pending(team) == [(NEWHIRE, "editor")]


# The schema ------------------------------------------------------------------------------------------------


def test_the_schema_documents_the_invitation_operations_with_their_error_answers(db):
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    def codes(path, method):
        return set(paths[path][method]["responses"])

    listing = codes("/api/teams/{team_id}/invitations/", "get")
    inviting = codes("/api/teams/{team_id}/invitations/", "post")
    revoking = codes("/api/teams/{team_id}/invitations/{invitation_id}/", "delete")
    accepting = codes("/api/invitations/{token}/accept/", "post")
    adding = codes("/api/teams/{team_id}/members/", "post")
    assert {"200", "400", "401", "403", "404"} <= listing and "429" not in listing  # only POSTs are counted
    assert {"201", "400", "401", "403", "404", "429", "503"} <= inviting
    assert {"204", "401", "403", "404"} <= revoking
    assert {"200", "401", "403", "404", "409", "429"} <= accepting
    assert "CSRF" in paths["/api/invitations/{token}/accept/"]["post"]["responses"]["403"]["description"]
    assert {"201", "202", "400", "401", "403", "404", "409", "429", "503"} <= adding
    listed = paths["/api/teams/{team_id}/invitations/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"].endswith("/PaginatedInvitationList")
    error = paths["/api/invitations/{token}/accept/"]["post"]["responses"]["404"]["content"]["application/json"]
    assert error["schema"]["$ref"].endswith("/Error")
