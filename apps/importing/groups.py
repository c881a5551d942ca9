"""VPC groups read from where a template places its components. Pure Python, no Django."""

from __future__ import annotations

import json
import re
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
            props, notes = network_props(wiring.imp.resources, vpcs[0]) if vpcs else ({}, [])
            groups[key] = {"id": gid, "kind": "vpc", "label": label[:200], "props": props}
            if vpcs:
                wiring.imp.network_notes[vpcs[0]] = notes
        component["group"] = groups[key]["id"]
        network[key] = network.get(key, set()) | subnets | set(vpcs)
    for logical_id, cid in wiring.imp.owner.items():
        component = wiring.imp.components[cid]
        if component["type"] != "load_balancer" or logical_id != component.get("cloudformation", {}).get("logical_id"):
            continue
        group = next((g for g in groups.values() if g["id"] == component.get("group")), None)
        public = component["props"].get("scheme", "internet-facing") == "internet-facing"
        if group is not None and public and not group["props"].get("nat_gateways"):
            # the template puts an internet-facing balancer in these subnets: they are public ones
            group["props"]["nat_gateways"] = 1
            wiring.imp.report.resources[logical_id].notes.append(
                f"internet-facing in subnets the template gives it: the vpc group {group['id']} counts one NAT "
                "gateway, as Tierplan's VPCs have public subnets only beside one"
            )
    from apps.importing.engine import ResourceEntry

    for key, names in network.items():
        for name in sorted(names):
            if name in wiring.imp.resources and name not in wiring.imp.report.resources:
                wiring.imp.kept[name] = wiring.imp.resources[name]
                wiring.imp.report.resources[name] = ResourceEntry(
                    name,
                    wiring.imp.resources[name]["Type"],
                    "kept",
                    notes=[f"the network of the vpc group {groups[key]['id']}, kept as written"]
                    + wiring.imp.network_notes.get(name, []),
                )
    return list(groups.values())


CIDR = re.compile(r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$")


def _in_vpc(resource: dict[str, Any], vpc: str) -> bool:
    return vpc in referenced_names((resource.get("Properties") or {}).get("VpcId"))


def network_props(resources: dict[str, Any], vpc: str) -> tuple[dict[str, Any], list[str]]:
    """A vpc group's props read from the template's own network: its CIDR block, its availability zones
    (one a private subnet) and its NAT gateways. The catalog's VPC has public subnets only beside NAT
    gateways, so a VPC with public subnets (a route to an internet gateway, or subnets that give public
    addresses) and no NAT gateway counts one, and the note says so."""
    properties = (resources[vpc].get("Properties") or {}) if vpc in resources else {}
    props: dict[str, Any] = {}
    notes: list[str] = []
    cidr = properties.get("CidrBlock")
    if isinstance(cidr, str) and CIDR.match(cidr) and int(cidr.split("/")[1]) <= 28:
        props["cidr"] = cidr
    subnets = {lid for lid, r in resources.items() if r.get("Type") == "AWS::EC2::Subnet" and _in_vpc(r, vpc)}
    gateways = {
        lid
        for lid, r in resources.items()
        if r.get("Type") == "AWS::EC2::InternetGateway"
        and any(
            a.get("Type") == "AWS::EC2::VPCGatewayAttachment"
            and _in_vpc(a, vpc)
            and lid in referenced_names((a.get("Properties") or {}).get("InternetGatewayId"))
            for a in resources.values()
        )
    }
    public_tables = {
        name
        for r in resources.values()
        if r.get("Type") == "AWS::EC2::Route"
        and referenced_names((r.get("Properties") or {}).get("GatewayId")) & gateways
        for name in referenced_names((r.get("Properties") or {}).get("RouteTableId"))
    }
    public = {
        name
        for r in resources.values()
        if r.get("Type") == "AWS::EC2::SubnetRouteTableAssociation"
        and referenced_names((r.get("Properties") or {}).get("RouteTableId")) & public_tables
        for name in referenced_names((r.get("Properties") or {}).get("SubnetId")) & subnets
    }
    public |= {
        lid
        for lid in subnets
        if str((resources[lid].get("Properties") or {}).get("MapPublicIpOnLaunch")).lower() == "true" and gateways
    }
    nat = sum(
        1
        for r in resources.values()
        if r.get("Type") == "AWS::EC2::NatGateway"
        and referenced_names((r.get("Properties") or {}).get("SubnetId")) & subnets
    )
    private = len(subnets - public)
    zones = private or len(public)
    if zones >= 2:  # one zone is a template's choice the catalog's two-zone default need not follow
        props["az_count"] = min(zones, 6)
    if nat:
        props["nat_gateways"] = min(nat, 6)
    elif public:
        props["nat_gateways"] = 1
        notes.append(
            "the VPC has public subnets and no NAT gateway; the vpc group counts one NAT gateway, as Tierplan's "
            "VPCs have public subnets only beside one"
        )
    return props, notes
