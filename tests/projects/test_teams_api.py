"""GET /api/teams/ (the teams you belong to) and POST /api/teams/ (create a shared team)."""

from __future__ import annotations

from apps.projects.models import Membership, Role, Team
from tests.projects.helpers import assert_error, db_state

URL = "/api/teams/"
TEAM_KEYS = {"id", "name", "personal", "role", "members", "created_at"}


def test_it_lists_only_the_teams_i_belong_to(as_alice, alice, team, charlie):
    response = as_alice.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert {t["id"] for t in body["results"]} == {team.pk, alice.personal_team.pk}
    assert charlie.personal_team.pk not in {t["id"] for t in body["results"]}


def test_each_team_says_my_role_whether_it_is_personal_and_who_its_members_are(as_vera, vera, team):
    results = as_vera.get(URL).json()["results"]

    by_id = {t["id"]: t for t in results}
    assert all(set(t) == TEAM_KEYS for t in results)
    shared = by_id[team.pk]
    assert shared["name"] == "Platform"
    assert shared["personal"] is False
    assert shared["role"] == "viewer"
    assert sorted((m["user"]["username"], m["role"]) for m in shared["members"]) == [
        ("alice", "owner"),
        ("bob", "editor"),
        ("vera", "viewer"),
    ]
    personal = by_id[vera.personal_team.pk]
    assert personal["personal"] is True
    assert personal["role"] == "owner"
    assert [m["user"]["username"] for m in personal["members"]] == ["vera"]


def test_an_outsider_sees_only_their_personal_team(as_charlie, charlie, team):
    body = as_charlie.get(URL).json()

    assert body["count"] == 1
    assert [t["id"] for t in body["results"]] == [charlie.personal_team.pk]


def test_it_paginates_with_limit_and_offset(as_alice, alice, team):
    first = as_alice.get(URL, {"limit": 1}).json()
    second = as_alice.get(URL, {"limit": 1, "offset": 1}).json()

    assert first["count"] == second["count"] == 2
    assert len(first["results"]) == len(second["results"]) == 1
    assert first["previous"] is None and "offset=1" in first["next"]
    assert second["next"] is None and second["previous"] is not None
    assert {first["results"][0]["id"], second["results"][0]["id"]} == {team.pk, alice.personal_team.pk}


def test_creating_a_team_makes_me_its_only_owner(as_bob, bob):
    response = as_bob.post(URL, {"name": "Data platform"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    team = Team.objects.get(pk=body["id"])
    assert team.name == "Data platform"
    assert team.personal_for_id is None
    assert list(Membership.objects.filter(team=team).values_list("user_id", "role")) == [(bob.pk, Role.OWNER)]
    assert set(body) == TEAM_KEYS
    assert body["name"] == "Data platform"
    assert body["personal"] is False
    assert body["role"] == "owner"
    assert [(m["user"], m["role"]) for m in body["members"]] == [({"id": bob.pk, "username": "bob"}, "owner")]


def test_the_new_team_shows_up_in_my_list(as_bob, bob):
    created = as_bob.post(URL, {"name": "Data platform"}, format="json").json()

    assert created["id"] in {t["id"] for t in as_bob.get(URL).json()["results"]}


def test_creating_a_team_requires_a_name(as_bob, bob):
    before = db_state()

    response = as_bob.post(URL, {}, format="json")

    assert_error(response, 400, "invalid", ["/name"])
    assert db_state() == before


def test_creating_a_team_refuses_a_blank_or_overlong_name(as_bob, bob):
    before = db_state()

    blank = as_bob.post(URL, {"name": ""}, format="json")
    overlong = as_bob.post(URL, {"name": "x" * 201}, format="json")

    assert_error(blank, 400, "invalid", ["/name"])
    assert_error(overlong, 400, "invalid", ["/name"])
    assert db_state() == before
