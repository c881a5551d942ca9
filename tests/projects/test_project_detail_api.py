"""GET, PATCH and DELETE /api/projects/{id}/."""

from __future__ import annotations

import pytest

from apps.designs.document import validate_design
from apps.projects import selectors, services
from apps.projects.models import Project, Revision
from tests.conftest import design_doc
from tests.projects.helpers import assert_error, db_state, revision_numbers


def url(project):
    return f"/api/projects/{project.pk}/"


@pytest.mark.parametrize(("persona", "role"), [("as_alice", "owner"), ("as_bob", "editor"), ("as_vera", "viewer")])
def test_every_team_member_can_read_the_project(request, project, team, alice, persona, role):
    response = request.getfixturevalue(persona).get(url(project))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == project.pk
    assert body["name"] == "Orders"
    assert body["description"] == ""
    assert body["team"] == {"id": team.pk, "name": "Platform"}
    assert body["revision"] == 1
    assert body["role"] == role
    assert body["created_by"] == {"id": alice.pk, "username": "alice"}


@pytest.mark.parametrize(
    ("method", "body"),
    [("get", None), ("patch", {"name": "Taken over"}), ("delete", None)],
    ids=["GET", "PATCH", "DELETE"],
)
def test_an_outsider_gets_404_for_every_method(as_charlie, project, method, body):
    before = db_state()

    response = getattr(as_charlie, method)(url(project), body, format="json")

    assert_error(response, 404, "not_found", [])
    assert "Orders" not in response.content.decode()
    assert db_state() == before


def test_an_unknown_project_is_404_like_someone_elses(as_alice, as_charlie, project):
    unknown = as_alice.get("/api/projects/987654/")
    hidden = as_charlie.get(url(project))

    assert_error(unknown, 404, "not_found", [])
    assert unknown.json() == hidden.json()


def test_an_editor_can_rename_and_describe_the_project(as_bob, project):
    response = as_bob.patch(url(project), {"name": "Orders v2", "description": "The new flow"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Orders v2"
    assert response.json()["description"] == "The new flow"
    assert response.json()["role"] == "editor"
    project.refresh_from_db()
    assert (project.name, project.description) == ("Orders v2", "The new flow")


def test_patch_changes_only_the_fields_it_is_given(as_alice, project):
    Project.objects.filter(pk=project.pk).update(description="Keep me")

    response = as_alice.patch(url(project), {"name": "Renamed"}, format="json")

    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.name, project.description) == ("Renamed", "Keep me")


def test_renaming_makes_no_revision_and_leaves_the_design_alone(as_alice, project):
    design_before = project.head.design

    as_alice.patch(url(project), {"name": "Renamed"}, format="json")

    project.refresh_from_db()
    assert revision_numbers(project) == [1]
    assert project.head_number == 1
    assert project.head.design == design_before


def test_patch_refuses_fields_it_does_not_manage_and_changes_nothing(as_alice, project, charlie):
    before = db_state()

    response = as_alice.patch(url(project), {"team": charlie.personal_team.pk, "revision": 9}, format="json")

    assert_error(response, 400, "invalid", ["/team", "/revision"])
    assert db_state() == before
    project.refresh_from_db()
    assert project.team.name == "Platform"
    assert project.head_number == 1


def test_a_viewer_cannot_change_the_project(as_vera, project):
    before = db_state()

    response = as_vera.patch(url(project), {"name": "Mine"}, format="json")

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "x" * 201}, {"description": "x" * 5001}])
def test_patch_validates_name_and_description(as_alice, project, body):
    before = db_state()

    response = as_alice.patch(url(project), body, format="json")

    assert_error(response, 400, "invalid", ["/" + next(iter(body))])
    assert db_state() == before


def test_a_rename_racing_a_design_save_never_rewinds_the_head_revision(as_alice, project, alice, monkeypatch):
    real_project_get = selectors.project_get

    def project_get_then_someone_saves(**kwargs):
        found = real_project_get(**kwargs)
        if kwargs.get("ability") == "write":
            # Another request saves a design after this PATCH loaded the project and before it writes.
            services.design_save(
                project=Project.objects.get(pk=project.pk),
                user=alice,
                design=validate_design(design_doc(description="saved meanwhile")),
                expected_number=1,
            )
        return found

    monkeypatch.setattr(selectors, "project_get", project_get_then_someone_saves)
    response = as_alice.patch(url(project), {"name": "Renamed"}, format="json")
    monkeypatch.undo()

    assert response.status_code == 200
    project.refresh_from_db()
    assert project.name == "Renamed"
    assert revision_numbers(project) == [1, 2]
    assert project.head_number == 2
    assert as_alice.get(f"{url(project)}design/")["ETag"] == '"2"'


def test_the_owner_deletes_the_project_and_all_its_revisions(as_alice, project, alice):
    services.design_save(
        project=project, user=alice, design=validate_design(design_doc(name="Orders v2")), expected_number=1
    )
    assert revision_numbers(project) == [1, 2]

    response = as_alice.delete(url(project))

    assert response.status_code == 204
    assert response.content == b""
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Revision.objects.filter(project_id=project.pk).exists()
    assert_error(as_alice.get(url(project)), 404, "not_found")


@pytest.mark.parametrize("persona", ["as_bob", "as_vera"])
def test_only_owners_can_delete_a_project(request, project, persona):
    client = request.getfixturevalue(persona)
    before = db_state()

    response = client.delete(url(project))

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_deleting_one_project_leaves_the_others_alone(as_alice, alice, project):
    other = services.project_create(team=alice.personal_team, user=alice, name="Other")

    as_alice.delete(url(project))

    assert Project.objects.filter(pk=other.pk).exists()
    assert revision_numbers(other) == [1]
