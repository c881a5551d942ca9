"""Lambda polling a cluster: the function's side of a 'poll' connection from an Amazon MQ broker, an MSK
topic or a DocumentDB change stream (SAM events MQ, MSK and DocumentDB; CDK event source mappings).

SAM adds part of the rights itself (reading the secret, describing the source); the CDK side writes the
same statements, and both add what SAM leaves out: reading an MSK topic under IAM access control, and
managing a broker mapping's network interfaces for a function outside the broker's VPC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, var
from apps.exporting.services.brokers import ENI_ACTIONS, KAFKA_CONSUME, cdk_kafka_grants, sam_kafka_statements
from apps.exporting.services.clusters import cdk_documentdb_arn, sam_documentdb_arn

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

POLLED = ("mq_broker", "documentdb_cluster", "msk_cluster")
# What SAM's DocumentDB event gives the function's role (and the CDK side writes the same way).
DOCDB_DESCRIBE = {"rds:DescribeDBClusterParameters": "cluster-pg", "rds:DescribeDBSubnetGroups": "subgrp"}


def sam_poll_event(sam: SamTemplate, link: Link) -> dict[str, Any]:
    """The SAM event of a function polling a broker or a change stream (SAM adds the rights to read the
    secret and describe the source, and for DocumentDB to manage the mapping's network interfaces)."""
    source, logical = link.source, sam.id(link.source)
    access = [{"Type": "BASIC_AUTH", "URI": ref(f"{logical}Secret")}]
    properties: dict[str, Any]
    if source.type == "msk_cluster":  # IAM access control: no secret (SAM adds AWSLambdaMSKExecutionRole)
        properties = {
            "Stream": ref(logical),
            "Topics": [link.prop("topic")],
            "StartingPosition": link.prop("starting_position"),
            "BatchSize": link.prop("batch_size"),
        }
        event_type = "MSK"
    elif source.type == "documentdb_cluster":
        properties = {
            "Cluster": sam_documentdb_arn(sam, source),
            "DatabaseName": link.prop("database_name"),
            "FullDocument": "UpdateLookup",
            "StartingPosition": link.prop("starting_position"),
            "SourceAccessConfigurations": access,
            "BatchSize": link.prop("batch_size"),
        }
        if link.prop("collection_name"):
            properties["CollectionName"] = link.prop("collection_name")
        event_type = "DocumentDB"
    else:
        properties = {
            "Broker": getatt(logical, "Arn"),
            "Queues": [link.prop("queue_name")],
            "SourceAccessConfigurations": access,
            "BatchSize": link.prop("batch_size"),
            "DynamicPolicyName": True,  # one policy per broker, so a function may poll two
        }
        event_type = "MQ"
    if link.prop("max_batching_window_s"):
        properties["MaximumBatchingWindowInSeconds"] = link.prop("max_batching_window_s")
    return {"Type": event_type, "Properties": properties}


def sam_poll_policies(sam: SamTemplate, fn: Component) -> list[Any]:
    """What a polling function needs beyond SAM's own policies: reading an MSK topic with IAM access control,
    and managing a broker mapping's interfaces in the broker's VPC (a function in a VPC has them already)."""
    statements = [
        statement
        for link in sam.plan.into(fn, "poll")
        if link.source.type == "msk_cluster"
        for statement in sam_kafka_statements(ref(sam.id(link.source)), KAFKA_CONSUME, link.prop("topic"))
    ]
    brokers = [link for link in sam.plan.into(fn, "poll") if link.source.type == "mq_broker"]
    if brokers and sam.plan.vpc_of(fn) is None:
        statements.append({"Effect": "Allow", "Action": ENI_ACTIONS, "Resource": "*"})
    return [{"Version": "2012-10-17", "Statement": statements}] if statements else []


def cdk_poll(cdk: CdkStack, link: Link) -> None:
    """The event source mapping of a function polling a broker or change stream, and the rights SAM gives."""
    fn, source, cluster = var(link.target), var(link.source), link.source
    mapping, name = py(f"{cdk.id(cluster)}To{cdk.id(link.target)}"), f"{fn}_{cluster.id}_mapping"
    window = link.prop("max_batching_window_s")
    if cluster.type == "msk_cluster":
        extra = f", max_batching_window=Duration.seconds({window})" if window else ""
        cdk.emit(
            f"{fn}.add_event_source(event_sources.ManagedKafkaEventSource(cluster_arn={source}.attr_arn, topic={py(link.prop('topic'))}, "
            f"starting_position=lambda_.StartingPosition.{link.prop('starting_position')}, batch_size={link.prop('batch_size')}{extra}))"
        )
        for line in cdk_kafka_grants(cdk, link.target, cluster, KAFKA_CONSUME, link.prop("topic")):
            cdk.emit(line)
        return
    args = [
        f"function_name={fn}.function_name",
        f"batch_size={link.prop('batch_size')}",
        f"source_access_configurations=[lambda_.CfnEventSourceMapping.SourceAccessConfigurationProperty(type='BASIC_AUTH', uri={source}.secret.secret_arn)]"
        if cluster.type == "documentdb_cluster"
        else f"source_access_configurations=[lambda_.CfnEventSourceMapping.SourceAccessConfigurationProperty(type='BASIC_AUTH', uri={source}_secret.secret_arn)]",
    ]
    if window:
        args.append(f"maximum_batching_window_in_seconds={window}")
    if cluster.type == "documentdb_cluster":
        arn = cdk_documentdb_arn(cluster)
        config = [f"database_name={py(link.prop('database_name'))}", "full_document='UpdateLookup'"]
        if link.prop("collection_name"):
            config.append(f"collection_name={py(link.prop('collection_name'))}")
        args += [
            f"event_source_arn={arn}",
            f"starting_position={py(link.prop('starting_position'))}",
            f"document_db_event_source_config=lambda_.CfnEventSourceMapping.DocumentDBEventSourceConfigProperty({', '.join(config)})",
        ]
        grants = [
            f"{source}.secret.grant_read({fn})",
            f"{fn}.add_to_role_policy(iam.PolicyStatement(actions=['rds:DescribeDBClusters'], resources=[{arn}]))",
        ]
        grants += [
            f"{fn}.add_to_role_policy(iam.PolicyStatement(actions=[{py(action)}], resources=[cdk.Fn.join(':', "
            f"['arn', cdk.Aws.PARTITION, 'rds', cdk.Aws.REGION, cdk.Aws.ACCOUNT_ID, {py(kind)}, '*'])]))"
            for action, kind in DOCDB_DESCRIBE.items()
        ]
        needs_eni = True  # SAM's DocumentDB policy grants them whether or not the function is in a VPC
    else:
        args += [f"event_source_arn={source}.attr_arn", f"queues=[{py(link.prop('queue_name'))}]"]
        grants = [
            f"{source}_secret.grant_read({fn})",
            f"{fn}.add_to_role_policy(iam.PolicyStatement(actions=['mq:DescribeBroker'], resources=[{source}.attr_arn]))",
        ]
        needs_eni = cdk.plan.vpc_of(link.target) is None
    if needs_eni:
        grants.append(f"{fn}.add_to_role_policy(iam.PolicyStatement(actions={py(ENI_ACTIONS)}, resources=['*']))")
    # The L1 mapping (the L2 one takes no queues or change streams); it waits for the function, which
    # waits for its role's policy.
    cdk.emit(f"{name} = lambda_.CfnEventSourceMapping(self, {mapping}, {', '.join(args)})")
    cdk.emit(f"{name}.node.add_dependency({fn})")
    for line in grants:
        cdk.emit(line)
