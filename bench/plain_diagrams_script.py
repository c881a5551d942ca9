"""The baseline: a plain `diagrams` script, as its users write them, drawing a design to SVG.

Usage: python bench/plain_diagrams_script.py DESIGN.json TYPES.json OUT_BASENAME
TYPES.json maps each component type to its `diagrams` node class and default tier. It draws the same
graph as Tierplan's engine: tier clusters with group clusters inside, labelled nodes, labelled edges,
spline routing.
"""

import importlib
import json
import sys

from diagrams import Cluster, Diagram, Edge

TIERS = ("presentation", "logic", "data")


def node_class(dotted: str):  # type: ignore[no-untyped-def]
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def main() -> None:
    with open(sys.argv[1]) as design_file, open(sys.argv[2]) as types_file:
        doc, types = json.load(design_file), json.load(types_file)
    graph_attr = {"splines": "spline", "newrank": "true"}
    with Diagram(doc["name"], filename=sys.argv[3], outformat="svg", show=False, direction="LR", graph_attr=graph_attr):
        nodes = {}
        for tier in TIERS:
            members = [c for c in doc["components"] if (c.get("tier") or types[c["type"]]["tier"]) == tier]
            with Cluster(tier):
                for component in [c for c in members if not c.get("group")]:
                    nodes[component["id"]] = node_class(types[component["type"]]["icon"])(component.get("label", ""))
                grouped = [c for c in members if c.get("group")]
                if grouped:
                    with Cluster(f"{tier} group"):
                        for component in grouped:
                            nodes[component["id"]] = node_class(types[component["type"]]["icon"])(
                                component.get("label", "")
                            )
        for connection in doc["connections"]:
            label = connection.get("label") or connection["kind"]
            nodes[connection["source"]] >> Edge(label=label) >> nodes[connection["target"]]


if __name__ == "__main__":
    main()
