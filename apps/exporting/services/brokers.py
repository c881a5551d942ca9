"""Brokers in a VPC: Amazon MSK (Kafka, provisioned or serverless) and Amazon MQ (ActiveMQ, RabbitMQ).

Both live in the private subnets of a VPC group behind a security group that admits the VPC's functions
and itself (Lambda's event source mapping polls them from their own subnets). MSK uses IAM access
control, so a function's role says which topics it may write or read; an MQ broker's user has a password
generated in Secrets Manager.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import cdk_stack_unique_name, getatt, py, ref, stack_unique_name, tag_list, tags, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service, cdk_attribute
from apps.exporting.services.clusters import (
    MASTER_USER,
    cdk_self_ingress,
    sam_generated_secret,
    sam_secret_password,
    sam_self_ingress,
)
from apps.exporting.services.stores import cdk_store_network, sam_store_network

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


# -- Amazon MSK ---------------------------------------------------------------------------------------

KAFKA_VERSION = "3.6.0"
MSK_MAX_SUBNETS = 3  # MSK spreads brokers over two or three zones


def msk_subnet_count(plan: Plan, cluster: Component) -> int:
    vpc = plan.vpc_of(cluster)
    assert vpc is not None
    return min(MSK_MAX_SUBNETS, plan.vpc_prop(vpc, "az_count"))


def msk_problem(plan: Plan, cluster: Component) -> str | None:
    """Why AWS would refuse the cluster, or None."""
    zones = msk_subnet_count(plan, cluster)
    if zones < 2:
        return "MSK needs private subnets in at least two availability zones (set the VPC's az_count to 2 or 3)"
    brokers = plan.prop(cluster, "brokers")
    if plan.prop(cluster, "mode") == "provisioned" and brokers % zones:
        return f"its {brokers} brokers cannot spread evenly over {zones} availability zones (use a multiple of {zones})"
    return None


def msk_cluster_name(cluster: Component) -> dict[str, Any]:
    """<id>-<first block of the stack's uuid>: unique per stack, within MSK's 64 characters."""
    return stack_unique_name(cluster.id, 50)


def sam_msk_cluster(sam: SamTemplate, cluster: Component) -> None:
    plan, logical = sam.plan, sam.id(cluster)
    why = msk_problem(plan, cluster)
    if why:
        raise ExportError(f"component {cluster.id!r} (msk_cluster) cannot be exported: {why}")
    group, subnets = sam_store_network(sam, cluster)
    sam_self_ingress(sam, cluster, group)
    subnets = subnets[: msk_subnet_count(plan, cluster)]
    iam_auth = {"Sasl": {"Iam": {"Enabled": True}}}
    if plan.prop(cluster, "mode") == "serverless":
        sam.add(
            logical,
            "AWS::MSK::ServerlessCluster",
            {
                "ClusterName": msk_cluster_name(cluster),
                "ClientAuthentication": iam_auth,
                "VpcConfigs": [{"SubnetIds": subnets, "SecurityGroups": [getatt(group, "GroupId")]}],
                "Tags": tags(cluster),
            },
            cluster,
        )
    else:
        sam.add(
            logical,
            "AWS::MSK::Cluster",
            {
                "ClusterName": msk_cluster_name(cluster),
                "KafkaVersion": KAFKA_VERSION,
                "NumberOfBrokerNodes": plan.prop(cluster, "brokers"),
                "BrokerNodeGroupInfo": {
                    "InstanceType": plan.prop(cluster, "broker_type"),
                    "ClientSubnets": subnets,
                    "SecurityGroups": [getatt(group, "GroupId")],
                    "StorageInfo": {"EBSStorageInfo": {"VolumeSize": plan.prop(cluster, "storage_gb")}},
                },
                "ClientAuthentication": iam_auth,
                "EncryptionInfo": {"EncryptionInTransit": {"ClientBroker": "TLS", "InCluster": True}},
                "Tags": tags(cluster),
            },
            cluster,
        )
    sam.output(f"{logical}Arn", ref(logical), f"Cluster ARN of {plan.label(cluster)}", cluster)


def cdk_msk_cluster(cdk: CdkStack, cluster: Component) -> None:
    plan, v, logical = cdk.plan, var(cluster), cdk.id(cluster)
    why = msk_problem(plan, cluster)
    if why:
        raise ExportError(f"component {cluster.id!r} (msk_cluster) cannot be exported: {why}")
    vpc = plan.vpc_of(cluster)
    assert vpc is not None
    group = cdk_store_network(cdk, cluster)
    cdk_self_ingress(cdk, cluster, group)
    subnets = f"g_{vpc.id}.select_subnets(subnet_group_name='private').subnet_ids[:{msk_subnet_count(plan, cluster)}]"
    name = cdk_stack_unique_name(cluster.id, 50)
    tag_map = py(tags(cluster))
    if cdk.prop(cluster, "mode") == "serverless":
        cdk.emit(
            f"{v} = msk.CfnServerlessCluster(self, {py(logical)}, cluster_name={name}, "
            "client_authentication=msk.CfnServerlessCluster.ClientAuthenticationProperty(sasl=msk.CfnServerlessCluster.SaslProperty(iam=msk.CfnServerlessCluster.IamProperty(enabled=True))), "
            f"vpc_configs=[msk.CfnServerlessCluster.VpcConfigProperty(subnet_ids={subnets}, security_groups=[{group}.security_group_id])], tags={tag_map})"
        )
    else:
        cdk.emit(
            f"{v} = msk.CfnCluster(self, {py(logical)}, cluster_name={name}, kafka_version={py(KAFKA_VERSION)}, "
            f"number_of_broker_nodes={cdk.prop(cluster, 'brokers')}, "
            f"broker_node_group_info=msk.CfnCluster.BrokerNodeGroupInfoProperty(instance_type={py(cdk.prop(cluster, 'broker_type'))}, "
            f"client_subnets={subnets}, security_groups=[{group}.security_group_id], "
            f"storage_info=msk.CfnCluster.StorageInfoProperty(ebs_storage_info=msk.CfnCluster.EBSStorageInfoProperty(volume_size={cdk.prop(cluster, 'storage_gb')}))), "
            "client_authentication=msk.CfnCluster.ClientAuthenticationProperty(sasl=msk.CfnCluster.SaslProperty(iam=msk.CfnCluster.IamProperty(enabled=True))), "
            "encryption_info=msk.CfnCluster.EncryptionInfoProperty(encryption_in_transit=msk.CfnCluster.EncryptionInTransitProperty(client_broker='TLS', in_cluster=True)), "
            f"tags={tag_map})"
        )
    cdk.emit()


def kafka_resources(cluster_arn: Any, topic: str) -> dict[str, Any]:
    """IAM resources of a cluster's ``topic`` (``*``: every topic) and consumer groups, from the cluster's
    ARN (…:cluster/<name>/<uuid>; a topic is …:topic/<name>/<uuid>/<topic>)."""
    parts = {"Fn::Split": [":cluster/", cluster_arn]}
    head, tail = {"Fn::Select": [0, parts]}, {"Fn::Select": [1, parts]}
    return {
        "topic": {"Fn::Join": ["", [head, ":topic/", tail, f"/{topic}"]]},
        "group": {"Fn::Join": ["", [head, ":group/", tail, "/*"]]},
    }


def cdk_kafka_resource(cluster: Component, kind: str, name: str) -> str:
    parts = f"cdk.Fn.split(':cluster/', {var(cluster)}.attr_arn)"
    return f"cdk.Fn.join('', [cdk.Fn.select(0, {parts}), ':{kind}/', cdk.Fn.select(1, {parts}), {py('/' + name)}])"


# What IAM access control asks of a producer and of a consumer (Amazon MSK developer guide, "IAM access
# control"): connect to the cluster, then act on its topics (and, consuming, on its consumer groups).
KAFKA_PRODUCE = {
    "cluster": ["kafka-cluster:Connect"],
    "topic": ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
}
KAFKA_CONSUME = {
    "cluster": ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"],
    "topic": ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
    "group": ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
}


def sam_kafka_statements(cluster_arn: Any, actions: dict[str, list[str]], topic: str = "*") -> list[dict[str, Any]]:
    resources = {"cluster": cluster_arn, **kafka_resources(cluster_arn, topic)}
    return [{"Effect": "Allow", "Action": names, "Resource": resources[kind]} for kind, names in actions.items()]


def sam_msk_policies(sam: SamTemplate, link: Link) -> list[Any]:
    arn = ref(sam.id(link.target))
    statements = [
        {"Effect": "Allow", "Action": ["kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2"], "Resource": arn}
    ]
    return [{"Version": "2012-10-17", "Statement": statements + sam_kafka_statements(arn, KAFKA_PRODUCE)}]


def cdk_kafka_grants(
    cdk: CdkStack, fn: Component, cluster: Component, actions: dict[str, list[str]], topic: str = "*"
) -> list[str]:
    resources = {
        "cluster": f"{var(cluster)}.attr_arn",
        "topic": cdk_kafka_resource(cluster, "topic", topic),
        "group": cdk_kafka_resource(cluster, "group", "*"),
    }
    return [
        f"{var(fn)}.add_to_role_policy(iam.PolicyStatement(actions={py(names)}, resources=[{resources[kind]}]))"
        for kind, names in actions.items()
    ]


def cdk_msk_grant(cdk: CdkStack, link: Link) -> str:
    lines = [
        f"{var(link.source)}.add_to_role_policy(iam.PolicyStatement(actions=['kafka:GetBootstrapBrokers', 'kafka:DescribeClusterV2'], resources=[{var(link.target)}.attr_arn]))",
        *cdk_kafka_grants(cdk, link.source, link.target, KAFKA_PRODUCE),
    ]
    return "; ".join(lines)  # one line: the writer indents what it emits line by line


# -- Amazon MQ ----------------------------------------------------------------------------------------

MQ_ENGINES = {"activemq": ("ACTIVEMQ", "5.18"), "rabbitmq": ("RABBITMQ", "3.13")}
MQ_MULTI_AZ = {"activemq": "ACTIVE_STANDBY_MULTI_AZ", "rabbitmq": "CLUSTER_MULTI_AZ"}
# What the role of a function consuming a broker needs besides reading the secret (Lambda developer
# guide, "Amazon MQ execution role permissions"): the mapping's network interfaces live in the broker's VPC.
ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
]


def mq_deployment_mode(plan: Plan, broker: Component) -> str:
    if plan.prop(broker, "deployment_mode") == "single_instance":
        return "SINGLE_INSTANCE"
    return MQ_MULTI_AZ[plan.prop(broker, "engine")]


def mq_subnet_count(plan: Plan, broker: Component) -> int:
    """Subnets the broker takes: one for a single instance, two for an ActiveMQ pair, all for a cluster."""
    vpc = plan.vpc_of(broker)
    assert vpc is not None
    zones = plan.vpc_prop(vpc, "az_count")
    mode = mq_deployment_mode(plan, broker)
    return {"SINGLE_INSTANCE": 1, "ACTIVE_STANDBY_MULTI_AZ": 2}.get(mode, zones)


def mq_problem(plan: Plan, broker: Component) -> str | None:
    """Why AWS would refuse the broker, or None."""
    multi_az = plan.prop(broker, "deployment_mode") == "multi_az"
    if multi_az and plan.prop(broker, "instance_type") == "mq.t3.micro":
        return "mq.t3.micro runs single-instance brokers only; choose mq.m5.large or larger for multi_az"
    vpc = plan.vpc_of(broker)
    if multi_az and vpc is not None and plan.vpc_prop(vpc, "az_count") < 2:
        return "a multi-AZ broker needs a VPC of at least two availability zones"
    return None


def mq_broker_name(broker: Component) -> dict[str, Any]:
    """<id>-<first block of the stack's uuid>: unique per stack, within Amazon MQ's 50 characters."""
    return stack_unique_name(broker.id, 40)


def sam_mq_broker(sam: SamTemplate, broker: Component) -> None:
    plan, logical = sam.plan, sam.id(broker)
    why = mq_problem(plan, broker)
    if why:
        raise ExportError(f"component {broker.id!r} (mq_broker) cannot be exported: {why}")
    group, subnets = sam_store_network(sam, broker)
    sam_self_ingress(sam, broker, group)
    secret = sam_generated_secret(sam, broker, "User of the Amazon MQ broker", ",:=")
    engine_type, version = MQ_ENGINES[plan.prop(broker, "engine")]
    properties: dict[str, Any] = {
        "BrokerName": mq_broker_name(broker),
        "EngineType": engine_type,
        "EngineVersion": version,
        "AutoMinorVersionUpgrade": True,
        "DeploymentMode": mq_deployment_mode(plan, broker),
        "HostInstanceType": plan.prop(broker, "instance_type"),
        "PubliclyAccessible": False,
        "SubnetIds": subnets[: mq_subnet_count(plan, broker)],
        "SecurityGroups": [getatt(group, "GroupId")],
        "Users": [{"Username": MASTER_USER, "Password": sam_secret_password(secret)}],
        "EncryptionOptions": {"UseAwsOwnedKey": True},
        "Logs": {"General": True},
        "Tags": tag_list(broker),
    }
    sam.add(logical, "AWS::AmazonMQ::Broker", properties, broker)
    sam.output(f"{logical}Arn", getatt(logical, "Arn"), f"Broker ARN of {plan.label(broker)}", broker)


def cdk_mq_broker(cdk: CdkStack, broker: Component) -> None:
    plan, v, logical = cdk.plan, var(broker), cdk.id(broker)
    why = mq_problem(plan, broker)
    if why:
        raise ExportError(f"component {broker.id!r} (mq_broker) cannot be exported: {why}")
    vpc = plan.vpc_of(broker)
    assert vpc is not None
    group = cdk_store_network(cdk, broker)
    cdk_self_ingress(cdk, broker, group)
    # A broker user's password: at least 12 characters, none of , : = (what Amazon MQ accepts).
    generator = (
        f"secretsmanager.SecretStringGenerator(secret_string_template=json.dumps({{'username': {py(MASTER_USER)}}}), "
        "generate_string_key='password', password_length=32, exclude_characters=',:=', exclude_punctuation=True)"
    )
    cdk.emit(
        f"{v}_secret = secretsmanager.Secret(self, {py(logical + 'Secret')}, "
        f"description={py(f'User of the Amazon MQ broker {broker.id}')}, generate_secret_string={generator})"
    )
    engine_type, version = MQ_ENGINES[cdk.prop(broker, "engine")]
    subnets = f"g_{vpc.id}.select_subnets(subnet_group_name='private').subnet_ids[:{mq_subnet_count(plan, broker)}]"
    name = cdk_stack_unique_name(broker.id, 40)
    cdk.emit(
        f"{v} = amazonmq.CfnBroker(self, {py(logical)}, broker_name={name}, engine_type={py(engine_type)}, "
        f"engine_version={py(version)}, auto_minor_version_upgrade=True, "
        f"deployment_mode={py(mq_deployment_mode(plan, broker))}, host_instance_type={py(cdk.prop(broker, 'instance_type'))}, "
        f"publicly_accessible=False, subnet_ids={subnets}, security_groups=[{group}.security_group_id], "
        f"users=[amazonmq.CfnBroker.UserProperty(username={py(MASTER_USER)}, password={v}_secret.secret_value_from_json('password').unsafe_unwrap())], "
        "encryption_options=amazonmq.CfnBroker.EncryptionOptionsProperty(use_aws_owned_key=True), "
        "logs=amazonmq.CfnBroker.LogListProperty(general=True))"
    )
    cdk.emit()


SERVICES = (
    Service("mq_broker", sam=sam_mq_broker, cdk=cdk_mq_broker, cdk_order=26),
    Service(
        "msk_cluster",
        sam=sam_msk_cluster,
        cdk=cdk_msk_cluster,
        cdk_order=26,
        cdk_env=cdk_attribute("attr_arn"),
        sam_policies=sam_msk_policies,
        cdk_grant=cdk_msk_grant,
    ),
)
