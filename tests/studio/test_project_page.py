"""The project page lists jobs and artifacts and renders the design from a button."""

from __future__ import annotations

import time

from django.contrib.auth.models import User
from django.test import Client

from apps.designs.patterns import pattern_library
from apps.jobs.models import Job
from apps.projects import services
from apps.projects.models import Project, Team
from tests.conftest import WorkerFactory


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_render_button_queues_a_job_that_the_page_then_lists_with_its_download(
    workers: WorkerFactory, project: Project, alice: User
) -> None:
    workers.start()
    client = logged_in(alice)
    response = client.post(f"/projects/{project.pk}/jobs/", {"action": "render-png"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Render PNG of revision 1 is queued." in html
    assert '<meta http-equiv="refresh"' in html  # the page follows the job until it finishes

    job = Job.objects.get()
    deadline = time.monotonic() + 60
    while Job.objects.get().status != "succeeded" and time.monotonic() < deadline:
        time.sleep(0.1)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'data-job-id="{job.pk}" data-status="succeeded"' in page
    artifact = job.artifacts.get()
    assert f'href="/api/artifacts/{artifact.pk}/download/"' in page
    assert "orders-r1-render.png" in page
    assert '<meta http-equiv="refresh"' not in page
    assert client.get(f"/api/artifacts/{artifact.pk}/download/").status_code == 200  # session auth works


def test_outsiders_get_404_on_the_project_page(project: Project, charlie: User) -> None:
    client = logged_in(charlie)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    assert client.post(f"/projects/{project.pk}/jobs/", {"action": "render-svg"}).status_code == 404
    assert not Job.objects.exists()


def test_an_unknown_action_is_shown_as_an_error_and_queues_nothing(project: Project, bob: User) -> None:
    response = logged_in(bob).post(f"/projects/{project.pk}/jobs/", {"action": "render-gif"}, follow=True)
    assert "Unknown action." in response.content.decode()
    assert not Job.objects.exists()


def test_the_export_and_estimate_buttons_queue_their_jobs(
    team: Team, alice: User, bob: User, workers: WorkerFactory
) -> None:
    project = services.project_create(
        team=team, user=alice, name="Basic", design=pattern_library()["three-tier-basic"].design
    )
    workers.start()
    client = logged_in(bob)
    for action in ("export-sam", "export-cdk", "estimate"):
        assert (
            "is queued"
            in client.post(f"/projects/{project.pk}/jobs/", {"action": action}, follow=True).content.decode()
        )
    assert sorted(Job.objects.values_list("kind", flat=True)) == ["estimate", "export", "export"]
    deadline = time.monotonic() + 60
    while Job.objects.exclude(status="succeeded").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(Job.objects.values_list("status", "error")) == [("succeeded", "")] * 3
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert page.count('data-status="succeeded"') == 3
    assert "-export-sam.zip" in page and "-export-cdk-python.zip" in page
    assert "-estimate.json" in page and "-estimate.svg" in page
