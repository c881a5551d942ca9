"""The invitation link in a browser: open it, log in or sign up, accept; what dead links look like."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from apps.projects.models import Invitation, Membership, Role
from tests.conftest import PASSWORD
from tests.projects.invitations import NEWHIRE, invite, last_link, pending

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def link(as_alice, team) -> str:
    """The path of a fresh invitation link to the new hire's address, as an editor."""
    assert invite(as_alice, team).status_code == 201
    return last_link()[0]


@pytest.fixture
def dora(db):
    return User.objects.create_user("dora", "dora@home.example", PASSWORD)


def role_of(team, username):
    return Membership.objects.filter(team=team, user__username=username).values_list("role", flat=True).first()


def test_an_invitee_with_an_account_opens_the_link_logs_in_and_accepts(team, link, dora):
    browser = Client()

    page = browser.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Join Platform" in html and "data-accept" not in html
    login_url = f"/accounts/login/?next={link}"
    assert login_url in html

    logged_in = browser.post("/accounts/login/", {"username": "dora", "password": PASSWORD, "next": link})
    assert logged_in.status_code == 302 and logged_in["Location"] == link
    form = browser.get(link).content.decode()
    assert "data-accept" in form and "signed in as <strong>dora</strong>" in form
    assert role_of(team, "dora") is None  # opening the link is not accepting it

    accepted = browser.post(link)

    assert accepted.status_code == 302 and accepted["Location"] == "/"
    assert role_of(team, "dora") == Role.EDITOR
    assert re.search(r"<li>Platform — [^<]*\bdora \(editor\)", browser.get("/").content.decode())
    assert browser.post(link).status_code == 404


def test_an_invitee_without_an_account_signs_up_from_the_link_and_accepts(team, link):
    browser = Client()
    signup_url = f"/accounts/signup/?next={link}"
    assert signup_url in browser.get(link).content.decode()

    form = browser.get(signup_url).content.decode()
    assert f'name="next" value="{link}"' in form
    signed_up = browser.post(
        "/accounts/signup/", {"username": "newhire", "email": NEWHIRE, "password": PASSWORD, "next": link}
    )
    assert signed_up.status_code == 302 and signed_up["Location"] == link

    accepted = browser.post(link)

    assert accepted.status_code == 302
    assert role_of(team, "newhire") == Role.EDITOR


def test_a_signed_out_accept_goes_to_log_in_and_changes_nothing(team, link):
    response = Client().post(link)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={link}"
    assert pending(team) == [(NEWHIRE, "editor")]


def test_another_site_cannot_make_a_signed_in_invitee_accept(team, link, dora):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(dora)

    response = browser.post(link)

    assert response.status_code == 403
    assert role_of(team, "dora") is None
    assert pending(team) == [(NEWHIRE, "editor")]


def test_a_member_who_opens_the_link_is_told_so_and_cannot_use_it(team, link, vera):
    browser = Client()
    browser.force_login(vera)

    page = browser.get(link).content.decode()
    refused = browser.post(link)

    assert "data-already-member" in page and "data-accept" not in page
    assert refused.status_code == 409
    assert "already a member" in refused.content.decode()
    assert role_of(team, "vera") == Role.VIEWER
    assert pending(team) == [(NEWHIRE, "editor")]


def test_used_expired_revoked_and_unknown_links_show_the_same_not_found_page(as_alice, team, dora):
    links = {}
    for name in ("used", "expired", "revoked"):
        assert invite(as_alice, team, f"{name}@corp.example").status_code == 201
        links[name] = last_link(f"{name}@corp.example")[0]
    browser = Client()
    browser.force_login(dora)
    browser.post(links["used"])
    Invitation.objects.filter(email="expired@corp.example").update(expires_at=timezone.now() - timedelta(seconds=1))
    Invitation.objects.filter(email="revoked@corp.example").update(revoked_at=timezone.now())
    links["unknown"] = "/invitations/" + "b" * 43 + "/"

    pages = {name: browser.get(path) for name, path in links.items()}
    posts = {name: browser.post(path) for name, path in links.items() if name != "used"}

    assert {response.status_code for response in [*pages.values(), *posts.values()]} == {404}
    # Each page carries a freshly masked CSRF token (the log-out form); everything else must be equal.
    bodies = {CSRF.sub("", response.content.decode()) for response in [*pages.values(), *posts.values()]}
    assert len(bodies) == 1
    assert "Platform" not in pages["expired"].content.decode()
    assert role_of(team, "dora") == Role.EDITOR  # from the one link that worked, once


def test_the_page_keeps_its_token_out_of_referers_caches_and_search_indexes(link):
    response = Client().get(link)

    assert response["Referrer-Policy"] == "same-origin"  # never to another site; see the browser test
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_the_page_escapes_the_team_name(as_alice, team):
    team.name = '<img src=x onerror="alert(1)">'
    team.save()
    invite(as_alice, team)

    html = Client().get(last_link()[0]).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_signing_up_never_sends_the_browser_to_another_site(db, target):
    response = Client().post(
        "/accounts/signup/", {"username": "dora", "email": "dora@example.com", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302 and response["Location"] == "/"


def test_the_sign_up_page_refuses_an_email_another_account_uses(alice):
    response = Client().post(
        "/accounts/signup/", {"username": "mallory", "email": "Alice@Example.com", "password": PASSWORD}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="email"' in html and "another account uses this email" in html
    assert not User.objects.filter(username="mallory").exists()
