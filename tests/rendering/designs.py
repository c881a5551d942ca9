"""Designs of a given size for rendering tests and benchmarks: tiers of API → function → table chains."""

from __future__ import annotations

from typing import Any


def chain_design(components: int, *, name: str = "Generated") -> dict[str, Any]:
    """About ``components`` components in API → function → table chains, with a VPC around some."""
    comps: list[dict[str, Any]] = [{"id": "web", "type": "browser", "label": "Clients"}]
    conns: list[dict[str, Any]] = []
    groups = [{"id": "net", "kind": "vpc", "label": "Private network"}]
    index = 0
    while len(comps) + 3 <= components:
        api, fn, table = f"api{index}", f"fn{index}", f"table{index}"
        in_vpc = index % 4 == 0
        comps += [
            {"id": api, "type": "api_gateway_http", "label": f"Service {index} API"},
            {"id": fn, "type": "lambda_function", "label": f"Service {index}", "group": "net" if in_vpc else None},
            {"id": table, "type": "rds_instance" if in_vpc else "dynamodb_table", "label": f"Store {index}",
             "group": "net" if in_vpc else None},
        ]  # fmt: skip
        conns += [
            {"id": f"r{index}", "source": "web", "target": api, "kind": "request"},
            {"id": f"i{index}", "source": api, "target": fn, "kind": "invoke", "props": {"route": f"ANY /s{index}"}},
            {"id": f"d{index}", "source": fn, "target": table, "kind": "read_write"},
        ]
        index += 1
    while len(comps) < components:
        comps.append({"id": f"q{len(comps)}", "type": "sqs_queue", "label": f"Queue {len(comps)}"})
    return {"schema": "tierplan.design/v1", "name": name, "groups": groups, "components": comps, "connections": conns}
