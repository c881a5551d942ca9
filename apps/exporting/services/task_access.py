"""What a container workload (an ECS task, a Batch job) reaches through its connections, like a function.

Shared by the ECS and Batch emitters: the connections that give the container environment variables and
its role permissions, and the stores in a VPC whose security groups must admit it.
"""

from __future__ import annotations

from apps.designs.document import Component, Link
from apps.exporting.plan import Plan

NETWORK_STORES = ("rds_instance", "elasticache_cluster", "opensearch_domain")  # reached through a security group


def data_links(plan: Plan, workload: Component) -> list[Link]:
    """What the workload reads from and writes to: environment variables and role permissions."""
    return [
        link
        for link in plan.out(workload, "read", "write", "read_write")
        if plan.catalog.types[link.target.type].env_suffix
    ]


def guarded_stores(plan: Plan, workload: Component) -> list[Component]:
    """Stores in a VPC that the workload reaches over the network: their security groups must admit it."""
    stores = {link.target.id: link.target for link in data_links(plan, workload)}
    return [s for s in stores.values() if s.type in NETWORK_STORES and plan.vpc_of(s) is not None]
