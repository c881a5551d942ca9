"""New project from the dashboard: a blank design or a pattern of the gallery (diagram, summary, cost)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from apps.projects.models import Project, Team


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_gallery_shows_every_pattern_with_diagram_summary_and_cost(alice: User, team: Team) -> None:
    page = logged_in(alice).get("/projects/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-pattern-card="api-lambda-dynamodb"' in html
    assert 'src="/patterns/api-lambda-dynamodb/diagram.svg"' in html
    assert "data-pattern-cost=" in html
    assert "The simplest serverless back end." in html
    assert "data-new-project" in logged_in(alice).get("/").content.decode()


def test_a_pattern_diagram_is_an_svg_that_cannot_run_script(alice: User) -> None:
    answer = logged_in(alice).get("/patterns/api-lambda-dynamodb/diagram.svg")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/svg+xml"
    assert b"<svg" in answer.content
    assert "default-src 'none'" in answer["Content-Security-Policy"]
    assert logged_in(alice).get("/patterns/nope/diagram.svg").status_code == 404
    assert Client().get("/patterns/api-lambda-dynamodb/diagram.svg").status_code == 302


def test_new_projects_from_a_pattern_and_blank_open_the_editor(alice: User, team: Team) -> None:
    client = logged_in(alice)
    answer = client.post("/projects/new/", {"pattern": "api-lambda-dynamodb", "team": team.pk})
    project = Project.objects.latest("pk")
    assert answer.status_code == 302 and answer["Location"] == f"/projects/{project.pk}/edit/"
    assert project.team == team and len(project.head.design["components"]) == 4
    client.post("/projects/new/", {"name": "Blank one", "team": team.pk})
    blank = Project.objects.latest("pk")
    assert blank.name == "Blank one" and blank.head.design["components"] == []
    assert client.post("/projects/new/", {"pattern": "nope"}).status_code == 400


def test_viewers_cannot_create_projects_in_a_team(vera: User, team: Team, db: Any) -> None:
    before = Project.objects.count()
    answer = logged_in(vera).post("/projects/new/", {"team": team.pk})
    assert answer.status_code == 400  # vera is only a viewer in this team
    assert Project.objects.count() == before
