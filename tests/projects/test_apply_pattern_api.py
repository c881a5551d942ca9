"""Projects from patterns (POST /api/projects/ {"pattern"}) and POST …/design/apply-pattern/."""

from __future__ import annotations

from rest_framework.test import APIClient

from apps.designs.patterns import pattern_library
from apps.projects.models import Project, Team


def test_a_project_can_start_from_a_pattern(as_alice: APIClient) -> None:
    response = as_alice.post("/api/projects/", {"pattern": "single-domain"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Single-domain app and API" and body["revision"] == 1
    project = Project.objects.get(pk=body["id"])
    assert project.head.design == pattern_library()["single-domain"].design.canonical()
    assert project.head.message == "Created from the single-domain pattern"


def test_a_project_from_a_pattern_can_have_its_own_name(as_alice: APIClient) -> None:
    response = as_alice.post("/api/projects/", {"pattern": "storage-first", "name": "Ingest"}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == "Ingest"


def test_an_unknown_pattern_is_404_with_the_slugs_and_creates_nothing(as_alice: APIClient) -> None:
    response = as_alice.post("/api/projects/", {"pattern": "nope"}, format="json")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "pattern_not_found" and error["details"][0]["pointer"] == "/pattern"
    assert "three-tier-basic" in error["message"]
    assert not Project.objects.exists()


def test_a_design_and_a_pattern_together_are_refused(as_alice: APIClient) -> None:
    response = as_alice.post("/api/projects/", {"pattern": "storage-first", "design": {}}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["pointer"] == "/pattern"


def test_applying_a_pattern_merges_it_as_a_new_revision(as_bob: APIClient, project: Project) -> None:
    response = as_bob.post(
        f"/api/projects/{project.pk}/design/apply-pattern/", {"pattern": "scheduled-job"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert body["created"] is True and body["revision"]["number"] == 2
    assert body["revision"]["message"] == "Applied the scheduled-job pattern"
    ids = {c["id"] for c in body["design"]["components"]}
    assert {"web", "api", "orders_fn", "orders", "schedule", "job_fn", "dlq"} <= ids
    project.refresh_from_db()
    assert project.head_number == 2


def test_applying_with_a_mapping_reuses_the_existing_component(as_alice: APIClient, project: Project) -> None:
    response = as_alice.post(
        f"/api/projects/{project.pk}/design/apply-pattern/",
        {"pattern": "api-lambda-dynamodb", "mapping": {"client": "web", "table": "orders"}, "message": "Add a service"},
        format="json",
    )
    assert response.status_code == 200, response.content
    design = response.json()["design"]
    assert [c["type"] for c in design["components"]].count("browser") == 1
    links = {(c["source"], c["target"], c["kind"]) for c in design["connections"]}
    assert ("web", "api_2", "request") in links
    assert ("handler", "orders", "read_write") in links
    assert response.json()["revision"]["message"] == "Add a service"


def test_a_bad_mapping_is_400_naming_it_and_saves_nothing(as_alice: APIClient, project: Project) -> None:
    response = as_alice.post(
        f"/api/projects/{project.pk}/design/apply-pattern/",
        {"pattern": "api-lambda-dynamodb", "mapping": {"table": "api", "ghost": "web"}},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_mapping"
    assert {d["pointer"] for d in error["details"]} == {"/mapping/table", "/mapping/ghost"}
    assert project.revisions.count() == 1


def test_an_unknown_pattern_to_apply_is_404(as_alice: APIClient, project: Project) -> None:
    response = as_alice.post(f"/api/projects/{project.pk}/design/apply-pattern/", {"pattern": "nope"}, format="json")
    assert response.status_code == 404
    assert project.revisions.count() == 1


def test_a_merge_past_the_size_limit_is_400_and_saves_nothing(as_alice: APIClient, team: Team) -> None:
    components = [{"id": f"fn{i}", "type": "lambda_function"} for i in range(998)]
    created = as_alice.post(
        "/api/projects/",
        {"team": team.pk, "design": {"schema": "tierplan.design/v1", "name": "Big", "components": components}},
        format="json",
    )
    assert created.status_code == 201
    project_id = created.json()["id"]
    response = as_alice.post(
        f"/api/projects/{project_id}/design/apply-pattern/", {"pattern": "three-tier-basic"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["pointer"] == "/components"
    assert Project.objects.get(pk=project_id).revisions.count() == 1


def test_a_stale_if_match_is_412(as_alice: APIClient, project: Project) -> None:
    response = as_alice.post(
        f"/api/projects/{project.pk}/design/apply-pattern/",
        {"pattern": "scheduled-job"},
        format="json",
        HTTP_IF_MATCH='"7"',
    )
    assert response.status_code == 412
    assert response["ETag"] == '"1"'
    assert project.revisions.count() == 1


def test_viewers_cannot_apply_patterns_and_outsiders_do_not_see_the_project(
    as_vera: APIClient, as_charlie: APIClient, project: Project
) -> None:
    url = f"/api/projects/{project.pk}/design/apply-pattern/"
    assert as_vera.post(url, {"pattern": "scheduled-job"}, format="json").status_code == 403
    assert as_charlie.post(url, {"pattern": "scheduled-job"}, format="json").status_code == 404
    assert project.revisions.count() == 1
