"""One place per component type: every catalog type has an emitter, a cost model and an icon, and every
connection the catalog allows is exported (it changes the SAM template and the CDK stack).

These tests read the catalog, so a new type or connection kind is covered the moment it is added, and
they fail when an emitter, a cost model, an icon or the export of an allowed connection goes missing.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from apps.costing.engine import NOT_ESTIMATED
from apps.costing.models import MODELS
from apps.designs.catalog import get_catalog
from apps.designs.document import POLL_SOURCE_PROPS, validate_design
from apps.designs.domains import NAME_BINDERS
from apps.exporting.cdk import stack_module
from apps.exporting.plan import Plan
from apps.exporting.sam import sam_template
from apps.exporting.services import SERVICES

CATALOG = get_catalog()
# Clients are drawn, costed and reviewed but not deployed: what they request is not in any template.
NOT_DEPLOYED = {type_id for type_id, service in SERVICES.items() if not service.deployed}


def test_every_type_has_an_emitter() -> None:
    assert sorted(set(CATALOG.types) - set(SERVICES)) == []
    assert sorted(set(SERVICES) - set(CATALOG.types)) == [], "an emitter for a type the catalog does not have"


def test_every_type_has_a_cost_model_or_is_listed_as_not_estimated() -> None:
    assert sorted(set(CATALOG.types) - set(MODELS) - set(NOT_ESTIMATED)) == []


@pytest.mark.parametrize("type_id", sorted(CATALOG.types))
def test_every_type_has_an_icon_in_diagrams(type_id: str) -> None:
    module, class_name = CATALOG.types[type_id].icon_class
    node = getattr(importlib.import_module(module), class_name)
    assert node._icon, f"{module}.{class_name} has no icon"


def test_catalog_facts_name_real_cloudformation_types() -> None:
    from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER

    known = set(PROVIDER_SCHEMA_MANAGER.get_resource_types("us-east-1"))
    for ctype in CATALOG:
        for cfn_type in ctype.cloudformation_types:
            assert cfn_type.startswith("AWS::Serverless::") or cfn_type in known, (ctype.name, cfn_type)
        # A generic type stands for whatever resource type its `resource_type` prop names.
        if ctype.name not in NOT_DEPLOYED and "resource_type" not in ctype.props.fields:
            assert ctype.cloudformation_types, f"{ctype.name} names no CloudFormation resource type"
    for cfn_type in CATALOG.wiring_types:
        assert cfn_type.startswith("AWS::Serverless::") or cfn_type in known, cfn_type


# -- every allowed connection is exported ------------------------------------------------------------


def allowed_pairs() -> list[tuple[str, str, str]]:
    return [
        (kind.name, source, target)
        for kind in CATALOG.connection_kinds.values()
        for source in sorted(kind.sources)
        for target in sorted(kind.targets)
        if kind.allows(source, target)
    ]


def pair_design(kind: str, source_type: str, target_type: str, *, connected: bool) -> dict[str, Any]:
    """The smallest design holding one connection of ``kind``, with what each end needs to be exportable.

    ``connected=False`` gives the same design without that connection, to compare the exports with.
    """
    source: dict[str, Any] = {"id": "source_c", "type": source_type, "props": {}}
    target: dict[str, Any] = {"id": "target_c", "type": target_type, "props": {}}
    components = [source, target]
    connections: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    link: dict[str, Any] = {"id": "the_link", "source": "source_c", "target": "target_c", "kind": kind, "props": {}}

    def add(component: dict[str, Any], connection: dict[str, Any]) -> None:
        components.append(component)
        connections.append(connection)

    if kind == "authorize":
        if target_type == "lambda_function":
            target["props"]["role"] = "authorizer"
        if connected:  # the API uses it (an unused authorizer is declared by SAM only)
            pool_auth = "cognito" if source_type in ("api_gateway_rest", "appsync_api") else "jwt"
            source["props"]["auth"] = pool_auth if target_type == "cognito_user_pool" else "lambda"
    if kind == "edge":
        target["props"].update({"role": "edge", "runtime": "nodejs22.x"})
    if kind == "request" and target_type == "s3_bucket":
        target["props"]["public_access"] = True
    if kind == "origin":
        link["props"]["path_pattern"] = "/linked/*"
    if kind == "poll":  # what a broker, topic or change stream poll must name
        for name, (owner, required) in POLL_SOURCE_PROPS.items():
            if owner == source_type and required:
                link["props"][name] = "orders"
    for end in (source, target):  # a distribution needs an origin of its own
        if end["type"] == "cloudfront":
            files = f"{end['id']}_files"
            add(
                {"id": files, "type": "s3_bucket"},
                {"id": f"{files}_origin", "source": end["id"], "target": files, "kind": "origin"},
            )
    if kind == "dead_letter" and source_type in ("sns_topic", "eventbridge_bus", "scheduler_schedule"):
        # What fails is a delivery to a subscriber or a rule's (or schedule's) target: give the source one.
        delivery = "deliver" if source_type == "scheduler_schedule" else "trigger"
        add(
            {"id": "consumer", "type": "lambda_function"},
            {"id": "consumer_trigger", "source": "source_c", "target": "consumer", "kind": delivery},
        )
    if "eventbridge_pipe" in (source_type, target_type):
        # A pipe reads one queue or stream and delivers to one target: give it those the link does not.
        pipe = "source_c" if source_type == "eventbridge_pipe" else "target_c"
        if kind != "poll" or not connected:
            add(
                {"id": "pipe_in", "type": "kinesis_stream"},
                {"id": "pipe_poll", "source": "pipe_in", "target": pipe, "kind": "poll"},
            )
        if kind != "deliver" or not connected:
            add(
                {"id": "pipe_out", "type": "sqs_queue"},
                {"id": "pipe_deliver", "source": pipe, "target": "pipe_out", "kind": "deliver"},
            )
    if "firehose_stream" in (source_type, target_type):
        # A Firehose stream delivers to one bucket: give it one unless the link is that delivery.
        stream = "source_c" if source_type == "firehose_stream" else "target_c"
        if not (kind == "deliver" and source_type == "firehose_stream" and connected):
            add(
                {"id": "stream_bucket", "type": "s3_bucket"},
                {"id": "stream_delivery", "source": stream, "target": "stream_bucket", "kind": "deliver"},
            )
    if kind == "enrich" and target_type == "step_functions":
        target["props"]["workflow_type"] = "express"  # pipes wait for the enrichment's result
    if (kind, source_type, target_type) == ("integrate", "api_gateway_rest", "load_balancer"):
        # A REST API reaches a Network Load Balancer, which passes its connections to one ECS service.
        target["props"]["balancer_type"] = "network"
        add(
            {"id": "nlb_app", "type": "ecs_service", "group": "net"},
            {"id": "nlb_forward", "source": "target_c", "target": "nlb_app", "kind": "forward"},
        )
    if kind == "alias" and target_type in NAME_BINDERS:
        # A distribution or an API answers for a custom domain only with a certificate for it.
        add(
            {"id": "target_cert", "type": "acm_certificate"},
            {"id": "target_secure", "source": "target_c", "target": "target_cert", "kind": "secure"},
        )
    if "cloudtrail_trail" in (source_type, target_type):
        # A trail writes its log files to one bucket: give it one unless the link is that archive.
        trail = "source_c" if source_type == "cloudtrail_trail" else "target_c"
        if not (kind == "archive" and connected):
            add(
                {"id": "trail_logs", "type": "s3_bucket"},
                {"id": "trail_archive", "source": trail, "target": "trail_logs", "kind": "archive"},
            )
    if source_type == "ssm_document" and not connected:  # a runbook has at least one step
        add(
            {"id": "runbook_step", "type": "lambda_function"},
            {"id": "runbook_invoke", "source": "source_c", "target": "runbook_step", "kind": "invoke"},
        )
    if source_type == "custom_resource" and not connected:  # without its provider, one served from outside
        source["props"]["service_token"] = "arn:aws:lambda:us-east-1:123456789012:function:provider"
    if CATALOG.types[source_type].vpc_only or CATALOG.types[target_type].vpc_only:
        groups.append({"id": "net", "kind": "vpc"})
        source["group"] = target["group"] = "net"
    if connected:
        connections.append(link)
    return {
        "schema": "tierplan.design/v1",
        "name": "pair",
        "components": components,
        "connections": connections,
        "groups": groups,
    }


@pytest.mark.parametrize(("kind", "source", "target"), allowed_pairs())
def test_every_allowed_connection_is_exported(kind: str, source: str, target: str) -> None:
    with_link = Plan(validate_design(pair_design(kind, source, target, connected=True)))
    without = Plan(validate_design(pair_design(kind, source, target, connected=False)))
    if NOT_DEPLOYED & {source, target}:
        return  # exported without error is all a client's connection can show
    assert sam_template(with_link) != sam_template(without), "the connection leaves no trace in the SAM template"
    assert stack_module(with_link) != stack_module(without), "the connection leaves no trace in the CDK stack"
