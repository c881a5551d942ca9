"""POST /api/projects/: a new project whose revision 1 is an empty design or the design it is given."""

from __future__ import annotations

import pytest

from apps.designs.document import content_hash, empty_design, validate_design
from apps.projects import services
from apps.projects.models import Membership, Project, Revision, Role
from tests.conftest import design_doc
from tests.projects.helpers import assert_error, db_state

URL = "/api/projects/"


def test_it_creates_the_project_in_my_personal_team_by_default(as_alice, alice):
    response = as_alice.post(URL, {"name": "Scratch", "description": "Trying things"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/projects/{project.pk}/"
    assert project.team_id == alice.personal_team.pk
    assert (project.name, project.description, project.created_by_id) == ("Scratch", "Trying things", alice.pk)
    assert body["team"] == {"id": alice.personal_team.pk, "name": "alice's team"}
    assert body["revision"] == 1
    assert body["role"] == "owner"
    assert body["created_by"] == {"id": alice.pk, "username": "alice"}


def test_revision_1_of_a_project_without_a_design_is_an_empty_design_named_after_it(as_alice, alice):
    project_id = as_alice.post(URL, {"name": "Scratch"}, format="json").json()["id"]

    (revision,) = Revision.objects.filter(project_id=project_id)
    assert revision.number == 1
    assert revision.design == empty_design("Scratch")
    assert revision.content_hash == content_hash(empty_design("Scratch"))
    assert revision.author_id == alice.pk
    assert revision.message == "Created the project"
    assert Project.objects.get(pk=project_id).head_number == 1


def test_an_editor_can_create_a_project_in_the_shared_team(as_bob, bob, team):
    response = as_bob.post(URL, {"name": "Payments", "team": team.pk}, format="json")

    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert project.team_id == team.pk
    assert project.created_by_id == bob.pk
    assert response.json()["role"] == "editor"


def test_the_owner_can_create_a_project_in_the_shared_team(as_alice, team):
    response = as_alice.post(URL, {"name": "Payments", "team": team.pk}, format="json")

    assert response.status_code == 201, response.content
    assert Project.objects.get(pk=response.json()["id"]).team_id == team.pk


def test_a_viewer_cannot_create_a_project_in_the_team(as_vera, team):
    before = db_state()

    response = as_vera.post(URL, {"name": "Payments", "team": team.pk}, format="json")

    assert_error(response, 403, "permission_denied", ["/team"])
    assert db_state() == before


def test_a_viewer_can_still_create_projects_in_their_personal_team(as_vera, vera, team):
    response = as_vera.post(URL, {"name": "Mine", "team": vera.personal_team.pk}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["team"] == {"id": vera.personal_team.pk, "name": vera.personal_team.name}
    assert response.json()["role"] == "owner"


def test_it_refuses_a_team_i_am_not_in_without_confirming_it_exists(as_charlie, team):
    before = db_state()

    existing = as_charlie.post(URL, {"name": "Payments", "team": team.pk}, format="json")
    unknown = as_charlie.post(URL, {"name": "Payments", "team": 987654}, format="json")

    assert_error(existing, 400, "invalid", ["/team"])
    assert_error(unknown, 400, "invalid", ["/team"])
    assert existing.json() == unknown.json()
    assert db_state() == before


def test_the_team_must_be_an_integer(as_alice, alice):
    before = db_state()

    response = as_alice.post(URL, {"name": "Payments", "team": "platform"}, format="json")

    assert_error(response, 400, "invalid", ["/team"])
    assert db_state() == before


def test_an_initial_design_becomes_revision_1_in_canonical_form_with_tiers_filled_in(as_alice):
    response = as_alice.post(URL, {"name": "Orders", "design": design_doc()}, format="json")

    assert response.status_code == 201, response.content
    (revision,) = Revision.objects.filter(project_id=response.json()["id"])
    canonical = validate_design(design_doc()).canonical()
    assert revision.number == 1
    assert revision.design == canonical
    assert revision.content_hash == content_hash(canonical)
    assert {c["id"]: c["tier"] for c in revision.design["components"]} == {
        "web": "presentation",
        "api": "logic",
        "orders_fn": "logic",
        "orders": "data",
    }
    assert revision.design["workload"]["requests_per_month"] == 1_000_000
    design = as_alice.get(f"/api/projects/{response.json()['id']}/design/")
    assert design.json() == canonical
    assert design["ETag"] == '"1"'


def test_the_name_defaults_to_the_designs_name(as_alice):
    response = as_alice.post(URL, {"design": design_doc(name="Checkout")}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Checkout"
    assert Project.objects.get(pk=response.json()["id"]).name == "Checkout"


def test_an_explicit_name_wins_over_the_designs_name(as_alice):
    response = as_alice.post(URL, {"name": "Storefront", "design": design_doc(name="Checkout")}, format="json")

    assert response.json()["name"] == "Storefront"
    (revision,) = Revision.objects.filter(project_id=response.json()["id"])
    assert revision.design["name"] == "Checkout"


@pytest.mark.parametrize(
    ("change", "pointers"),
    [
        (
            lambda d: d["connections"][2].update(target="ghost"),
            ["/design/connections/2/target"],
        ),
        (
            lambda d: d["components"][2]["props"].update(memory_mb=64),
            ["/design/components/2/props/memory_mb"],
        ),
        (
            lambda d: d["components"].append({"id": "api", "type": "api_gateway_rest"}),
            ["/design/components/4/id"],
        ),
        (lambda d: d.update(colour="red"), ["/design/colour"]),
    ],
    ids=["dangling connection", "prop out of range", "duplicate id", "unknown field"],
)
def test_an_invalid_initial_design_is_refused_with_pointers_into_the_design(as_alice, alice, change, pointers):
    document = design_doc()
    change(document)
    before = db_state()

    response = as_alice.post(URL, {"name": "Orders", "design": document}, format="json")

    assert_error(response, 400, "invalid_design", pointers)
    assert db_state() == before


@pytest.mark.parametrize("document", ["Orders", [], 42])
def test_an_initial_design_must_be_an_object(as_alice, alice, document):
    before = db_state()

    response = as_alice.post(URL, {"name": "Orders", "design": document}, format="json")

    assert_error(response, 400, "invalid_design", ["/design"])
    assert db_state() == before


def test_an_initial_design_with_a_nul_character_is_refused(as_alice, alice):
    before = db_state()

    response = as_alice.post(URL, {"design": design_doc(name="Ord\x00ers")}, format="json")

    assert_error(response, 400, "invalid_design", ["/design/name"])
    assert db_state() == before


def test_a_project_needs_a_name_or_a_design_to_take_it_from(as_alice, alice):
    before = db_state()

    response = as_alice.post(URL, {"description": "No name"}, format="json")

    assert_error(response, 400, "invalid", ["/name"])
    assert db_state() == before


@pytest.mark.parametrize("name", ["", "x" * 201])
def test_the_name_must_be_non_blank_and_at_most_200_characters(as_alice, alice, name):
    before = db_state()

    response = as_alice.post(URL, {"name": name}, format="json")

    assert_error(response, 400, "invalid", ["/name"])
    assert db_state() == before


def test_it_refuses_a_body_that_is_not_json(as_alice, alice):
    before = db_state()

    response = as_alice.post(URL, "{name: Orders", content_type="application/json")

    assert_error(response, 400, "malformed_request", [])
    assert db_state() == before


@pytest.mark.parametrize(
    ("how", "status", "code"), [("demoted to viewer", 403, "permission_denied"), ("removed", 400, "invalid")]
)
def test_the_default_personal_team_is_checked_like_any_other_team(as_vera, vera, alice, how, status, code):
    personal = vera.personal_team
    services.membership_add(team=personal, user=alice, role=Role.OWNER)
    membership = Membership.objects.get(team=personal, user=vera)
    if how == "removed":
        services.membership_remove(membership=membership)
    else:
        services.membership_change_role(membership=membership, role=Role.VIEWER)
    before = db_state()

    response = as_vera.post(URL, {"name": "Not allowed here"}, format="json")

    # The same answers as when the team is named explicitly (see the viewer and outsider tests above).
    assert_error(response, status, code, ["/team"])
    assert db_state() == before
