"""The browser pages a person meets first: sign up, log in, the dashboard, log out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.projects.models import Project
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_the_dashboard_asks_strangers_to_log_in() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_signing_up_creates_the_user_and_a_personal_team_and_logs_in() -> None:
    client = Client()
    response = client.post("/accounts/signup/", {"username": "dora", "email": "dora@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    dora = User.objects.get(username="dora")
    assert dora.personal_team.memberships.get().role == "owner"
    page = client.get("/")
    assert page.status_code == 200
    assert b"dora" in page.content


@pytest.mark.django_db
def test_sign_up_shows_errors_beside_the_fields(alice: User) -> None:
    response = Client().post("/accounts/signup/", {"username": "alice", "password": "123"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="username"' in html and "this username is taken" in html
    assert 'data-field="password"' in html
    assert User.objects.filter(username="alice").count() == 1


def test_logging_in_shows_my_projects_and_not_others(project: Project, charlie: User) -> None:
    client = Client()
    assert client.post("/accounts/login/", {"username": "bob", "password": PASSWORD}).status_code == 302
    html = client.get("/").content.decode()
    assert f'data-project-id="{project.pk}"' in html
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "charlie", "password": PASSWORD})
    assert f'data-project-id="{project.pk}"' not in client.get("/").content.decode()


def test_the_dashboard_searches_projects_by_name(project: Project, alice: User) -> None:
    client = Client()
    client.force_login(alice)
    assert f'data-project-id="{project.pk}"' in client.get("/?q=ord").content.decode()
    assert f'data-project-id="{project.pk}"' not in client.get("/?q=billing").content.decode()


@pytest.mark.django_db
def test_createsuperuser_noinput_works_with_the_standard_variables(monkeypatch) -> None:
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@example.com")
    call_command("createsuperuser", "--noinput")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(PASSWORD)
    assert admin.personal_team is not None
