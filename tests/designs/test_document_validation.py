"""Every validation rule of the design document, each with a document that breaks it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from apps.designs.document import (
    MAX_BYTES,
    DesignInvalid,
    content_hash,
    parse_design,
    validate_design,
)
from tests.conftest import design_doc


def problems_of(doc: Any) -> dict[str, str]:
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc)
    return {p.pointer: p.message for p in caught.value.problems}


def test_a_valid_design_comes_back_with_tiers_and_defaults_filled_in() -> None:
    design = validate_design(design_doc())
    canonical = design.canonical()
    assert [c["tier"] for c in canonical["components"]] == ["presentation", "logic", "logic", "data"]
    assert [t["id"] for t in canonical["tiers"]] == ["presentation", "logic", "data"]
    assert canonical["region"] == "us-east-1"
    assert canonical["workload"]["requests_per_month"] == 1_000_000


def test_the_content_hash_ignores_key_order_and_whitespace() -> None:
    doc = design_doc()
    reordered = dict(reversed(list(copy.deepcopy(doc).items())))
    assert validate_design(doc).content_hash() == validate_design(reordered).content_hash()
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})


def test_integers_stay_integers_in_the_canonical_form() -> None:
    canonical = validate_design(design_doc()).canonical()
    assert canonical["components"][2]["props"]["memory_mb"] == 512
    assert isinstance(canonical["workload"]["requests_per_month"], int)


def test_it_requires_a_json_object() -> None:
    assert problems_of([1, 2]) == {"": "a design document must be a JSON object"}


def test_it_requires_the_schema_version() -> None:
    assert "/schema" in problems_of(design_doc(schema="tierplan.design/v2"))
    doc = design_doc()
    del doc["schema"]
    assert problems_of(doc)["/schema"] == "this field is required"


def test_it_rejects_unknown_fields_at_every_level() -> None:
    doc = design_doc(colour="blue")
    doc["components"][0]["colour"] = "red"
    doc["connections"][0]["weight"] = 3
    problems = problems_of(doc)
    assert problems["/colour"] == "unknown field"
    assert problems["/components/0/colour"] == "unknown field"
    assert problems["/connections/0/weight"] == "unknown field"


def test_it_rejects_wrong_types_without_coercion() -> None:
    doc = design_doc(workload={"requests_per_month": "1000"})
    doc["components"][0]["label"] = 42
    doc["components"][1]["position"] = {"x": True, "y": 0}
    problems = problems_of(doc)
    assert problems["/workload/requests_per_month"] == "must be a number"
    assert "/components/0/label" in problems
    assert problems["/components/1/position/x"] == "must be a number"


def test_it_rejects_negative_traffic() -> None:
    assert "/workload/requests_per_month" in problems_of(design_doc(workload={"requests_per_month": -1}))


def test_component_ids_must_be_slugs() -> None:
    doc = design_doc()
    doc["components"][0]["id"] = "Web Client"
    doc["components"][1]["id"] = "x" * 65
    problems = problems_of(doc)
    assert "/components/0/id" in problems
    assert "/components/1/id" in problems


def test_component_ids_must_be_unique() -> None:
    doc = design_doc()
    doc["components"][3]["id"] = "api"
    problems = problems_of(doc)
    assert problems["/components/3/id"] == "duplicate id 'api' (first used at /components/1/id)"


def test_connection_ids_must_be_unique() -> None:
    doc = design_doc()
    doc["connections"][1]["id"] = "c1"
    assert problems_of(doc)["/connections/1/id"].startswith("duplicate id 'c1'")


def test_connections_must_join_existing_components() -> None:
    doc = design_doc()
    doc["connections"][2]["target"] = "ghost"
    doc["connections"][0]["source"] = "nobody"
    problems = problems_of(doc)
    assert problems["/connections/2/target"] == "no component has the id 'ghost'"
    assert problems["/connections/0/source"] == "no component has the id 'nobody'"


def test_a_connection_cannot_loop_on_itself() -> None:
    doc = design_doc()
    doc["connections"].append({"id": "loop", "source": "orders_fn", "target": "orders_fn", "kind": "invoke"})
    assert problems_of(doc)["/connections/3/target"] == "a connection cannot link a component to itself"


def test_component_types_must_be_in_the_catalog() -> None:
    doc = design_doc()
    doc["components"][2]["type"] = "lambda_functon"
    message = problems_of(doc)["/components/2/type"]
    assert "unknown component type 'lambda_functon'" in message
    assert "lambda_function" in message


def test_connection_kinds_must_be_in_the_catalog() -> None:
    doc = design_doc()
    doc["connections"][1]["kind"] = "teleport"
    assert problems_of(doc)["/connections/1/kind"].startswith("unknown connection kind 'teleport'")


def test_a_connection_kind_must_suit_its_two_components() -> None:
    doc = design_doc()
    doc["connections"].append({"id": "bad", "source": "orders", "target": "api", "kind": "invoke"})
    message = problems_of(doc)["/connections/3/kind"]
    assert "cannot go from dynamodb_table to api_gateway_rest" in message


def test_components_must_sit_in_a_tier_of_the_design() -> None:
    doc = design_doc(tiers=[{"id": "logic"}, {"id": "data"}])
    problems = problems_of(doc)
    assert problems["/components/0/tier"].startswith("tier 'presentation' is not one of the design's tiers")


def test_tiers_must_be_known_and_listed_once() -> None:
    problems = problems_of(
        design_doc(tiers=[{"id": "presentation"}, {"id": "logic"}, {"id": "logic"}, {"id": "edge"}, {"id": "data"}])
    )
    assert problems["/tiers/2/id"] == "tier 'logic' is listed twice"
    assert problems["/tiers/3/id"].startswith("unknown tier 'edge'")


def test_groups_must_exist_be_known_and_nest_properly() -> None:
    doc = design_doc(
        groups=[
            {"id": "prod", "kind": "account", "label": "Production"},
            {"id": "net", "kind": "vpc", "label": "Private", "parent": "prod"},
            {"id": "odd", "kind": "account", "parent": "net"},
            {"id": "lost", "kind": "vpc", "parent": "nowhere"},
            {"id": "blob", "kind": "cloud"},
        ]
    )
    doc["components"][3]["group"] = "missing"
    problems = problems_of(doc)
    assert "/groups/1/parent" not in problems
    assert problems["/groups/2/parent"] == "a account group can only be nested in: no group"
    assert problems["/groups/3/parent"] == "no group has the id 'nowhere'"
    assert problems["/groups/4/kind"].startswith("unknown group kind 'cloud'")
    assert problems["/components/3/group"] == "no group has the id 'missing'"


def test_group_props_are_checked_against_their_kind() -> None:
    doc = design_doc(groups=[{"id": "net", "kind": "vpc", "props": {"az_count": 9, "cidr": "everywhere"}}])
    problems = problems_of(doc)
    assert problems["/groups/0/props/az_count"] == "must be at most 6"
    assert "/groups/0/props/cidr" in problems


@pytest.mark.parametrize(
    ("index", "field", "value", "message"),
    [
        (2, "memory_mb", 64, "must be at least 128"),
        (2, "memory_mb", 20000, "must be at most 10240"),
        (2, "memory_mb", 256.5, "must be an integer, not a number"),
        (2, "architecture", "arm", 'must be one of "x86_64", "arm64"'),
        (2, "tracing", "yes", "must be a boolean, not a string"),
        (1, "cache_size_gb", 2, "must be one of 0, 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237"),
        (3, "capacity_mode", "serverless", 'must be one of "on_demand", "provisioned"'),
    ],
)
def test_props_are_checked_against_the_type_schema(index: int, field: str, value: Any, message: str) -> None:
    doc = design_doc()
    doc["components"][index]["props"] = {field: value}
    assert problems_of(doc) == {f"/components/{index}/props/{field}": message}


def test_unknown_props_and_usage_fields_are_named() -> None:
    doc = design_doc()
    doc["components"][2]["props"] = {"memroy_mb": 256}
    doc["components"][3]["usage"] = {"reads": 5}
    problems = problems_of(doc)
    assert problems["/components/2/props/memroy_mb"].startswith("unknown field (known fields: ")
    assert problems["/components/3/usage/reads"].startswith("unknown field")


def test_usage_is_checked_against_the_type_schema() -> None:
    doc = design_doc()
    doc["components"][2]["usage"] = {"requests_per_month": -5, "avg_duration_ms": "fast"}
    problems = problems_of(doc)
    assert problems["/components/2/usage/requests_per_month"] == "must be at least 0"
    assert problems["/components/2/usage/avg_duration_ms"] == "must be a number, not a string"


def test_connection_props_are_checked_against_the_kind_schema() -> None:
    doc = design_doc()
    doc["connections"][1]["props"] = {"route": "FETCH orders", "ratio": -1}
    doc["connections"][2]["props"] = {"batch_size": 10}
    problems = problems_of(doc)
    assert "/connections/1/props/route" in problems
    assert problems["/connections/1/props/ratio"] == "must be at least 0"
    assert problems["/connections/2/props/batch_size"].startswith("unknown field")


def test_labels_are_limited_to_200_characters() -> None:
    doc = design_doc(name="n" * 201)
    doc["components"][0]["label"] = "x" * 201
    doc["connections"][0]["label"] = "y" * 201
    problems = problems_of(doc)
    assert {"/name", "/components/0/label", "/connections/0/label"} <= set(problems)
    doc = design_doc()
    doc["components"][0]["label"] = "x" * 200
    validate_design(doc)


def test_at_most_1000_components() -> None:
    components = [{"id": f"fn{i}", "type": "lambda_function"} for i in range(1001)]
    assert "/components" in problems_of(design_doc(components=components, connections=[]))
    validate_design(design_doc(components=components[:1000], connections=[]))


def test_at_most_5000_connections() -> None:
    components = [{"id": f"fn{i}", "type": "lambda_function"} for i in range(80)]
    connections = [
        {"id": f"c{n}", "source": f"fn{i}", "target": f"fn{j}", "kind": "invoke"}
        for n, (i, j) in enumerate((i, j) for i in range(80) for j in range(80) if i != j)
    ][:5001]
    assert len(connections) == 5001
    assert "/connections" in problems_of(design_doc(components=components, connections=connections))


def test_parse_design_refuses_more_than_2_mb() -> None:
    raw = b'{"schema": "tierplan.design/v1", "name": "big", "description": "' + b"x" * MAX_BYTES + b'"}'
    with pytest.raises(DesignInvalid) as caught:
        parse_design(raw)
    assert caught.value.problems[0].pointer == ""
    assert "at most 2097152" in caught.value.problems[0].message


def test_parse_design_reports_where_json_breaks() -> None:
    with pytest.raises(DesignInvalid) as caught:
        parse_design('{"schema": "tierplan.design/v1",\n "name": }')
    assert caught.value.problems[0].message.startswith("malformed JSON: Expecting value at line 2")


def test_every_problem_is_reported_at_once() -> None:
    doc = design_doc()
    doc["components"][0]["type"] = "mainframe"
    doc["components"][2]["props"] = {"memory_mb": 1}
    doc["connections"][2]["target"] = "nowhere"
    assert len(problems_of(doc)) == 3


def test_pointers_escape_slashes_and_tildes_in_keys() -> None:
    doc = design_doc()
    doc["components"][2]["props"] = {"a/b~c": 1}
    assert "/components/2/props/a~1b~0c" in problems_of(doc)


def test_a_pair_aws_does_not_support_is_refused_with_the_reason() -> None:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "x",
        "components": [{"id": "api", "type": "api_gateway_http"}, {"id": "t", "type": "dynamodb_table"}],
        "connections": [{"id": "c", "source": "api", "target": "t", "kind": "integrate"}],
    }
    message = problems_of(doc)["/connections/0/kind"]
    assert "cannot go from api_gateway_http to dynamodb_table" in message
    assert "HTTP APIs integrate directly with SQS, Kinesis, EventBridge and Step Functions only" in message
