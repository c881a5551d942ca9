"""GET /api/projects/{id}/design/ (ETag = revision number) and PUT (If-Match required, never overwrites)."""

from __future__ import annotations

import pytest

from apps.designs.document import validate_design
from apps.projects.models import Project, Revision
from tests.conftest import design_doc
from tests.projects.helpers import assert_error, db_state, revision_numbers


def url(project):
    return f"/api/projects/{project.pk}/design/"


def bigger_lambda(**overrides):
    document = design_doc(**overrides)
    document["components"][2]["props"]["memory_mb"] = 1024
    return document


def put(client, project, body, if_match='"1"'):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return client.put(url(project), body, format="json", **headers)


@pytest.mark.parametrize("persona", ["as_alice", "as_bob", "as_vera"])
def test_every_member_gets_the_current_design_with_its_revision_as_etag(request, project, persona):
    response = request.getfixturevalue(persona).get(url(project))

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json() == project.head.design
    assert response.json() == validate_design(design_doc()).canonical()


def test_an_outsider_cannot_read_the_design(as_charlie, project):
    response = as_charlie.get(url(project))

    assert_error(response, 404, "not_found", [])
    assert "orders_fn" not in response.content.decode()
    assert "ETag" not in response


def test_a_valid_save_makes_the_next_revision(as_alice, alice, project):
    response = put(as_alice, project, bigger_lambda())

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert set(body) == {"revision", "created", "design"}
    assert body["created"] is True
    assert body["design"] == validate_design(bigger_lambda()).canonical()
    revision = Revision.objects.get(project=project, number=2)
    assert body["revision"] == {
        "number": 2,
        "content_hash": revision.content_hash,
        "message": "",
        "author": {"id": alice.pk, "username": "alice"},
        "created_at": body["revision"]["created_at"],
    }
    assert revision.design == body["design"]
    assert revision.author_id == alice.pk
    assert revision_numbers(project) == [1, 2]
    assert Project.objects.get(pk=project.pk).head_number == 2


def test_the_saved_design_is_what_get_returns_next(as_alice, project):
    put(as_alice, project, bigger_lambda())

    response = as_alice.get(url(project))

    assert response["ETag"] == '"2"'
    assert response.json()["components"][2]["props"] == {"memory_mb": 1024}


def test_an_editor_can_save(as_bob, bob, project):
    response = put(as_bob, project, bigger_lambda())

    assert response.status_code == 200, response.content
    assert Revision.objects.get(project=project, number=2).author_id == bob.pk


def test_saves_chain_by_passing_each_etag_on(as_alice, project):
    etag = as_alice.get(url(project))["ETag"]
    for memory in (256, 1024, 2048):
        document = design_doc()
        document["components"][2]["props"]["memory_mb"] = memory
        response = put(as_alice, project, document, if_match=etag)
        assert response.status_code == 200, response.content
        etag = response["ETag"]

    assert etag == '"4"'
    assert revision_numbers(project) == [1, 2, 3, 4]


@pytest.mark.parametrize("if_match", ['"1"', "1", 'W/"1"'])
def test_it_accepts_the_etag_quoted_bare_or_weak(as_alice, project, if_match):
    response = put(as_alice, project, bigger_lambda(), if_match=if_match)

    assert response.status_code == 200, response.content
    assert revision_numbers(project) == [1, 2]


def test_it_refuses_a_save_without_if_match(as_alice, project):
    before = db_state()

    response = put(as_alice, project, bigger_lambda(), if_match=None)

    error = assert_error(response, 428, "if_match_required", [])
    assert "If-Match" in error["message"]
    assert revision_numbers(project) == [1]
    assert db_state() == before


@pytest.mark.parametrize("if_match", ["*", "latest", '"1", "2"', '"abc"', '"-1"', ""])
def test_it_refuses_an_if_match_that_names_no_single_revision(as_alice, project, if_match):
    before = db_state()

    response = put(as_alice, project, bigger_lambda(), if_match=if_match)

    assert_error(response, 428, "if_match_required", [])
    assert db_state() == before


def test_it_refuses_a_stale_if_match_and_points_at_the_head(as_alice, as_bob, project):
    assert put(as_bob, project, bigger_lambda()).status_code == 200
    head_design = Project.objects.get(pk=project.pk).head.design
    before = db_state()

    response = put(as_alice, project, design_doc(description="alice's older edit"), if_match='"1"')

    error = assert_error(response, 412, "stale_revision", [])
    assert response["ETag"] == '"2"'
    assert "revision 2" in error["message"]
    assert db_state() == before
    assert Project.objects.get(pk=project.pk).head.design == head_design


def test_it_refuses_an_if_match_from_the_future(as_alice, project):
    before = db_state()

    response = put(as_alice, project, bigger_lambda(), if_match='"7"')

    assert_error(response, 412, "stale_revision", [])
    assert response["ETag"] == '"1"'
    assert db_state() == before


def test_a_stale_save_succeeds_once_rebased_on_the_head(as_alice, as_bob, project):
    put(as_bob, project, bigger_lambda())
    stale = put(as_alice, project, design_doc(description="alice's edit"), if_match='"1"')

    retried = put(as_alice, project, bigger_lambda(description="alice's edit"), if_match=stale["ETag"])

    assert retried.status_code == 200, retried.content
    assert retried["ETag"] == '"3"'
    assert revision_numbers(project) == [1, 2, 3]


def test_saving_identical_content_makes_no_new_revision(as_alice, project):
    before = db_state()

    response = put(as_alice, project, design_doc())

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"1"'
    assert response.json()["created"] is False
    assert response.json()["revision"]["number"] == 1
    assert db_state() == before


def test_content_is_identical_whatever_the_key_order_and_spelt_out_defaults(as_alice, project):
    canonical = as_alice.get(url(project)).json()
    reordered = dict(reversed(list(canonical.items())))
    before = db_state()

    response = put(as_alice, project, reordered)

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert db_state() == before


def test_the_wrapper_form_stores_the_revision_message(as_alice, project):
    response = put(as_alice, project, {"design": bigger_lambda(), "message": "More memory for the orders function"})

    assert response.status_code == 200, response.content
    assert response.json()["revision"]["message"] == "More memory for the orders function"
    assert Revision.objects.get(project=project, number=2).message == "More memory for the orders function"


def test_the_wrapper_form_without_a_message_stores_an_empty_one(as_alice, project):
    response = put(as_alice, project, {"design": bigger_lambda()})

    assert response.status_code == 200, response.content
    assert Revision.objects.get(project=project, number=2).message == ""


def test_the_wrapper_form_refuses_unknown_keys(as_alice, project):
    before = db_state()

    response = put(as_alice, project, {"design": bigger_lambda(), "message": "hi", "force": True, "author": "x"})

    assert_error(response, 400, "invalid", ["/author", "/force"])
    assert db_state() == before


@pytest.mark.parametrize("message", ["x" * 501, 42, ["a"]])
def test_the_wrapper_message_must_be_text_of_at_most_500_characters(as_alice, project, message):
    before = db_state()

    response = put(as_alice, project, {"design": bigger_lambda(), "message": message})

    assert_error(response, 400, "invalid", ["/message"])
    assert db_state() == before


def test_an_invalid_design_in_the_wrapper_is_reported_under_design(as_alice, project):
    document = bigger_lambda()
    document["connections"][0]["target"] = "ghost"
    before = db_state()

    response = put(as_alice, project, {"design": document, "message": "broken"})

    assert_error(response, 400, "invalid_design", ["/design/connections/0/target"])
    assert db_state() == before


def test_a_viewer_cannot_save(as_vera, project):
    before = db_state()

    response = put(as_vera, project, bigger_lambda())

    assert_error(response, 403, "permission_denied", [])
    assert db_state() == before


def test_an_outsider_cannot_save_and_learns_nothing(as_charlie, project):
    before = db_state()

    response = put(as_charlie, project, bigger_lambda())

    assert_error(response, 404, "not_found", [])
    assert "ETag" not in response
    assert db_state() == before


def test_an_outsider_gets_404_even_without_if_match(as_charlie, project):
    response = put(as_charlie, project, bigger_lambda(), if_match=None)

    assert_error(response, 404, "not_found", [])
