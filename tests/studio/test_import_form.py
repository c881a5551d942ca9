"""The import form of New project without JavaScript: import and open the editor, or say why not."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.projects.models import Project, Revision, Team
from tests.importing.helpers import FIXTURES

URL = "/projects/new/"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_hands_the_import_script_its_teams_and_the_api(alice: User, team: Team) -> None:
    html = logged_in(alice).get(URL).content.decode()
    assert 'id="import-root"' in html
    assert "data-csrf-token=" in html
    assert f"{{&quot;id&quot;: {team.pk}, &quot;name&quot;: &quot;Platform&quot;}}" in html


def test_a_pasted_template_is_imported_into_the_chosen_team_and_opened(alice: User, team: Team) -> None:
    text = (FIXTURES / "orders_sam.yaml").read_text()

    response = logged_in(alice).post(URL, {"import": "1", "template": text, "team": team.pk})

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/edit/"
    assert (project.name, project.team_id) == ("Orders service (test fixture)", team.pk)


def test_an_uploaded_file_is_imported_under_the_name_given(alice: User) -> None:
    upload = SimpleUploadedFile("flow.yaml", (FIXTURES / "workflow.yaml").read_bytes())

    response = logged_in(alice).post(URL, {"import": "1", "file": upload, "name": "Checkout"})

    project = Project.objects.get()
    assert response.status_code == 302
    assert project.name == "Checkout"
    assert Revision.objects.get(project=project).message == "Imported from template flow.yaml"


def test_a_bad_template_is_refused_with_the_reason_and_the_text_kept(alice: User) -> None:
    response = logged_in(alice).post(URL, {"import": "1", "template": "Resources:\n  A:\n    Type: !Evil <b>x</b>\n"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "The template cannot be imported: unknown tag !Evil at line 3" in html
    assert "Type: !Evil &lt;b&gt;x&lt;/b&gt;" in html  # kept in the box, escaped
    assert not Project.objects.exists()


def test_an_upload_over_1_mb_is_refused_by_its_size(alice: User) -> None:
    upload = SimpleUploadedFile("big.yaml", b"#" * (1024 * 1024 + 1))

    response = logged_in(alice).post(URL, {"import": "1", "file": upload})

    assert response.status_code == 400
    assert "at most 1,048,576 (1 MB) are read" in response.content.decode()
    assert not Project.objects.exists()


def test_nothing_to_import_is_said(alice: User) -> None:
    response = logged_in(alice).post(URL, {"import": "1", "template": "  "})

    assert response.status_code == 400
    assert "Choose a template file or paste a template." in response.content.decode()


def test_a_viewer_cannot_import_into_the_team(vera: User, team: Team) -> None:
    text = (FIXTURES / "workflow.yaml").read_text()

    response = logged_in(vera).post(URL, {"import": "1", "template": text, "team": team.pk})

    assert response.status_code == 400
    assert "only create projects in a team where you are an editor or owner" in response.content.decode()
    assert not Project.objects.exists()


def test_the_form_shares_the_import_throttle(alice: User, settings: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "import": "1/min"}
    client = logged_in(alice)
    assert client.post(URL, {"import": "1", "template": "x"}).status_code == 400

    response = client.post(URL, {"import": "1", "template": (FIXTURES / "workflow.yaml").read_text()})

    assert response.status_code == 429
    assert not Project.objects.exists()
