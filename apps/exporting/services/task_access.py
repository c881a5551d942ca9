"""What a container workload (an ECS task, a Batch job) reaches through its connections, like a function.

Shared by the ECS and Batch emitters: the connections that give the container environment variables and
its role permissions, and the stores in a VPC whose security groups must admit it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, trust_policy
from apps.exporting.plan import Plan

if TYPE_CHECKING:
    from apps.exporting.sam import SamTemplate

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


def sam_execution_role(sam: SamTemplate, logical: str, log_group: str, component: Component) -> None:
    """``<logical>ExecutionRole``: what ECS needs to start a task or a Batch job's container, which is
    writing to its log group ``log_group`` (a logical id) and pulling its image from the ECR repository it
    pulls from (if any), and nothing else."""
    from apps.exporting.services.analytics import sam_pull_statements  # the repository's side of 'pull'

    statement = {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": getatt(log_group, "Arn"),
    }
    sam.add(
        f"{logical}ExecutionRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("ecs-tasks.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "write-logs",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [statement, *sam_pull_statements(sam, component)],
                    },
                }
            ],
        },
        component,
    )
