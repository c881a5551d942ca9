"""PUT /api/projects/{id}/design/ with bodies that must be refused: invalid designs, bad JSON, huge bodies.

Every refusal names the exact JSON pointers of the bad fields and saves nothing.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import design_doc
from tests.projects.helpers import assert_error, db_state, revision_numbers

MB = 1024 * 1024


def url(project):
    return f"/api/projects/{project.pk}/design/"


def put_json(client, project, document):
    return client.put(url(project), document, format="json", HTTP_IF_MATCH='"1"')


def put_raw(client, project, raw, content_type="application/json"):
    return client.put(url(project), raw, content_type=content_type, HTTP_IF_MATCH='"1"')


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


INVALID = {
    "dangling connection target": (_set(["connections", 1, "target"], "ghost"), ["/connections/1/target"]),
    "dangling connection source": (_set(["connections", 0, "source"], "phone"), ["/connections/0/source"]),
    "duplicate component id": (
        lambda d: d["components"].append({"id": "orders_fn", "type": "lambda_function"}),
        ["/components/4/id"],
    ),
    "duplicate connection id": (_set(["connections", 2, "id"], "c1"), ["/connections/2/id"]),
    "unknown component type": (_set(["components", 3, "type"], "dynamo_table"), ["/components/3/type"]),
    "prop below minimum": (_set(["components", 2, "props", "memory_mb"], 64), ["/components/2/props/memory_mb"]),
    "prop above maximum": (_set(["components", 2, "props", "memory_mb"], 20480), ["/components/2/props/memory_mb"]),
    "prop of the wrong type": (_set(["components", 2, "props", "memory_mb"], "512"), ["/components/2/props/memory_mb"]),
    "prop not in the enum": (
        _set(["components", 2, "props", "architecture"], "arm32"),
        ["/components/2/props/architecture"],
    ),
    "unknown prop": (_set(["components", 2, "props", "memroy_mb"], 512), ["/components/2/props/memroy_mb"]),
    "unknown component field": (_set(["components", 0, "colour"], "red"), ["/components/0/colour"]),
    "unknown document field": (_set(["colour"], "red"), ["/colour"]),
    "invalid component id": (_set(["components", 0, "id"], "Web Client"), ["/components/0/id"]),
    "wrong schema version": (_set(["schema"], "tierplan.design/v2"), ["/schema"]),
    "missing schema": (lambda d: d.pop("schema"), ["/schema"]),
    "self connection": (
        lambda d: d["connections"][2].update(target="orders_fn", kind="invoke"),
        ["/connections/2/target"],
    ),
    "connection kind not allowed between the types": (
        _set(["connections", 2, "kind"], "invoke"),
        ["/connections/2/kind"],
    ),
    "unknown tier": (_set(["components", 1, "tier"], "middle"), ["/components/1/tier"]),
    "bad region": (_set(["region"], "mars-1"), ["/region"]),
    "negative workload": (_set(["workload"], {"requests_per_month": -1}), ["/workload/requests_per_month"]),
}


@pytest.mark.parametrize(("change", "pointers"), list(INVALID.values()), ids=list(INVALID))
def test_it_refuses_an_invalid_design_naming_the_bad_field(as_alice, project, change, pointers):
    document = design_doc()
    change(document)
    before = db_state()

    response = put_json(as_alice, project, document)

    error = assert_error(response, 400, "invalid_design", pointers)
    assert error["message"].startswith("The design document is invalid")
    assert db_state() == before


def test_it_reports_every_problem_at_once(as_alice, project):
    document = design_doc()
    document["connections"][1]["target"] = "ghost"
    document["components"][2]["props"]["memory_mb"] = 64
    document["components"][3]["type"] = "dynamo_table"
    before = db_state()

    response = put_json(as_alice, project, document)

    error = assert_error(response, 400, "invalid_design")
    assert sorted(d["pointer"] for d in error["details"]) == [
        "/components/2/props/memory_mb",
        "/components/3/type",
        "/connections/1/target",
    ]
    assert db_state() == before


def test_the_messages_say_what_is_wrong(as_alice, project):
    document = design_doc()
    document["connections"][1]["target"] = "ghost"
    document["components"][2]["props"]["memory_mb"] = 64
    document["components"][3]["type"] = "dynamodb_tabel"

    details = {d["pointer"]: d["message"] for d in put_json(as_alice, project, document).json()["error"]["details"]}

    assert details == {
        "/connections/1/target": "no component has the id 'ghost'",
        "/components/2/props/memory_mb": "must be at least 128",
        "/components/3/type": "unknown component type 'dynamodb_tabel'; did you mean 'dynamodb_table'?",
    }


def test_shape_errors_are_reported_before_reference_errors(as_alice, project):
    document = design_doc()
    document["components"][0]["colour"] = "red"
    document["connections"][1]["target"] = "ghost"

    response = put_json(as_alice, project, document)

    # Two passes: the document must have the right shape before references between its parts are checked.
    error = assert_error(response, 400, "invalid_design", ["/components/0/colour"])
    assert error["details"][0]["message"] == "unknown field"


def test_it_refuses_more_than_1000_components(as_alice, project):
    document = design_doc(
        components=[{"id": f"client_{index}", "type": "browser"} for index in range(1001)], connections=[]
    )
    before = db_state()

    response = put_json(as_alice, project, document)

    assert_error(response, 400, "invalid_design", ["/components"])
    assert db_state() == before


def test_it_accepts_exactly_1000_components(as_alice, project):
    document = design_doc(
        components=[{"id": f"client_{index}", "type": "browser"} for index in range(1000)], connections=[]
    )

    response = put_json(as_alice, project, document)

    assert response.status_code == 200, response.content[:500]
    assert revision_numbers(project) == [1, 2]


def test_it_refuses_nul_characters_in_design_strings(as_alice, project):
    document = design_doc()
    document["components"][0]["label"] = "Cust\x00omers"
    before = db_state()

    response = put_json(as_alice, project, document)

    assert_error(response, 400, "invalid_design", ["/components/0/label"])
    assert db_state() == before


def test_it_refuses_nul_characters_in_the_revision_message(as_alice, project):
    document = design_doc()
    document["components"][2]["props"]["memory_mb"] = 1024
    before = db_state()

    response = put_json(as_alice, project, {"design": document, "message": "More\x00memory"})

    assert_error(response, 400, "invalid", ["/message"])
    assert db_state() == before


@pytest.mark.parametrize("document", [[design_doc()], "a design", 42, None], ids=["list", "string", "number", "null"])
def test_the_body_must_be_a_json_object(as_alice, project, document):
    before = db_state()

    response = put_raw(as_alice, project, json.dumps(document))

    assert_error(response, 400, "invalid_design", [""])
    assert db_state() == before


@pytest.mark.parametrize(
    "raw",
    ['{"schema": "tierplan.design/v1", "name": ', "{'schema': 'tierplan.design/v1'}", '{"a": 1} trailing', "NaN,"],
)
def test_it_refuses_malformed_json(as_alice, project, raw):
    before = db_state()

    response = put_raw(as_alice, project, raw)

    error = assert_error(response, 400, "malformed_request", [])
    assert "Malformed JSON" in error["message"]
    # The position where the parser stopped; NaN is refused by name (the parser gives no position there).
    assert "line 1" in error["message"] or "NaN is not a JSON value" in error["message"]
    assert db_state() == before


def test_an_empty_body_is_refused_as_an_empty_document(as_alice, project):
    before = db_state()

    response = put_raw(as_alice, project, "")

    # DRF hands an empty body to the view as {} without calling the parser, so it fails as a design.
    assert_error(response, 400, "invalid_design", ["/schema", "/name"])
    assert db_state() == before


def test_it_refuses_a_body_that_is_not_utf8(as_alice, project):
    before = db_state()

    response = put_raw(
        as_alice, project, json.dumps(design_doc(name="Caf\u00e9"), ensure_ascii=False).encode("latin-1")
    )

    error = assert_error(response, 400, "malformed_request", [])
    assert "UTF-8" in error["message"]
    assert db_state() == before


def test_it_refuses_a_body_that_is_not_json_at_all(as_alice, project):
    before = db_state()

    response = put_raw(as_alice, project, "name: Orders", content_type="text/plain")

    assert_error(response, 415, "unsupported_media_type", [])
    assert db_state() == before


def _body_of(size):
    """A well-formed design document of exactly ``size`` bytes (the padding is its description)."""
    skeleton = json.dumps(design_doc(description=""))
    body = json.dumps(design_doc(description="x" * (size - len(skeleton))))
    assert len(body) == size
    return body


def test_a_body_of_exactly_2_mb_is_parsed(as_alice, project):
    response = put_raw(as_alice, project, _body_of(2 * MB))

    # Parsed and validated: the description is too long for the schema, which is a design problem, not a size one.
    assert_error(response, 400, "invalid_design", ["/description"])


def test_a_body_just_over_2_mb_is_refused_as_too_large(as_alice, project):
    before = db_state()

    response = put_raw(as_alice, project, _body_of(2 * MB + 1))

    assert_error(response, 413, "payload_too_large", [""])
    assert db_state() == before


@pytest.mark.parametrize("size", [2 * MB + 65 * 1024, 3 * MB])
def test_a_body_far_over_2_mb_is_refused_as_too_large_too(as_alice, project, size):
    before = db_state()

    response = put_raw(as_alice, project, _body_of(size))

    assert_error(response, 413, "payload_too_large", [""])
    assert db_state() == before
