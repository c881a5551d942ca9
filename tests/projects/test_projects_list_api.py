"""GET /api/projects/: the projects of my teams, newest activity first, with search, team filter and pages."""

from __future__ import annotations

import pytest

from apps.designs.document import validate_design
from apps.projects import services
from tests.conftest import design_doc
from tests.projects.helpers import assert_error

URL = "/api/projects/"
PROJECT_KEYS = {"id", "name", "description", "team", "revision", "role", "created_by", "created_at", "updated_at"}


@pytest.fixture
def charlies_project(charlie):
    return services.project_create(team=charlie.personal_team, user=charlie, name="Charlie's secret")


@pytest.fixture
def alices_sandbox(alice):
    return services.project_create(team=alice.personal_team, user=alice, name="Sandbox")


def test_it_lists_only_the_projects_of_my_teams(as_alice, project, alices_sandbox, charlies_project):
    response = as_alice.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert {p["id"] for p in body["results"]} == {project.pk, alices_sandbox.pk}


def test_an_outsider_sees_none_of_the_teams_projects(as_charlie, project, charlies_project):
    body = as_charlie.get(URL).json()

    assert [p["name"] for p in body["results"]] == ["Charlie's secret"]


def test_each_project_carries_its_team_head_revision_creator_and_my_role(as_vera, project, alice, team):
    (item,) = as_vera.get(URL).json()["results"]

    assert set(item) == PROJECT_KEYS
    assert item["id"] == project.pk
    assert item["name"] == "Orders"
    assert item["team"] == {"id": team.pk, "name": "Platform"}
    assert item["revision"] == 1
    assert item["role"] == "viewer"
    assert item["created_by"] == {"id": alice.pk, "username": "alice"}


@pytest.mark.parametrize(("persona", "role"), [("as_alice", "owner"), ("as_bob", "editor"), ("as_vera", "viewer")])
def test_the_role_field_is_my_role_in_the_projects_team(request, project, persona, role):
    results = request.getfixturevalue(persona).get(URL).json()["results"]

    assert [(p["id"], p["role"]) for p in results] == [(project.pk, role)]


def test_search_matches_part_of_the_name_ignoring_case(as_alice, alice, project, alices_sandbox):
    body = as_alice.get(URL, {"search": "ORD"}).json()

    assert body["count"] == 1
    assert [p["id"] for p in body["results"]] == [project.pk]


def test_search_with_no_match_is_an_empty_page(as_alice, project):
    body = as_alice.get(URL, {"search": "nothing like it"}).json()

    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_search_never_finds_other_teams_projects(as_alice, project, charlies_project):
    assert as_alice.get(URL, {"search": "secret"}).json()["count"] == 0


def test_the_team_filter_keeps_one_teams_projects(as_alice, alice, team, project, alices_sandbox):
    shared = as_alice.get(URL, {"team": team.pk}).json()
    personal = as_alice.get(URL, {"team": alice.personal_team.pk}).json()

    assert [p["id"] for p in shared["results"]] == [project.pk]
    assert [p["id"] for p in personal["results"]] == [alices_sandbox.pk]


def test_filtering_on_a_team_i_am_not_in_shows_nothing(as_alice, charlie, charlies_project):
    body = as_alice.get(URL, {"team": charlie.personal_team.pk}).json()

    assert body["count"] == 0
    assert body["results"] == []


def test_search_and_team_filter_combine(as_alice, alice, team, project):
    services.project_create(team=alice.personal_team, user=alice, name="Orders (copy)")

    body = as_alice.get(URL, {"team": team.pk, "search": "orders"}).json()

    assert [p["id"] for p in body["results"]] == [project.pk]


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", " 1", ""])
def test_the_team_filter_must_be_a_team_id(as_alice, project, value):
    response = as_alice.get(URL, {"team": value})

    assert_error(response, 400, "invalid", ["/team"])


def test_the_team_filter_refuses_non_ascii_digits(as_alice, project):
    response = as_alice.get(URL, {"team": "²"})

    assert_error(response, 400, "invalid", ["/team"])


def test_a_team_id_too_large_to_be_an_id_is_400(as_alice, project):
    response = as_alice.get(URL, {"team": "99999999999999999999"})

    assert_error(response, 400, "invalid", ["/team"])


def test_a_search_with_a_nul_character_is_not_a_server_error(as_alice, project):
    response = as_alice.get(URL, {"search": "Ord\x00ers"})

    if response.status_code == 400:
        assert_error(response, 400, "invalid", ["/search"])
    else:
        assert response.status_code == 200, response.content
        assert response.json()["results"] == []


def test_it_pages_with_count_next_and_previous(as_alice, alice):
    for index in range(5):
        services.project_create(team=alice.personal_team, user=alice, name=f"Project {index}")

    first = as_alice.get(URL, {"limit": 2}).json()
    last = as_alice.get(URL, {"limit": 2, "offset": 4}).json()

    assert first["count"] == last["count"] == 5
    assert len(first["results"]) == 2 and len(last["results"]) == 1
    assert first["previous"] is None
    assert "limit=2" in first["next"] and "offset=2" in first["next"]
    assert last["next"] is None
    assert "offset=2" in last["previous"]
    pages = [as_alice.get(URL, {"limit": 2, "offset": offset}).json()["results"] for offset in (0, 2, 4)]
    assert len({p["id"] for page in pages for p in page}) == 5


def test_the_most_recently_saved_project_comes_first(as_alice, alice, project, alices_sandbox):
    assert [p["id"] for p in as_alice.get(URL).json()["results"]] == [alices_sandbox.pk, project.pk]

    services.design_save(
        project=project, user=alice, design=validate_design(design_doc(name="Orders v2")), expected_number=1
    )

    results = as_alice.get(URL).json()["results"]
    assert [p["id"] for p in results] == [project.pk, alices_sandbox.pk]
    assert results[0]["revision"] == 2


def test_a_project_is_listed_once_even_with_several_members(as_alice, as_bob, project):
    assert [p["id"] for p in as_alice.get(URL).json()["results"]] == [project.pk]
    assert [p["id"] for p in as_bob.get(URL).json()["results"]] == [project.pk]
