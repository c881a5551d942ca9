"""GET /api/projects/{id}/revisions/{n}/diff/?against={m}: what changed between two revisions."""

from __future__ import annotations

import copy

import pytest

from apps.designs.document import validate_design
from apps.projects import services
from tests.conftest import design_doc
from tests.projects.helpers import assert_error


def url(project, number, against=None):
    query = "" if against is None else f"?against={against}"
    return f"/api/projects/{project.pk}/revisions/{number}/diff/{query}"


def second_design():
    """Revision 2: a bigger function, a new route, the table and its connection swapped for a queue."""
    document = design_doc()
    document["components"][2]["props"]["memory_mb"] = 1024
    document["connections"][1]["props"]["route"] = "POST /orders"
    del document["components"][3]
    del document["connections"][2]
    document["components"].append({"id": "jobs", "type": "sqs_queue", "label": "Jobs", "props": {"fifo": True}})
    document["connections"].append({"id": "c4", "source": "orders_fn", "target": "jobs", "kind": "write"})
    return document


@pytest.fixture
def revised(project, alice):
    services.design_save(project=project, user=alice, design=validate_design(second_design()), expected_number=1)
    return project


def canonical(document):
    return validate_design(document).canonical()


def component(document, component_id):
    return next(c for c in canonical(document)["components"] if c["id"] == component_id)


def connection(document, connection_id):
    return next(c for c in canonical(document)["connections"] if c["id"] == connection_id)


def test_it_lists_added_removed_and_changed_components_and_connections(as_alice, revised):
    response = as_alice.get(url(revised, 2, against=1))

    assert response.status_code == 200, response.content
    diff = response.json()
    assert diff["from"] == 1
    assert diff["to"] == 2
    assert diff["components"] == {
        "added": [component(second_design(), "jobs")],
        "removed": [component(design_doc(), "orders")],
        "changed": [{"id": "orders_fn", "changes": [{"field": "/props/memory_mb", "old": 512, "new": 1024}]}],
    }
    assert diff["connections"] == {
        "added": [connection(second_design(), "c4")],
        "removed": [connection(design_doc(), "c3")],
        "changed": [{"id": "c2", "changes": [{"field": "/props/route", "old": "GET /orders", "new": "POST /orders"}]}],
    }
    assert diff["groups"] == {"added": [], "removed": [], "changed": []}
    assert diff["document"] == {"changed": []}
    assert diff["summary"] == {
        "components": {"added": 1, "removed": 1, "changed": 1},
        "connections": {"added": 1, "removed": 1, "changed": 1},
        "groups": {"added": 0, "removed": 0, "changed": 0},
    }
    assert diff["identical"] is False


def test_it_compares_with_the_previous_revision_by_default(as_alice, revised):
    default = as_alice.get(url(revised, 2))
    explicit = as_alice.get(url(revised, 2, against=1))

    assert default.status_code == 200
    assert default.json() == explicit.json()


def test_it_can_compare_backwards(as_alice, revised):
    diff = as_alice.get(url(revised, 1, against=2)).json()

    assert (diff["from"], diff["to"]) == (2, 1)
    assert [c["id"] for c in diff["components"]["added"]] == ["orders"]
    assert [c["id"] for c in diff["components"]["removed"]] == ["jobs"]
    assert diff["components"]["changed"] == [
        {"id": "orders_fn", "changes": [{"field": "/props/memory_mb", "old": 1024, "new": 512}]}
    ]


def test_it_reports_document_level_changes(as_alice, project, alice):
    document = copy.deepcopy(design_doc(name="Orders v2", region="eu-west-1"))
    services.design_save(project=project, user=alice, design=validate_design(document), expected_number=1)

    diff = as_alice.get(url(project, 2)).json()

    assert diff["document"] == {
        "changed": [
            {"field": "/name", "old": "Orders", "new": "Orders v2"},
            {"field": "/region", "old": "us-east-1", "new": "eu-west-1"},
        ]
    }
    assert diff["summary"]["components"] == {"added": 0, "removed": 0, "changed": 0}
    assert diff["identical"] is False


def test_a_revision_compared_with_itself_is_identical(as_alice, revised):
    diff = as_alice.get(url(revised, 2, against=2)).json()

    assert diff["identical"] is True
    assert diff["components"] == {"added": [], "removed": [], "changed": []}
    assert diff["document"] == {"changed": []}


def test_any_member_can_diff(as_vera, as_alice, revised):
    response = as_vera.get(url(revised, 2))

    assert response.status_code == 200
    assert response.json() == as_alice.get(url(revised, 2)).json()  # a viewer sees the owner's diff
    assert response.json()["identical"] is False


def test_revision_1_has_nothing_to_compare_with_by_default(as_alice, revised):
    response = as_alice.get(url(revised, 1))

    assert_error(response, 400, "invalid", ["/against"])


@pytest.mark.parametrize("against", ["abc", "-1", "1.0", "", "0"])
def test_against_must_be_a_revision_number(as_alice, revised, against):
    response = as_alice.get(url(revised, 2, against=against))

    assert_error(response, 400, "invalid", ["/against"])


def test_against_refuses_non_ascii_digits(as_alice, revised):
    response = as_alice.get(url(revised, 2, against="²"))

    assert_error(response, 400, "invalid", ["/against"])


def test_an_unknown_against_revision_is_404(as_alice, revised):
    response = as_alice.get(url(revised, 2, against=9))

    error = assert_error(response, 404, "not_found", [])
    assert "9" in error["message"]


def test_an_unknown_revision_is_404(as_alice, revised):
    assert_error(as_alice.get(url(revised, 9, against=1)), 404, "not_found", [])
    assert_error(as_alice.get(url(revised, 9)), 404, "not_found", [])


def test_an_outsider_cannot_diff(as_charlie, revised):
    response = as_charlie.get(url(revised, 2))

    assert_error(response, 404, "not_found", [])
    assert "orders_fn" not in response.content.decode()
