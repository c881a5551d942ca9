"""New project from the dashboard: a blank design or a pattern of the gallery (diagram, summary, cost)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.projects.models import Project, Team
from apps.studio.gallery import pattern_diagram_name, pattern_diagram_render
from tests.conftest import WorkerFactory
from tests.review.preparing import forbid_engines


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


def test_a_pattern_diagram_is_drawn_by_a_worker_never_in_the_request(
    alice: User, media_root: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    import apps.studio.gallery

    sent: list[tuple[str, list[str]]] = []

    class Celery:  # stands in for the Celery app: the test only needs to see the task sent
        def send_task(self, name: str, args: list[str], **_: Any) -> None:
            sent.append((name, args))

    monkeypatch.setattr(apps.studio.gallery, "current_app", Celery())
    calls = forbid_engines(monkeypatch)
    client = logged_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get("/patterns/api-lambda-dynamodb/diagram.svg")
        again = client.get("/patterns/api-lambda-dynamodb/diagram.svg")
    assert calls == []
    assert first.status_code == 202 and first["Content-Type"] == "image/svg+xml"
    assert b"Diagram being prepared" in first.content and first["Cache-Control"] == "no-store"
    assert again.status_code == 202
    assert sent == [("tierplan.render_pattern_diagram", ["api-lambda-dynamodb"])]  # once, not once per view

    monkeypatch.undo()
    name = pattern_diagram_render(slug="api-lambda-dynamodb")  # the worker's turn
    assert name.startswith("pattern-diagrams/") and (media_root / name).exists()
    calls = forbid_engines(monkeypatch)
    drawn = client.get("/patterns/api-lambda-dynamodb/diagram.svg")
    assert calls == []
    assert drawn.status_code == 200 and drawn.content == (media_root / name).read_bytes()
    assert b"<svg" in drawn.content and b"Diagram being prepared" not in drawn.content
    assert "default-src 'none'" in drawn["Content-Security-Policy"]
    assert drawn["Cache-Control"] == "private, max-age=3600"


def test_a_pattern_diagram_is_named_by_its_content_and_engine(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.designs.patterns import get_pattern
    from apps.rendering import engine

    pattern = get_pattern("api-lambda-dynamodb")
    name = pattern_diagram_name(pattern)
    assert name != pattern_diagram_name(get_pattern("scheduled-job"))
    monkeypatch.setattr(engine, "ENGINE_VERSION", "render-next")
    assert pattern_diagram_name(pattern) != name


def test_pattern_diagrams_are_for_signed_in_people_and_known_patterns(alice: User) -> None:
    assert logged_in(alice).get("/patterns/nope/diagram.svg").status_code == 404
    anonymous = Client().get("/patterns/api-lambda-dynamodb/diagram.svg")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


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


def test_a_worker_draws_the_diagram_the_gallery_asked_for(alice: User, workers: WorkerFactory) -> None:
    workers.start()
    client = logged_in(alice)
    assert client.get("/patterns/scheduled-job/diagram.svg").status_code == 202
    deadline = time.monotonic() + 60
    answer = client.get("/patterns/scheduled-job/diagram.svg")
    while answer.status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.3)
        answer = client.get("/patterns/scheduled-job/diagram.svg")
    assert answer.status_code == 200 and b"<svg" in answer.content and b"being prepared" not in answer.content


def test_a_diagram_is_stored_whole_and_leaves_no_part_file(settings: Any, tmp_path: Any) -> None:
    # A reader finds the name only once all of the bytes are in place: written aside, then renamed.
    from django.core.files.storage import default_storage

    from apps.studio.gallery import store_whole

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    store_whole("pattern-diagrams/x.svg", b"<svg>whole</svg>")
    assert default_storage.open("pattern-diagrams/x.svg").read() == b"<svg>whole</svg>"
    assert [p.name for p in (tmp_path / "pattern-diagrams").iterdir()] == ["x.svg"]
