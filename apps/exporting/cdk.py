"""Design → AWS CDK app in Python (source text). Pure Python, no Django.

The same Plan as the SAM export decides what exists; this module writes it with idiomatic L2
constructs (grants, event sources, RestApi/HttpApi, Distribution with S3BucketOrigin OAC) and L1 ones
only where no L2 exists (ElastiCache, identity pools, HTTP API service routes).

Generated source is safe by construction: every user string is written with ``repr`` (a Python string
literal), every variable name is ``c_<component id>`` (ids are slugs) or one of ours, and construct ids
are logical ids (letters and digits). Nothing user-controlled is ever emitted as code: enum values
written as attribute names were checked against the catalog by the plan, and every string comes from
``plan.design``, already made safe for CloudFormation (and for CDK, which reads ``${Token[…]}``).
"""

from __future__ import annotations

from typing import Any

from apps.designs.document import Component, Group, Link
from apps.exporting.cdk_kept import HELPERS, KeptWriter, is_imported
from apps.exporting.cfn import py
from apps.exporting.plan import ExportError, Plan, tag_value
from apps.exporting.services import service_for
from apps.exporting.services.network import cdk_vpc

CDK_VERSION = "2.275.0"
CONSTRUCTS_VERSION = "10.8.1"


IMPORTS = """import json
import os

import aws_cdk as cdk
from aws_cdk import Duration, Size
from aws_cdk import aws_amazonmq as amazonmq
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as apigwv2_authorizers
from aws_cdk import aws_apigatewayv2_integrations as apigwv2_integrations
from aws_cdk import aws_batch as batch
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudformation as cloudformation
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_docdb as docdb
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_efs as efs
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_elasticloadbalancingv2_targets as elbv2_targets
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_logs_destinations as logs_destinations
from aws_cdk import aws_msk as msk
from aws_cdk import aws_opensearchservice as opensearch
from aws_cdk import aws_opensearchserverless as aoss
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sam as sam_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_wafv2 as wafv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from constructs import Construct
"""


class CdkStack:
    """Writes the body of one stack class: the components of one account group (or of none)."""

    def __init__(self, plan: Plan, account: Group | None, kept: KeptWriter | None = None) -> None:
        self.plan = plan
        self.account = account
        self.kept = kept  # an imported design's kept CloudFormation, written after everything else
        self.lines: list[str] = []
        self.members = [
            c for c in plan.design.components if plan.account_of(c) is account and service_for(c.type).deployed
        ]

    def emit(self, line: str = "") -> None:
        self.lines.append(f"        {line}" if line else "")

    def id(self, component: Component) -> str:
        return self.plan.ids[component.id]

    def prop(self, component: Component, name: str) -> Any:
        return self.plan.prop(component, name)

    # -- what a function connected to a component finds in its environment and may do ---------------

    def env_value(self, target: Component) -> str:
        value = service_for(target.type).cdk_env
        if value is None:
            raise ExportError(f"component type {target.type!r} gives a function no environment value in CDK")
        return value(self, target)

    def grant(self, link: Link) -> str | None:
        return service_for(link.target.type).cdk_grant(self, link)

    # -- order: networks, then each type's constructs in its service's order, then the wiring ----------

    def depth(self, component: Component, seen: frozenset[str] = frozenset()) -> int:
        """How many components of its own type ``component`` names in a chain (0: none); cycles count once."""
        names = [
            link.target
            for link in self.plan.out(component)
            if link.target.type == component.type and link.target.id not in seen
        ]
        return max((1 + self.depth(t, seen | {component.id}) for t in names), default=0)

    def build(self) -> list[str]:
        for vpc in self.plan.vpcs():
            if self.plan.account_of_group(vpc) is self.account:
                cdk_vpc(self, vpc)
        # A construct must exist before another names it: services are ordered, and within a type a
        # component comes after those of its type it connects to (a dead-letter queue before its queue,
        # a child workflow before its parent).
        creation = sorted(self.members, key=lambda c: (service_for(c.type).cdk_order, self.depth(c)))
        for component in creation:
            if self.kept is not None and self.kept.written_as_sam(component):
                self.kept.write_as_sam(self, component)
            else:
                service_for(component.type).cdk(self, component)
        # Functions first; hosted zones last (their alias records name the API domain names that
        # certificates write in their own wiring).
        wiring_order = {"lambda_function": 0, "route53_zone": 2}
        for component in sorted(self.members, key=lambda c: wiring_order.get(c.type, 1)):
            wiring = service_for(component.type).cdk_wiring
            if wiring is not None:
                wiring(self, component)
        if self.kept is not None:
            self.kept.write(self)
        return self.lines


def stack_module(plan: Plan, kept: KeptWriter | None = None) -> str:
    """Source of ``tierplan_stack.py``: one stack class that builds one account group's components.

    ``kept`` writes back what an imported design kept of its template (its notes say what it could not).
    """
    stacks: dict[str | None, list[str]] = {None: CdkStack(plan, None, kept).build()}
    for account in plan.accounts():
        stacks[account.id] = CdkStack(plan, account).build()
    lines = [
        '"""The CDK stack generated by Tierplan from a tierplan.design/v1 document."""',
        "",
        IMPORTS + (HELPERS if kept is not None else ""),
        "",
        "# Function code sits next to this file, whatever directory the app is run from.",
        "HERE = os.path.dirname(os.path.abspath(__file__))",
        "",
        "",
        "class TierplanStack(cdk.Stack):",
        '    """The design\'s resources; with account groups, one stack per AWS account."""',
        "",
        "    def __init__(self, scope: Construct, construct_id: str, *, account_group: str | None = None, **kwargs) -> None:",
        "        super().__init__(scope, construct_id, **kwargs)",
        "        cdk.Tags.of(self).add('tierplan:design', " + py(tag_value(plan.name)) + ")",
    ]
    for key, body in stacks.items():
        if not [line for line in body if line.strip()]:
            continue
        lines.append(f"        if account_group == {py(key)}:")
        lines += ["    " + line if line else "" for line in body]
        lines.append("            return")
    return "\n".join(lines).rstrip() + "\n"


def app_module(plan: Plan, name: str) -> str:
    """Source of ``app.py``: one stack, or one per account group."""
    groups: list[str | None] = []
    deployed = any(plan.account_of(c) is None and service_for(c.type).deployed for c in plan.design.components)
    if deployed or is_imported(plan.source):  # an import's kept resources alone make a stack
        groups.append(None)
    groups += [g.id for g in plan.accounts()]
    lines = [
        "#!/usr/bin/env python3",
        '"""Entry point of the CDK app generated by Tierplan: `cdk synth`, `cdk deploy`, or `python app.py`."""',
        "",
        "import os",
        "",
        "import aws_cdk as cdk",
        "",
        "from tierplan_stack import TierplanStack",
        "",
        "# The CDK CLI says where to write; run as `python app.py` it writes to ./cdk.out.",
        'app = cdk.App(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))',
    ]
    for group in groups:
        stack_id = name if group is None else f"{name}-{group.replace('_', '-')}"
        # Each account's stack in the region its account group names (else the design's).
        region = plan.account_region(plan.groups[group] if group is not None else None)
        lines.append(
            f"TierplanStack(app, {py(stack_id)}, account_group={py(group)}, env=cdk.Environment(region={py(region)}))"
        )
    lines += ["app.synth()", ""]
    return "\n".join(lines)
