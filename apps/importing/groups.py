"""VPC groups read from where a template places its components. Pure Python, no Django."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from apps.exporting.plan import referenced_names

if TYPE_CHECKING:
    from apps.importing.wiring import Wiring


def vpc_groups(wiring: Wiring) -> list[dict[str, Any]]:
    """A vpc group per VPC the components' VpcConfig places them in (by the VPC resource when the
    subnets are resources of the template, else by the subnets as written)."""
    groups: dict[str, dict[str, Any]] = {}
    network: dict[str, set[str]] = {}  # group key → the subnets and VPC that make it
    for logical_id, cid in list(wiring.imp.owner.items()):
        component = wiring.imp.components.get(cid)
        resource = wiring.imp.resources.get(logical_id)
        if component is None or resource is None or component.get("group"):
            continue
        config = (resource.get("Properties") or {}).get("VpcConfig")
        if resource["Type"] == "AWS::Serverless::Function" and config is None:
            config = (
                (wiring.imp.globals.get("Function") or {}).get("VpcConfig")
                if isinstance(wiring.imp.globals.get("Function"), dict)
                else None
            )
        if not isinstance(config, dict):
            # Services that live in a VPC name their subnets elsewhere (Subnets, SubnetIds, a subnet
            # group, a network configuration): any subnet or VPC of the template they refer to.
            parts = [resource, *wiring.imp.components[cid].get("cloudformation", {}).get("parts", {}).values()]
            near = {n for part in parts for n in referenced_names(part.get("Properties") or {})} & set(
                wiring.imp.resources
            )
            near |= {n for m in list(near) for n in wiring.imp.refs.get(m, ())}  # a subnet group's subnets
            networks = {n for n in near if wiring.imp.resources[n]["Type"] in ("AWS::EC2::Subnet", "AWS::EC2::VPC")}
            if not networks and not wiring.catalog.types[component["type"]].vpc_only:
                continue
            config = {"SubnetIds": [{"Ref": n} for n in sorted(networks)]}
        subnets = referenced_names(config.get("SubnetIds")) & set(wiring.imp.resources)
        vpcs = sorted(
            {
                name
                for subnet in subnets
                for name in referenced_names((wiring.imp.resources[subnet].get("Properties") or {}).get("VpcId"))
            }
            | {n for n in subnets if wiring.imp.resources[n]["Type"] == "AWS::EC2::VPC"}
        )
        key = vpcs[0] if vpcs else json.dumps(config.get("SubnetIds"), sort_keys=True)
        if key not in groups:
            label = vpcs[0] if vpcs else "VPC"
            gid = wiring.imp.new_id(vpcs[0] if vpcs else "Vpc")
            groups[key] = {"id": gid, "kind": "vpc", "label": label[:200], "props": {}}
        component["group"] = groups[key]["id"]
        network[key] = network.get(key, set()) | subnets | set(vpcs)
    from apps.importing.engine import ResourceEntry

    for key, names in network.items():
        for name in sorted(names):
            if name in wiring.imp.resources and name not in wiring.imp.report.resources:
                wiring.imp.kept[name] = wiring.imp.resources[name]
                wiring.imp.report.resources[name] = ResourceEntry(
                    name,
                    wiring.imp.resources[name]["Type"],
                    "kept",
                    notes=[f"the network of the vpc group {groups[key]['id']}, kept as written"],
                )
    return list(groups.values())
