"""Every catalog type renders: the design with every type and the one with every connection, each component
drawn once with its service icon and its label, each connection drawn."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.catalog import get_catalog
from apps.designs.document import validate_design
from apps.rendering.engine import RenderOptions, render
from tests.exporting.designs import every_connection_designs, every_type_design
from tests.rendering.test_engine import svg_texts

DESIGNS: dict[str, dict[str, Any]] = {"every-type": every_type_design(), **every_connection_designs()}


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_every_type_is_drawn_with_its_icon_and_label(name: str) -> None:
    design = validate_design(DESIGNS[name])
    catalog = get_catalog()
    body = render(design, RenderOptions(usage_labels=False)).decode("utf-8")
    texts = svg_texts(body.encode("utf-8"))
    for component in design.components:
        label = component.label or catalog.types[component.type].label_of(component.props)
        assert label in texts, component.id
    assert body.count("<use ") == len(design.components)  # one icon per component
    for connection in design.connections:
        assert f"<title>c_{connection.source}&#45;&gt;c_{connection.target}</title>" in body
