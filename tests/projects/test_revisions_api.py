"""GET /api/projects/{id}/revisions/ and /revisions/{n}/: the immutable history of a design."""

from __future__ import annotations

import pytest

from apps.designs.document import content_hash, validate_design
from apps.projects import services
from apps.projects.models import Revision
from tests.conftest import design_doc
from tests.projects.helpers import assert_error, db_state

REVISION_KEYS = {"number", "content_hash", "message", "author", "created_at"}


def url(project, suffix=""):
    return f"/api/projects/{project.pk}/revisions/{suffix}"


def with_memory(memory):
    document = design_doc()
    document["components"][2]["props"]["memory_mb"] = memory
    return validate_design(document)


@pytest.fixture
def history(project, alice, bob):
    """Revision 1 by alice (the fixture's), 2 by bob, 3 by alice."""
    services.design_save(project=project, user=bob, design=with_memory(1024), expected_number=1, message="More memory")
    services.design_save(project=project, user=alice, design=with_memory(2048), expected_number=2, message="Even more")
    return project


def test_it_lists_the_revisions_newest_first(as_alice, alice, bob, history):
    response = as_alice.get(url(history))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert [r["number"] for r in body["results"]] == [3, 2, 1]
    assert all(set(r) == REVISION_KEYS for r in body["results"])
    assert [r["message"] for r in body["results"]] == ["Even more", "More memory", "Created the project"]
    assert [r["author"] for r in body["results"]] == [
        {"id": alice.pk, "username": "alice"},
        {"id": bob.pk, "username": "bob"},
        {"id": alice.pk, "username": "alice"},
    ]
    hashes = dict(Revision.objects.filter(project=history).values_list("number", "content_hash"))
    assert [r["content_hash"] for r in body["results"]] == [hashes[3], hashes[2], hashes[1]]
    assert len(set(hashes.values())) == 3


def test_the_list_is_paginated(as_alice, history):
    body = as_alice.get(url(history), {"limit": 2}).json()

    assert body["count"] == 3
    assert [r["number"] for r in body["results"]] == [3, 2]
    assert "offset=2" in body["next"]
    assert [r["number"] for r in as_alice.get(body["next"]).json()["results"]] == [1]


def test_a_viewer_can_read_the_history(as_vera, history):
    assert [r["number"] for r in as_vera.get(url(history)).json()["results"]] == [3, 2, 1]


def test_the_list_shows_only_this_projects_revisions(as_alice, alice, history):
    other = services.project_create(team=alice.personal_team, user=alice, name="Other")

    body = as_alice.get(url(other)).json()

    assert body["count"] == 1
    assert body["results"][0]["message"] == "Created the project"


def test_an_outsider_cannot_list_the_revisions(as_charlie, history):
    response = as_charlie.get(url(history))

    assert_error(response, 404, "not_found", [])
    assert "More memory" not in response.content.decode()


def test_a_revision_includes_its_design_and_its_etag(as_vera, bob, history):
    response = as_vera.get(url(history, "2/"))

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    body = response.json()
    assert set(body) == REVISION_KEYS | {"design"}
    assert body["number"] == 2
    assert body["message"] == "More memory"
    assert body["author"] == {"id": bob.pk, "username": "bob"}
    assert body["design"] == with_memory(1024).canonical()
    assert body["content_hash"] == content_hash(body["design"])


def test_old_revisions_keep_their_design_after_later_saves(as_alice, history):
    first = as_alice.get(url(history, "1/")).json()

    assert first["design"] == validate_design(design_doc()).canonical()
    assert first["design"]["components"][2]["props"]["memory_mb"] == 512


@pytest.mark.parametrize("number", [0, 4, 987654])
def test_an_unknown_revision_number_is_404(as_alice, history, number):
    response = as_alice.get(url(history, f"{number}/"))

    assert_error(response, 404, "not_found", [])


def test_an_outsider_cannot_read_a_revision(as_charlie, history):
    response = as_charlie.get(url(history, "1/"))

    assert_error(response, 404, "not_found", [])
    assert "orders_fn" not in response.content.decode()


def test_a_saved_revision_cannot_be_changed(history):
    revision = Revision.objects.get(project=history, number=2)
    before = db_state()
    revision.message = "Rewritten history"
    revision.design = design_doc(name="Rewritten")

    with pytest.raises(ValueError, match="immutable"):
        revision.save()

    assert db_state() == before
    assert Revision.objects.get(pk=revision.pk).design == with_memory(1024).canonical()


def test_the_api_offers_no_way_to_change_or_delete_a_revision(as_alice, history):
    before = db_state()

    responses = [
        as_alice.put(url(history, "2/"), design_doc(), format="json"),
        as_alice.patch(url(history, "2/"), {"message": "Rewritten"}, format="json"),
        as_alice.delete(url(history, "2/")),
        as_alice.post(url(history), design_doc(), format="json"),
    ]

    for response in responses:
        assert_error(response, 405, "method_not_allowed", [])
    assert db_state() == before
