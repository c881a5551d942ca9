"""Clusters (Aurora, DocumentDB, MSK, Amazon MQ, OpenSearch Serverless): what AWS's guidance says about
their availability and about Lambda reaching them. (A function outside the VPC of a cluster or an EFS file
system is the networking rule data-store-reached-from-outside-vpc.)"""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

AURORA_HIGH_AVAILABILITY = (
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html"
)
MQ_CONTROLS = "https://docs.aws.amazon.com/controltower/latest/controlreference/mq-rules.html"
MQ_ACTIVE_STANDBY = "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/active-standby-broker-deployment.html"
LAMBDA_MQ = "https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html"
MSK_BEST_PRACTICES = "https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html"
LAMBDA_MSK_NETWORK = "https://docs.aws.amazon.com/lambda/latest/dg/with-msk-cluster-network.html"
AOSS_REDUNDANCY = "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-overview.html"
LAMBDA_DOCDB = "https://docs.aws.amazon.com/lambda/latest/dg/with-documentdb.html"
DOCDB_HIGH_AVAILABILITY = "https://docs.aws.amazon.com/documentdb/latest/developerguide/replication.html"


def _cluster_without_reader(ctx: ReviewContext) -> Iterator[Hit]:
    # With no reader, a failed primary is replaced by a new instance, which takes far longer than
    # promoting a replica; AWS recommends replicas in other zones for high availability.
    for cluster in ctx.of_type("aurora_cluster", "documentdb_cluster"):
        if ctx.prop(cluster, "readers"):
            continue
        yield Hit(
            (cluster.id,),
            f"{ctx.name(cluster)} has no reader: if its primary instance or its availability zone fails, a new "
            "primary must be created instead of a replica promoted, and the database is unavailable meanwhile.",
            "Set readers to 1 or more: each reader is a failover target in another availability zone (and serves "
            "reads), billed like the primary.",
        )


def _change_stream_source(ctx: ReviewContext) -> Iterator[Hit]:
    for cluster in ctx.of_type("documentdb_cluster"):
        links = ctx.out(cluster, "poll")
        if not links:
            continue
        yield Hit(
            (cluster.id, *(link.target.id for link in links)),
            f"{ctx.names([link.target for link in links])} read{'s' if len(links) == 1 else ''} change streams of "
            f"{ctx.name(cluster)}: Lambda receives nothing until change streams are enabled on the collection, "
            "which no template can do.",
            "After deployment, enable change streams (db.adminCommand({modifyChangeStreams: 1, database: …, "
            "collection: …, enable: true})) for each collection the functions read.",
        )


def _mq_single_instance(ctx: ReviewContext) -> Iterator[Hit]:
    for broker in ctx.of_type("mq_broker"):
        if ctx.prop(broker, "deployment_mode") != "single_instance":
            continue
        shape = "an active/standby pair" if ctx.prop(broker, "engine") == "activemq" else "a three-node cluster"
        yield Hit(
            (broker.id,),
            f"{ctx.name(broker)} is a single-instance broker: it runs in one availability zone and stops, with "
            "its queues, whenever that instance fails or is under maintenance.",
            f"Set deployment_mode to multi_az ({shape} across availability zones; an instance type larger than "
            "mq.t3.micro).",
        )


def _poll_without_network(ctx: ReviewContext) -> Iterator[Hit]:
    # Lambda's event source mapping polls the broker, topic or change stream from the cluster's own subnets,
    # and from there must reach Lambda, STS and Secrets Manager: through a NAT gateway or interface endpoints.
    for cluster in ctx.of_type("mq_broker", "documentdb_cluster", "msk_cluster"):
        vpc = ctx.vpc_of(cluster)
        consumers = [link.target for link in ctx.out(cluster, "poll")]
        if vpc is None or not consumers or ctx.vpc_prop(vpc, "nat_gateways"):
            continue
        if cluster.type == "msk_cluster":  # IAM access control: no secret to read
            services = "Lambda and STS"
        elif cluster.type == "mq_broker" and ctx.prop(cluster, "engine") == "rabbitmq":
            services = "Lambda and Secrets Manager"
        else:
            services = "Lambda, STS and Secrets Manager"
        yield Hit(
            (cluster.id, *(c.id for c in consumers)),
            f"{ctx.names(consumers)} poll{'s' if len(consumers) == 1 else ''} {ctx.name(cluster)}, but "
            f"{ctx.group_name(vpc)} has no NAT gateway: the event source mapping, which runs in the cluster's "
            f"subnets, cannot reach {services} and never delivers a record.",
            f"Give the VPC a NAT gateway (nat_gateways 1 or more), or add interface VPC endpoints for {services} "
            "reachable from the cluster's security group.",
        )


def _msk_in_two_zones(ctx: ReviewContext) -> Iterator[Hit]:
    for cluster in ctx.of_type("msk_cluster"):
        vpc = ctx.vpc_of(cluster)
        if vpc is None or ctx.prop(cluster, "mode") != "provisioned" or ctx.vpc_prop(vpc, "az_count") >= 3:
            continue
        zones = ctx.vpc_prop(vpc, "az_count")
        yield Hit(
            (cluster.id,),
            f"{ctx.name(cluster)} spreads its brokers over {zones} availability zone{'s' if zones > 1 else ''}: "
            "with a replication factor of 3 and min.insync.replicas of 2, AWS recommends three zones so that "
            "losing one zone leaves producers able to write.",
            "Set the VPC's az_count to 3 and brokers to a multiple of 3.",
        )


def _collection_without_redundancy(ctx: ReviewContext) -> Iterator[Hit]:
    for collection in ctx.of_type("opensearch_serverless_collection"):
        if ctx.prop(collection, "redundancy"):
            continue
        yield Hit(
            (collection.id,),
            f"{ctx.name(collection)} runs without standby replicas: its indexing and search capacity is in one "
            "availability zone, which AWS offers for development and test workloads.",
            "Turn redundancy on for production (standby replicas in a second zone; the minimum capacity "
            "doubles from 0.5 to 1 OCU each for indexing and search).",
        )


RULES = (
    Rule(
        id="cluster-without-reader",
        severity="warning",
        title="An Aurora or DocumentDB cluster with no reader to fail over to",
        reference=f"{AURORA_HIGH_AVAILABILITY}; {DOCDB_HIGH_AVAILABILITY}",
        check=_cluster_without_reader,
    ),
    Rule(
        id="mq-single-instance",
        severity="warning",
        title="An Amazon MQ broker with a single instance (no failover)",
        reference=f"{MQ_CONTROLS} (CT.MQ.PR.1, CT.MQ.PR.2); {MQ_ACTIVE_STANDBY}",
        check=_mq_single_instance,
    ),
    Rule(
        id="poll-without-network",
        severity="warning",
        title="Lambda polls a broker, Kafka topic or change stream in a VPC with no route to Lambda and STS",
        reference=f"{LAMBDA_MQ}; {LAMBDA_DOCDB}; {LAMBDA_MSK_NETWORK}",
        check=_poll_without_network,
    ),
    Rule(
        id="documentdb-change-streams",
        severity="info",
        title="Lambda reads DocumentDB change streams, which must be enabled after deployment",
        reference=LAMBDA_DOCDB,
        check=_change_stream_source,
    ),
    Rule(
        id="msk-fewer-than-three-zones",
        severity="info",
        title="A provisioned MSK cluster in fewer than three availability zones",
        reference=MSK_BEST_PRACTICES,
        check=_msk_in_two_zones,
    ),
    Rule(
        id="opensearch-serverless-without-redundancy",
        severity="warning",
        title="An OpenSearch Serverless collection without standby replicas",
        reference=AOSS_REDUNDANCY,
        check=_collection_without_redundancy,
    ),
)
