"""Database clusters in a VPC: Aurora (Serverless v2 or provisioned) and DocumentDB.

They live in the private subnets of a VPC group, behind a security group that admits the VPC's functions
on the cluster's port (``stores.sam_store_network``/``cdk_store_network``), and keep their credentials in
Secrets Manager: a connected function gets the endpoint, the secret's ARN and the right to read it.
What the clusters Lambda polls share (a generated secret, a security group that admits itself) is here
too; the brokers (``brokers.py``) use it, and ``polling.py`` writes the function's side of a poll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.services.base import Service
from apps.exporting.services.stores import (
    AURORA_AUTO_PAUSE_S,
    AURORA_VERSIONS,
    cdk_store_network,
    sam_db_subnet_group,
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
    subnet_group = sam_db_subnet_group(sam, cluster, subnets)
    engine, serverless = plan.prop(cluster, "engine"), plan.prop(cluster, "capacity_mode") == "serverless_v2"
    properties: dict[str, Any] = {
        "Engine": engine,
        "EngineVersion": AURORA_VERSIONS[engine][0],
        "StorageType": AURORA_STORAGE[plan.prop(cluster, "storage_configuration")][0],
        "StorageEncrypted": True,
        "MasterUsername": ref("DbMasterUsername"),
        "ManageMasterUserPassword": True,
        "DBSubnetGroupName": subnet_group,
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
    subnet_group = sam_db_subnet_group(sam, cluster, subnets, "AWS::DocDB::DBSubnetGroup")
    sam.add(
        logical,
        "AWS::DocDB::DBCluster",
        {
            "EngineVersion": DOCDB_VERSION,
            "MasterUsername": MASTER_USER,
            "MasterUserPassword": sam_secret_password(secret),
            "DBSubnetGroupName": subnet_group,
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
