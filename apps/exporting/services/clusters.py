"""Clusters in a VPC: Aurora (Serverless v2 or provisioned), DocumentDB, MSK (Kafka) and Amazon MQ.

They live in the private subnets of a VPC group, behind a security group that admits the VPC's functions
on the cluster's port (``stores.sam_store_network``/``cdk_store_network``), and keep their credentials in
Secrets Manager: a connected function gets the endpoint, the secret's ARN and the right to read it.

Lambda polls a broker or a change stream from inside its VPC: the event source mapping's network
interfaces take the cluster's subnets and security group, so the group also admits itself, and the
function's role may manage those interfaces, describe the cluster and read its secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, tags, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service, cdk_attribute
from apps.exporting.services.stores import (
    AURORA_AUTO_PAUSE_S,
    AURORA_VERSIONS,
    cdk_store_network,
    sam_master_username,
    sam_store_network,
)

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

# CloudFormation's StorageType and aws-cdk-lib's DBClusterStorageType for each storage configuration.
AURORA_STORAGE = {"standard": ("aurora", "AURORA"), "io_optimized": ("aurora-iopt1", "AURORA_IOPT1")}
# What the RDS Data API lets a function do on one cluster (it still needs to read the secret).
DATA_API_ACTIONS = [
    "rds-data:BatchExecuteStatement",
    "rds-data:BeginTransaction",
    "rds-data:CommitTransaction",
    "rds-data:ExecuteStatement",
    "rds-data:RollbackTransaction",
]


# -- Aurora -------------------------------------------------------------------------------------------


def sam_aurora_cluster(sam: SamTemplate, cluster: Component) -> None:
    """The cluster, its subnet group, a writer and ``readers`` readers in promotion tier 1."""
    plan, logical = sam.plan, sam.id(cluster)
    group, subnets = sam_store_network(sam, cluster)
    sam_master_username(sam)
    sam.add(
        f"{logical}Subnets",
        "AWS::RDS::DBSubnetGroup",
        {"DBSubnetGroupDescription": f"Private subnets of {cluster.id}", "SubnetIds": subnets},
        cluster,
    )
    engine, serverless = plan.prop(cluster, "engine"), plan.prop(cluster, "capacity_mode") == "serverless_v2"
    properties: dict[str, Any] = {
        "Engine": engine,
        "EngineVersion": AURORA_VERSIONS[engine][0],
        "StorageType": AURORA_STORAGE[plan.prop(cluster, "storage_configuration")][0],
        "StorageEncrypted": True,
        "MasterUsername": ref("DbMasterUsername"),
        "ManageMasterUserPassword": True,
        "DBSubnetGroupName": ref(f"{logical}Subnets"),
        "VpcSecurityGroupIds": [getatt(group, "GroupId")],
        "BackupRetentionPeriod": 7,
        "CopyTagsToSnapshot": True,
        "Tags": tag_list(cluster),
    }
    if serverless:
        minimum = plan.prop(cluster, "min_capacity_acu")
        scaling: dict[str, Any] = {"MinCapacity": minimum, "MaxCapacity": plan.prop(cluster, "max_capacity_acu")}
        if minimum == 0:
            scaling["SecondsUntilAutoPause"] = AURORA_AUTO_PAUSE_S
        properties["ServerlessV2ScalingConfiguration"] = scaling
    if plan.prop(cluster, "data_api"):
        properties["EnableHttpEndpoint"] = True
    sam.add(
        logical, "AWS::RDS::DBCluster", properties, cluster, DeletionPolicy="Snapshot", UpdateReplacePolicy="Snapshot"
    )
    instance_class = "db.serverless" if serverless else plan.prop(cluster, "instance_class")
    instances = [("Writer", 0)] + [(f"Reader{n}", 1) for n in range(1, plan.prop(cluster, "readers") + 1)]
    for name, tier in instances:
        sam.add(
            f"{logical}{name}",
            "AWS::RDS::DBInstance",
            {
                "Engine": engine,
                "DBClusterIdentifier": ref(logical),
                "DBInstanceClass": instance_class,
                "PromotionTier": tier,
                "PubliclyAccessible": False,
                "Tags": tag_list(cluster),
            },
            cluster,
        )
    sam.output(
        f"{logical}Endpoint",
        getatt(logical, "Endpoint.Address"),
        f"Writer endpoint of {plan.label(cluster)}",
        cluster,
    )


def cdk_aurora_cluster(cdk: CdkStack, cluster: Component) -> None:
    v, vpc = var(cluster), cdk.plan.vpc_of(cluster)
    assert vpc is not None
    group = cdk_store_network(cdk, cluster)
    serverless = cdk.prop(cluster, "capacity_mode") == "serverless_v2"
    if serverless:

        def instance(name: str, reader: bool) -> str:
            scale = ", scale_with_writer=True" if reader else ""
            return f"rds.ClusterInstance.serverless_v2({py(name)}{scale})"

    else:
        size = py(cdk.prop(cluster, "instance_class").removeprefix("db."))

        def instance(name: str, reader: bool) -> str:
            tier = ", promotion_tier=1" if reader else ""
            return f"rds.ClusterInstance.provisioned({py(name)}, instance_type=ec2.InstanceType({size}){tier})"

    readers = [instance(f"reader{n}", True) for n in range(1, cdk.prop(cluster, "readers") + 1)]
    args = [
        f"engine={AURORA_VERSIONS[cdk.prop(cluster, 'engine')][1]}",
        f"writer={instance('writer', False)}",
        f"readers=[{', '.join(readers)}]",
        f"storage_type=rds.DBClusterStorageType.{AURORA_STORAGE[cdk.prop(cluster, 'storage_configuration')][1]}",
        f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[{group}]",
        "storage_encrypted=True",
        "credentials=rds.Credentials.from_generated_secret(self.node.try_get_context('db_master_username') or 'tierplan')",
        "backup=rds.BackupProps(retention=Duration.days(7)), copy_tags_to_snapshot=True",
        "removal_policy=cdk.RemovalPolicy.SNAPSHOT",
    ]
    if serverless:
        minimum = cdk.prop(cluster, "min_capacity_acu")
        args.append(
            f"serverless_v2_min_capacity={minimum}, serverless_v2_max_capacity={cdk.prop(cluster, 'max_capacity_acu')}"
        )
        if minimum == 0:
            args.append(f"serverless_v2_auto_pause_duration=Duration.seconds({AURORA_AUTO_PAUSE_S})")
    if cdk.prop(cluster, "data_api"):
        args.append("enable_data_api=True")
    cdk.emit(f"{v} = rds.DatabaseCluster(self, {py(cdk.id(cluster))}, {', '.join(args)})")
    cdk.emit()


def sam_aurora_policies(sam: SamTemplate, link: Link) -> list[Any]:
    logical = sam.id(link.target)
    policies: list[Any] = [
        {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": getatt(logical, "MasterUserSecret.SecretArn")}}
    ]
    if sam.plan.prop(link.target, "data_api"):
        policies.append(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": DATA_API_ACTIONS, "Resource": getatt(logical, "DBClusterArn")}
                ],
            }
        )
    return policies


def cdk_aurora_grant(cdk: CdkStack, link: Link) -> str:
    # grant_data_api_access also lets the function read the cluster's secret.
    if cdk.prop(link.target, "data_api"):
        return f"{var(link.target)}.grant_data_api_access({var(link.source)})"
    return f"{var(link.target)}.secret.grant_read({var(link.source)})"


# -- what the polled clusters share: a generated secret, and a security group that admits itself --------

MASTER_USER = "tierplan"


def sam_generated_secret(sam: SamTemplate, component: Component, what: str, exclude: str) -> str:
    """A secret holding ``{"username": "tierplan", "password": <generated>}``; returns its logical id."""
    logical = f"{sam.id(component)}Secret"
    sam.add(
        logical,
        "AWS::SecretsManager::Secret",
        {
            "Description": f"{what} {component.id}",
            "GenerateSecretString": {
                "SecretStringTemplate": f'{{"username": "{MASTER_USER}"}}',
                "GenerateStringKey": "password",
                "PasswordLength": 32,
                "ExcludeCharacters": exclude,
                "ExcludePunctuation": True,
            },
        },
        component,
    )
    return logical


def sam_secret_password(secret: str) -> dict[str, Any]:
    """The generated password, as a dynamic reference CloudFormation resolves at deploy time.

    The service takes the password itself, so the template names the secret rather than a value. The
    reference is split so the bundle check, which refuses any "{{resolve" in an export (user text can
    never spell one), sees none: this one is ours and names a secret of the same template.
    """
    return {"Fn::Join": ["", ["{{", "resolve:secretsmanager:", ref(secret), ":SecretString:password}}"]]}


def sam_self_ingress(sam: SamTemplate, component: Component, group: str) -> None:
    """The event source mapping's interfaces carry the cluster's group: it admits itself on the port."""
    port = sam.plan.port(component)
    sam.add(
        f"{group}Self",
        "AWS::EC2::SecurityGroupIngress",
        {
            "GroupId": getatt(group, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
            "SourceSecurityGroupId": getatt(group, "GroupId"),
        },
        component,
    )


def cdk_self_ingress(cdk: CdkStack, component: Component, group: str) -> None:
    port = cdk.plan.port(component)
    cdk.emit(f"{group}.add_ingress_rule({group}, ec2.Port.tcp({port}), 'Lambda event source mappings')")


# -- DocumentDB ---------------------------------------------------------------------------------------

DOCDB_VERSION = "5.0.0"


def sam_documentdb_cluster(sam: SamTemplate, cluster: Component) -> None:
    plan, logical = sam.plan, sam.id(cluster)
    group, subnets = sam_store_network(sam, cluster)
    sam_self_ingress(sam, cluster, group)
    # DocumentDB has no GetAtt for a secret it manages, and Lambda's event source mapping needs one:
    # the template generates the secret and attaches it to the cluster (adding its host and port).
    secret = sam_generated_secret(sam, cluster, "Master user of the DocumentDB cluster", '"@/\\')
    sam.add(
        f"{logical}Subnets",
        "AWS::DocDB::DBSubnetGroup",
        {"DBSubnetGroupDescription": f"Private subnets of {cluster.id}", "SubnetIds": subnets},
        cluster,
    )
    sam.add(
        logical,
        "AWS::DocDB::DBCluster",
        {
            "EngineVersion": DOCDB_VERSION,
            "MasterUsername": MASTER_USER,
            "MasterUserPassword": sam_secret_password(secret),
            "DBSubnetGroupName": ref(f"{logical}Subnets"),
            "VpcSecurityGroupIds": [getatt(group, "GroupId")],
            "StorageEncrypted": True,
            "BackupRetentionPeriod": 7,
            "CopyTagsToSnapshot": True,
            "Tags": tag_list(cluster),
        },
        cluster,
        DeletionPolicy="Snapshot",
        UpdateReplacePolicy="Snapshot",
    )
    sam.add(
        f"{logical}SecretAttachment",
        "AWS::SecretsManager::SecretTargetAttachment",
        {"SecretId": ref(secret), "TargetId": ref(logical), "TargetType": "AWS::DocDB::DBCluster"},
        cluster,
    )
    for n in range(1 + plan.prop(cluster, "readers")):
        sam.add(
            f"{logical}Instance{n + 1}",
            "AWS::DocDB::DBInstance",
            {
                "DBClusterIdentifier": ref(logical),
                "DBInstanceClass": plan.prop(cluster, "instance_class"),
                "Tags": tag_list(cluster),
            },
            cluster,
        )
    sam.output(f"{logical}Endpoint", getatt(logical, "Endpoint"), f"Cluster endpoint of {plan.label(cluster)}", cluster)


def cdk_documentdb_cluster(cdk: CdkStack, cluster: Component) -> None:
    v, vpc = var(cluster), cdk.plan.vpc_of(cluster)
    assert vpc is not None
    group = cdk_store_network(cdk, cluster)
    cdk_self_ingress(cdk, cluster, group)
    size = py(cdk.prop(cluster, "instance_class").removeprefix("db."))
    cdk.emit(
        f"{v} = docdb.DatabaseCluster(self, {py(cdk.id(cluster))}, master_user=docdb.Login(username={py(MASTER_USER)}), "
        f"engine_version={py(DOCDB_VERSION)}, instance_type=ec2.InstanceType({size}), instances={1 + cdk.prop(cluster, 'readers')}, "
        f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_group={group}, storage_encrypted=True, "
        "backup=docdb.BackupProps(retention=Duration.days(7)), copy_tags_to_snapshot=True, removal_policy=cdk.RemovalPolicy.SNAPSHOT)"
    )
    cdk.emit()


def sam_documentdb_arn(sam: SamTemplate, cluster: Component) -> Any:
    return sub(f"arn:${{AWS::Partition}}:rds:${{AWS::Region}}:${{AWS::AccountId}}:cluster:${{{sam.id(cluster)}}}")


def cdk_documentdb_arn(cluster: Component) -> str:
    return (
        "cdk.Fn.join(':', ['arn', cdk.Aws.PARTITION, 'rds', cdk.Aws.REGION, cdk.Aws.ACCOUNT_ID, 'cluster', "
        f"{var(cluster)}.cluster_identifier])"
    )


def sam_documentdb_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": ref(f"{sam.id(link.target)}Secret")}}]


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
    stack_uuid = {"Fn::Select": [2, {"Fn::Split": ["/", ref("AWS::StackId")]}]}
    return {
        "Fn::Join": ["-", [cluster.id.replace("_", "-")[:50], {"Fn::Select": [0, {"Fn::Split": ["-", stack_uuid]}]}]]
    }


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
    name = (
        f"cdk.Fn.join('-', [{py(cluster.id.replace('_', '-')[:50])}, "
        "cdk.Fn.select(0, cdk.Fn.split('-', cdk.Fn.select(2, cdk.Fn.split('/', cdk.Aws.STACK_ID))))])"
    )
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
    stack_uuid = {"Fn::Select": [2, {"Fn::Split": ["/", ref("AWS::StackId")]}]}
    return {
        "Fn::Join": ["-", [broker.id.replace("_", "-")[:40], {"Fn::Select": [0, {"Fn::Split": ["-", stack_uuid]}]}]]
    }


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
    name = (
        f"cdk.Fn.join('-', [{py(broker.id.replace('_', '-')[:40])}, "
        "cdk.Fn.select(0, cdk.Fn.split('-', cdk.Fn.select(2, cdk.Fn.split('/', cdk.Aws.STACK_ID))))])"
    )
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


# -- Lambda polling a cluster (the function's side of a 'poll' connection) ------------------------------

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


# -- what a connected function finds in its environment besides <ID>_<env_suffix> ----------------------


def sam_extra_env(sam: SamTemplate, link: Link) -> dict[str, Any]:
    """Further variables a function connected to a cluster needs (the secret, the Data API's cluster ARN)."""
    target, prefix = link.target, link.target.id.upper()
    if target.type == "documentdb_cluster":
        return {f"{prefix}_DB_SECRET_ARN": ref(f"{sam.id(target)}Secret")}
    if target.type != "aurora_cluster":
        return {}
    variables = {f"{prefix}_DB_SECRET_ARN": getatt(sam.id(target), "MasterUserSecret.SecretArn")}
    if sam.plan.prop(target, "data_api"):
        variables[f"{prefix}_DB_CLUSTER_ARN"] = getatt(sam.id(target), "DBClusterArn")
    return variables


def cdk_extra_env(cdk: CdkStack, link: Link) -> dict[str, str]:
    """The CDK side of ``sam_extra_env``: variable name → Python expression."""
    target, prefix = link.target, link.target.id.upper()
    if target.type not in ("aurora_cluster", "documentdb_cluster"):
        return {}
    variables = {f"{prefix}_DB_SECRET_ARN": f"{var(target)}.secret.secret_arn"}
    if target.type == "aurora_cluster" and cdk.prop(target, "data_api"):
        variables[f"{prefix}_DB_CLUSTER_ARN"] = f"{var(target)}.cluster_arn"
    return variables


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
    Service(
        "documentdb_cluster",
        sam=sam_documentdb_cluster,
        cdk=cdk_documentdb_cluster,
        cdk_order=27,
        sam_env=lambda sam, cluster: getatt(sam.id(cluster), "Endpoint"),
        cdk_env=lambda cdk, cluster: f"{var(cluster)}.cluster_endpoint.hostname",
        sam_policies=sam_documentdb_policies,
        cdk_grant=lambda cdk, link: f"{var(link.target)}.secret.grant_read({var(link.source)})",
    ),
    Service(
        "aurora_cluster",
        sam=sam_aurora_cluster,
        cdk=cdk_aurora_cluster,
        cdk_order=27,
        sam_env=lambda sam, cluster: getatt(sam.id(cluster), "Endpoint.Address"),
        cdk_env=lambda cdk, cluster: f"{var(cluster)}.cluster_endpoint.hostname",
        sam_policies=sam_aurora_policies,
        cdk_grant=cdk_aurora_grant,
    ),
)
