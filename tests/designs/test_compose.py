"""Composing patterns: nothing is lost, collisions are renamed predictably, mappings rewire connections."""

from __future__ import annotations

import itertools

import pytest

from apps.designs.document import DesignInvalid, validate_design
from apps.designs.patterns import CompositionError, compose, pattern_library

LIBRARY = pattern_library()


@pytest.mark.parametrize(("first", "second"), list(itertools.product(sorted(LIBRARY), repeat=2)))
def test_composing_any_two_patterns_keeps_every_component_and_connection(first: str, second: str) -> None:
    a, b = LIBRARY[first].design, LIBRARY[second].design
    merged = compose(a, b)
    assert len(merged.components) == len(a.components) + len(b.components)
    assert len(merged.connections) == len(a.connections) + len(b.connections)
    assert len(merged.groups) == len(a.groups) + len(b.groups)
    # The base is untouched and every pattern component is there, under its own or a renamed id.
    assert merged.canonical()["components"][: len(a.components)] == a.canonical()["components"]
    merged_types = sorted(c.type for c in merged.components)
    assert merged_types == sorted(c.type for c in [*a.components, *b.components])
    validate_design(merged.canonical())


def test_colliding_ids_are_renamed_with_a_numeric_suffix() -> None:
    base = LIBRARY["api-lambda-dynamodb"].design
    twice = compose(compose(base, base), base)
    ids = [c.id for c in twice.components]
    assert ids == [
        "client",
        "api",
        "handler",
        "table",
        "client_2",
        "api_2",
        "handler_2",
        "table_2",
        "client_3",
        "api_3",
        "handler_3",
        "table_3",
    ]
    renamed = [c for c in twice.connections if c.id == "api_handler_3"]
    assert len(renamed) == 1 and (renamed[0].source, renamed[0].target) == ("api_3", "handler_3")


def test_renamed_groups_keep_their_members_and_nesting() -> None:
    base = LIBRARY["three-tier-vpc"].design
    merged = compose(base, base)
    assert [g.id for g in merged.groups] == ["app_vpc", "app_vpc_2"]
    assert merged.component("app_fn_2").group == "app_vpc_2"
    assert merged.component("db_2").group == "app_vpc_2"


def test_new_components_land_in_their_tier_to_the_right_of_existing_ones() -> None:
    base = LIBRARY["three-tier-basic"].design
    merged = compose(base, LIBRARY["scheduled-job"].design)
    for tier in ("logic", "data"):
        old = [c.position.x for c in base.components if c.tier == tier]
        new = [c.position.x for c in merged.components[len(base.components) :] if c.tier == tier]
        assert new and min(new) > max(old)
        ys = {c.position.y for c in merged.components if c.tier == tier}
        assert len(ys) == 1  # same lane


def test_a_mapping_reuses_an_existing_component_and_rewires_its_connections() -> None:
    base = LIBRARY["three-tier-basic"].design
    mobile = LIBRARY["mobile-backend"].design
    merged = compose(base, mobile, mapping={"identity": "users"})
    assert len([c for c in merged.components if c.type == "cognito_user_pool"]) == 1
    assert len(merged.components) == len(base.components) + len(mobile.components) - 1
    rewired = {(c.source, c.target, c.kind) for c in merged.connections}
    assert ("app", "users", "request") in rewired
    assert ("api_2", "users", "authorize") in rewired
    assert ("users", "identity_fn", "trigger") in rewired
    assert not any("identity" in (c.source, c.target) for c in merged.connections)


def test_a_mapping_that_duplicates_an_existing_connection_does_not_add_it_twice() -> None:
    base = LIBRARY["api-lambda-dynamodb"].design
    merged = compose(base, base, mapping={"client": "client", "api": "api", "handler": "handler", "table": "table"})
    assert merged.canonical() == base.canonical()


def test_mapping_onto_a_component_of_another_type_is_refused() -> None:
    with pytest.raises(CompositionError) as caught:
        compose(LIBRARY["three-tier-basic"].design, LIBRARY["mobile-backend"].design, mapping={"identity": "api"})
    [problem] = caught.value.problems
    assert problem.pointer == "/mapping/identity"
    assert "cognito_user_pool" in problem.message and "api_gateway_rest" in problem.message


def test_mapping_unknown_ids_names_each_of_them() -> None:
    with pytest.raises(CompositionError) as caught:
        compose(
            LIBRARY["three-tier-basic"].design,
            LIBRARY["mobile-backend"].design,
            mapping={"ghost": "users", "identity": "nobody"},
        )
    assert {p.pointer: p.message for p in caught.value.problems} == {
        "/mapping/ghost": "the pattern has no component 'ghost'",
        "/mapping/identity": "the design has no component 'nobody'",
    }


def test_a_merge_past_the_size_limit_is_refused() -> None:
    big = validate_design(
        {
            "schema": "tierplan.design/v1",
            "name": "big",
            "components": [{"id": f"fn{i}", "type": "lambda_function"} for i in range(998)],
        }
    )
    with pytest.raises(DesignInvalid) as caught:
        compose(big, LIBRARY["three-tier-basic"].design)
    assert caught.value.problems[0].pointer == "/components"


def test_base_components_without_positions_get_lane_positions_so_nothing_overlaps() -> None:
    from tests.conftest import design_doc

    base = validate_design(design_doc())
    assert all(c.position is None for c in base.components)
    merged = compose(base, LIBRARY["scheduled-job"].design)
    spots = [(c.position.x, c.position.y) for c in merged.components]
    assert None not in spots and len(set(spots)) == len(spots)
