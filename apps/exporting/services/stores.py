"""Stores: DynamoDB tables, S3 buckets, RDS databases, ElastiCache clusters, OpenSearch domains.

The stores in a VPC get a security group that admits the VPC's functions on the store's port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import (
    CDK_STACK_UUID_BLOCK,
    bucket_name_expression,
    getatt,
    py,
    ref,
    sub,
    tag_list,
    trust_policy,
    var,
)
from apps.exporting.plan import Plan
from apps.exporting.services import governance
from apps.exporting.services.base import Service, cdk_attribute
from apps.exporting.services.delivery import sam_receive_statement

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

POLICY_SUFFIX = {"read": "Read", "write": "Write", "read_write": "Crud"}
# Aurora engine versions that run Serverless v2 with a minimum of 0 ACU (auto-pause): CloudFormation's
# EngineVersion and aws-cdk-lib's constant. Aurora PostgreSQL 16.3+ and Aurora MySQL 3.08.0+ pause.
AURORA_VERSIONS = {
    "aurora-postgresql": (
        "16.6",
        "rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_6)",
    ),
    "aurora-mysql": (
        "8.0.mysql_aurora.3.08.0",
        "rds.DatabaseClusterEngine.aurora_mysql(version=rds.AuroraMysqlEngineVersion.VER_3_08_0)",
    ),
}
AURORA_AUTO_PAUSE_S = 300  # the shortest pause AWS allows after the last connection
S3_EVENTS = {
    "s3:ObjectCreated:*": "OBJECT_CREATED",
    "s3:ObjectCreated:Put": "OBJECT_CREATED_PUT",
    "s3:ObjectCreated:Post": "OBJECT_CREATED_POST",
    "s3:ObjectCreated:Copy": "OBJECT_CREATED_COPY",
    "s3:ObjectCreated:CompleteMultipartUpload": "OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD",
    "s3:ObjectRemoved:*": "OBJECT_REMOVED",
    "s3:ObjectRemoved:Delete": "OBJECT_REMOVED_DELETE",
}


def sam_db_subnet_group(
    sam: SamTemplate, store: Component, subnets: list[Any], resource_type: str = "AWS::RDS::DBSubnetGroup"
) -> dict[str, Any]:
    """The database's subnet group (RDS's or DocumentDB's, which share the shape); returns a Ref to it."""
    logical = f"{sam.id(store)}Subnets"
    sam.add(
        logical,
        resource_type,
        {"DBSubnetGroupDescription": f"Private subnets of {store.id}", "SubnetIds": subnets},
        store,
    )
    return ref(logical)


def sam_store_network(sam: SamTemplate, store: Component) -> tuple[str, list[Any]]:
    """A security group admitting the VPC's functions on the store's port; returns it and the subnets."""
    plan, logical = sam.plan, sam.id(store)
    vpc = plan.vpc_of(store)
    assert vpc is not None
    vpc_logical = plan.group_ids[vpc.id]
    ingress = []
    if any(c.type == "lambda_function" for c in plan.members(vpc)):
        ingress.append(
            {
                "IpProtocol": "tcp",
                "FromPort": plan.port(store),
                "ToPort": plan.port(store),
                "SourceSecurityGroupId": ref(f"{vpc_logical}FunctionSecurityGroup"),
            }
        )
    sam.add(
        f"{logical}SecurityGroup",
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"{store.type} {store.id}",
            "VpcId": ref(vpc_logical),
            "SecurityGroupIngress": ingress,
        },
        store,
    )
    subnets = [ref(f"{vpc_logical}PrivateSubnet{i + 1}") for i in range(plan.vpc_prop(vpc, "az_count"))]
    return f"{logical}SecurityGroup", subnets


def sam_bucket_name(bucket: Component) -> Any:
    """The bucket's name, built from the stack id rather than read from the bucket.

    A function triggered by a bucket that it also reads would otherwise form a dependency cycle
    (bucket → notification → permission → function → bucket).
    """
    return bucket_name_expression(bucket.id)


def sam_cache_endpoint(sam: SamTemplate, cache: Component) -> Any:
    if sam.plan.prop(cache, "engine") == "memcached":
        return getatt(sam.id(cache), "ConfigurationEndpoint.Address")
    return getatt(sam.id(cache), "PrimaryEndPoint.Address")


def sam_dynamodb_table(sam: SamTemplate, table: Component) -> None:
    plan, logical = sam.plan, sam.id(table)
    keys = [("pk", plan.prop(table, "partition_key"), "HASH")]
    if plan.prop(table, "sort_key"):
        keys.append(("sk", plan.prop(table, "sort_key"), "RANGE"))
    properties: dict[str, Any] = {
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for _, name, _ in keys],
        "KeySchema": [{"AttributeName": name, "KeyType": key_type} for _, name, key_type in keys],
        "PointInTimeRecoverySpecification": {
            "PointInTimeRecoveryEnabled": bool(plan.prop(table, "point_in_time_recovery"))
        },
        "SSESpecification": {"SSEEnabled": True},
        "Tags": tag_list(table),
    }
    if plan.prop(table, "capacity_mode") == "on_demand":
        properties["BillingMode"] = "PAY_PER_REQUEST"
    else:
        properties["BillingMode"] = "PROVISIONED"
        properties["ProvisionedThroughput"] = {
            "ReadCapacityUnits": plan.prop(table, "rcu"),
            "WriteCapacityUnits": plan.prop(table, "wcu"),
        }
    if plan.stream_enabled(table):
        properties["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    sam.add(logical, "AWS::DynamoDB::Table", properties, table, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
    sam.output(f"{logical}Name", ref(logical), f"Table name of {plan.label(table)}", table)


def sam_s3_bucket(sam: SamTemplate, bucket: Component) -> None:
    plan, logical = sam.plan, sam.id(bucket)
    public = bool(plan.prop(bucket, "public_access"))
    encryption = (
        {"SSEAlgorithm": "aws:kms"} if plan.prop(bucket, "encryption") == "SSE-KMS" else {"SSEAlgorithm": "AES256"}
    )
    properties: dict[str, Any] = {
        "BucketName": sam_bucket_name(bucket),
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": encryption}]},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": not public,
            "RestrictPublicBuckets": not public,
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "Tags": tag_list(bucket),
    }
    if plan.prop(bucket, "versioning"):
        properties["VersioningConfiguration"] = {"Status": "Enabled"}
    if plan.prop(bucket, "website"):
        properties["WebsiteConfiguration"] = {"IndexDocument": "index.html", "ErrorDocument": "index.html"}
    origins = [o.strip() for o in (plan.prop(bucket, "cors_origins") or "").split(",") if o.strip()]
    if origins:
        properties["CorsConfiguration"] = {
            "CorsRules": [
                {
                    "AllowedOrigins": origins,
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "MaxAge": 600,
                }
            ]
        }
    queues = [link for link in plan.out(bucket, "trigger") if link.target.type == "sqs_queue"]
    extra: dict[str, Any] = {}
    if queues:
        # S3 checks it may send to each queue when the notification is set: the policies come first.
        properties["NotificationConfiguration"] = {
            "QueueConfigurations": [
                {"Event": link.prop("events"), "Queue": getatt(sam.id(link.target), "Arn"), **s3_key_filter(link)}
                for link in queues
            ]
        }
        extra["DependsOn"] = sorted({f"{sam.id(link.target)}Policy" for link in queues})
    sam.add(
        logical, "AWS::S3::Bucket", properties, bucket, DeletionPolicy="Retain", UpdateReplacePolicy="Retain", **extra
    )
    statements: list[dict[str, Any]] = []
    if public:
        statements.append(
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": sub(f"${{{logical}.Arn}}/*"),
            }
        )
    for link in plan.into(bucket, "origin"):
        statements.append(
            {
                "Sid": f"CloudFront{sam.id(link.source)}",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": sub(f"${{{logical}.Arn}}/*"),
                "Condition": {
                    "StringEquals": {
                        "AWS:SourceArn": sub(
                            f"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{sam.id(link.source)}}}"
                        )
                    }
                },
            }
        )
    for link in plan.into(bucket, "receive"):
        statements.append(sam_receive_statement(sam, link))
    statements += governance.sam_log_bucket_statements(sam, bucket)  # trails that archive to it
    statements.append(
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [getatt(logical, "Arn"), sub(f"${{{logical}.Arn}}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )
    sam.add(
        f"{logical}Policy",
        "AWS::S3::BucketPolicy",
        {"Bucket": ref(logical), "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}},
        bucket,
    )
    sam.output(f"{logical}Name", ref(logical), f"Bucket name of {plan.label(bucket)}", bucket)


def sam_rds_instance(sam: SamTemplate, db: Component) -> None:
    plan, logical = sam.plan, sam.id(db)
    group, subnets = sam_store_network(sam, db)
    sam_master_username(sam)
    sam_db_subnet_group(sam, db, subnets)
    if is_aurora(plan, db):
        sam_aurora_cluster(sam, db, group)
    else:
        properties = {
            "Engine": plan.prop(db, "engine"),
            "DBInstanceClass": plan.prop(db, "instance_class"),
            "AllocatedStorage": str(plan.prop(db, "storage_gb")),
            "StorageType": "gp3",
            "StorageEncrypted": True,
            "MultiAZ": bool(plan.prop(db, "multi_az")),
            "MasterUsername": ref("DbMasterUsername"),
            "ManageMasterUserPassword": True,
            "DBSubnetGroupName": ref(f"{logical}Subnets"),
            "VPCSecurityGroups": [getatt(group, "GroupId")],
            "PubliclyAccessible": False,
            "BackupRetentionPeriod": 7,
            "CopyTagsToSnapshot": True,
            "Tags": tag_list(db),
        }
        sam.add(
            logical, "AWS::RDS::DBInstance", properties, db, DeletionPolicy="Snapshot", UpdateReplacePolicy="Snapshot"
        )
    if plan.prop(db, "rds_proxy"):
        sam.add(
            f"{logical}ProxyRole",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": trust_policy("rds.amazonaws.com"),
                "Policies": [
                    {
                        "PolicyName": "read-db-secret",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "secretsmanager:GetSecretValue",
                                    "Resource": getatt(logical, "MasterUserSecret.SecretArn"),
                                }
                            ],
                        },
                    }
                ],
            },
            db,
        )
        sam.add(
            f"{logical}Proxy",
            "AWS::RDS::DBProxy",
            {
                "DBProxyName": sub(f"${{AWS::StackName}}-{db.id}".replace("_", "-")),
                "EngineFamily": "POSTGRESQL" if "postgres" in plan.prop(db, "engine") else "MYSQL",
                "Auth": [
                    {
                        "AuthScheme": "SECRETS",
                        "SecretArn": getatt(logical, "MasterUserSecret.SecretArn"),
                        "IAMAuth": "DISABLED",
                    }
                ],
                "RoleArn": getatt(f"{logical}ProxyRole", "Arn"),
                "VpcSubnetIds": subnets,
                "VpcSecurityGroupIds": [getatt(group, "GroupId")],
                "RequireTLS": True,
            },
            db,
        )
        sam.add(
            f"{logical}ProxyTargets",
            "AWS::RDS::DBProxyTargetGroup",
            {
                "DBProxyName": ref(f"{logical}Proxy"),
                "TargetGroupName": "default",
                ("DBClusterIdentifiers" if is_aurora(plan, db) else "DBInstanceIdentifiers"): [ref(logical)],
            },
            db,
        )
    sam.output(f"{logical}Endpoint", sam_rds_endpoint(sam, db), f"Database endpoint of {plan.label(db)}", db)


def sam_master_username(sam: SamTemplate) -> None:
    """The template parameter naming the master user of every database (passwords stay in Secrets Manager)."""
    sam.parameters.setdefault(
        "DbMasterUsername",
        {
            "Type": "String",
            "Default": "tierplan",
            "AllowedPattern": "^[A-Za-z][A-Za-z0-9_]{0,15}$",
            "Description": "Master user of the databases (its password is kept in Secrets Manager)",
        },
    )


def is_aurora(plan: Plan, db: Component) -> bool:
    """Aurora Serverless v2 is an engine choice of the database component (a cluster, billed by ACU)."""
    return str(plan.prop(db, "engine")).startswith("aurora-")


def sam_aurora_cluster(sam: SamTemplate, db: Component, group: str) -> None:
    """An Aurora Serverless v2 cluster: a writer of class db.serverless, and a reader in another AZ
    (promotion tier 1, so it scales with the writer) when the database is Multi-AZ."""
    plan, logical = sam.plan, sam.id(db)
    engine = plan.prop(db, "engine")
    minimum = plan.prop(db, "min_capacity_acu")
    scaling: dict[str, Any] = {"MinCapacity": minimum, "MaxCapacity": plan.prop(db, "max_capacity_acu")}
    if minimum == 0:
        scaling["SecondsUntilAutoPause"] = AURORA_AUTO_PAUSE_S
    properties: dict[str, Any] = {
        "Engine": engine,
        "EngineVersion": AURORA_VERSIONS[engine][0],
        "ServerlessV2ScalingConfiguration": scaling,
        "StorageEncrypted": True,
        "MasterUsername": ref("DbMasterUsername"),
        "ManageMasterUserPassword": True,
        "DBSubnetGroupName": ref(f"{logical}Subnets"),
        "VpcSecurityGroupIds": [getatt(group, "GroupId")],
        "BackupRetentionPeriod": 7,
        "CopyTagsToSnapshot": True,
        "Tags": tag_list(db),
    }
    sam.add(logical, "AWS::RDS::DBCluster", properties, db, DeletionPolicy="Snapshot", UpdateReplacePolicy="Snapshot")
    instances = [("Writer", 0)] + ([("Reader", 1)] if plan.prop(db, "multi_az") else [])
    for name, tier in instances:
        sam.add(
            f"{logical}{name}",
            "AWS::RDS::DBInstance",
            {
                "Engine": engine,
                "DBClusterIdentifier": ref(logical),
                "DBInstanceClass": "db.serverless",
                "PromotionTier": tier,
                "PubliclyAccessible": False,
                "Tags": tag_list(db),
            },
            db,
        )


def sam_elasticache_cluster(sam: SamTemplate, cache: Component) -> None:
    plan, logical = sam.plan, sam.id(cache)
    group, subnets = sam_store_network(sam, cache)
    sam.add(
        f"{logical}Subnets",
        "AWS::ElastiCache::SubnetGroup",
        {"Description": f"Private subnets of {cache.id}", "SubnetIds": subnets},
        cache,
    )
    engine, nodes = plan.prop(cache, "engine"), plan.prop(cache, "nodes")
    if engine == "memcached":
        properties: dict[str, Any] = {
            "Engine": "memcached",
            "CacheNodeType": plan.prop(cache, "node_type"),
            "NumCacheNodes": nodes,
            "CacheSubnetGroupName": ref(f"{logical}Subnets"),
            "VpcSecurityGroupIds": [getatt(group, "GroupId")],
            "Tags": tag_list(cache),
        }
        sam.add(logical, "AWS::ElastiCache::CacheCluster", properties, cache)
    else:
        properties = {
            "ReplicationGroupDescription": plan.label(cache),
            "Engine": engine,
            "CacheNodeType": plan.prop(cache, "node_type"),
            "NumCacheClusters": nodes,
            "AutomaticFailoverEnabled": nodes > 1,
            "MultiAZEnabled": nodes > 1,
            "CacheSubnetGroupName": ref(f"{logical}Subnets"),
            "SecurityGroupIds": [getatt(group, "GroupId")],
            "AtRestEncryptionEnabled": True,
            "TransitEncryptionEnabled": True,
            "Tags": tag_list(cache),
        }
        sam.add(logical, "AWS::ElastiCache::ReplicationGroup", properties, cache)
    sam.output(f"{logical}Endpoint", sam_cache_endpoint(sam, cache), f"Cache endpoint of {plan.label(cache)}", cache)


def sam_opensearch_domain(sam: SamTemplate, domain: Component) -> None:
    plan, logical = sam.plan, sam.id(domain)
    count = plan.prop(domain, "instance_count")
    vpc = plan.vpc_of(domain)
    zone_aware = count > 1 and count % 2 == 0 and (vpc is None or plan.vpc_prop(vpc, "az_count") >= 2)
    cluster: dict[str, Any] = {
        "InstanceType": plan.prop(domain, "instance_type"),
        "InstanceCount": count,
        "ZoneAwarenessEnabled": zone_aware,
    }
    if zone_aware:
        cluster["ZoneAwarenessConfig"] = {"AvailabilityZoneCount": 2}
    properties: dict[str, Any] = {
        "EngineVersion": "OpenSearch_2.13",
        "ClusterConfig": cluster,
        "EBSOptions": {"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": plan.prop(domain, "storage_gb")},
        "EncryptionAtRestOptions": {"Enabled": True},
        "NodeToNodeEncryptionOptions": {"Enabled": True},
        "DomainEndpointOptions": {"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
        "AccessPolicies": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                    "Action": "es:*",
                    "Resource": sub("arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/*"),
                }
            ],
        },
        "Tags": tag_list(domain),
    }
    if vpc is not None:
        group, subnets = sam_store_network(sam, domain)
        properties["VPCOptions"] = {
            "SubnetIds": subnets[: 2 if zone_aware else 1],
            "SecurityGroupIds": [getatt(group, "GroupId")],
        }
    sam.add(
        logical,
        "AWS::OpenSearchService::Domain",
        properties,
        domain,
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    sam.output(
        f"{logical}Endpoint", getatt(logical, "DomainEndpoint"), f"Search endpoint of {plan.label(domain)}", domain
    )


def cdk_store_network(cdk: CdkStack, store: Component) -> str:
    vpc = cdk.plan.vpc_of(store)
    assert vpc is not None
    group = f"{var(store)}_sg"
    cdk.emit(
        f"{group} = ec2.SecurityGroup(self, {py(cdk.id(store) + 'SecurityGroup')}, vpc=g_{vpc.id}, description={py(f'{store.type} {store.id}')})"
    )
    if any(c.type == "lambda_function" for c in cdk.plan.members(vpc)):
        cdk.emit(
            f"{group}.add_ingress_rule(g_{vpc.id}_functions, ec2.Port.tcp({cdk.plan.port(store)}), 'functions of the VPC')"
        )
    return group


def cdk_bucket_name(bucket: Component) -> str:
    # The same stack-derived name as the SAM export (unique per stack, and no dependency cycle when
    # a function triggered by the bucket also reads it).
    prefix = py(bucket.id.replace("_", "-")[:30])
    return f"cdk.Fn.join('-', [{prefix}, cdk.Aws.ACCOUNT_ID, {CDK_STACK_UUID_BLOCK}])"


def cdk_dynamodb_table(cdk: CdkStack, table: Component) -> None:
    v, provisioned = var(table), cdk.prop(table, "capacity_mode") == "provisioned"
    args = [
        f"partition_key=dynamodb.Attribute(name={py(cdk.prop(table, 'partition_key'))}, type=dynamodb.AttributeType.STRING)",
        f"billing_mode=dynamodb.BillingMode.{'PROVISIONED' if provisioned else 'PAY_PER_REQUEST'}",
        f"point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled={bool(cdk.prop(table, 'point_in_time_recovery'))})",
        "encryption=dynamodb.TableEncryption.AWS_MANAGED",
        "removal_policy=cdk.RemovalPolicy.RETAIN",
    ]
    if cdk.prop(table, "sort_key"):
        args.append(
            f"sort_key=dynamodb.Attribute(name={py(cdk.prop(table, 'sort_key'))}, type=dynamodb.AttributeType.STRING)"
        )
    if provisioned:
        args.append(f"read_capacity={cdk.prop(table, 'rcu')}, write_capacity={cdk.prop(table, 'wcu')}")
    if cdk.plan.stream_enabled(table):
        args.append("stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES")
    cdk.emit(f"{v} = dynamodb.Table(self, {py(cdk.id(table))}, {', '.join(args)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(table) + 'Name')}, value={v}.table_name)")
    cdk.emit()


def cdk_s3_bucket(cdk: CdkStack, bucket: Component) -> None:
    v, public = var(bucket), bool(cdk.prop(bucket, "public_access"))
    args = [
        f"bucket_name={cdk_bucket_name(bucket)}",
        f"encryption=s3.BucketEncryption.{'KMS_MANAGED' if cdk.prop(bucket, 'encryption') == 'SSE-KMS' else 'S3_MANAGED'}",
        "enforce_ssl=True",
        "object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED",
        "removal_policy=cdk.RemovalPolicy.RETAIN",
    ]
    if public:
        args += [
            "public_read_access=True",
            "block_public_access=s3.BlockPublicAccess(block_public_acls=True, ignore_public_acls=True, block_public_policy=False, restrict_public_buckets=False)",
        ]
    else:
        args.append("block_public_access=s3.BlockPublicAccess.BLOCK_ALL")
    if cdk.prop(bucket, "versioning"):
        args.append("versioned=True")
    if cdk.prop(bucket, "website"):
        args.append('website_index_document="index.html", website_error_document="index.html"')
    origins = [o.strip() for o in (cdk.prop(bucket, "cors_origins") or "").split(",") if o.strip()]
    if origins:
        args.append(
            f"cors=[s3.CorsRule(allowed_origins={py(origins)}, allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD], allowed_headers=['*'], max_age=600)]"
        )
    cdk.emit(f"{v} = s3.Bucket(self, {py(cdk.id(bucket))}, {', '.join(args)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(bucket) + 'Name')}, value={v}.bucket_name)")
    cdk.emit()


def cdk_rds_instance(cdk: CdkStack, db: Component) -> None:
    v, vpc = var(db), cdk.plan.vpc_of(db)
    assert vpc is not None
    group = cdk_store_network(cdk, db)
    credentials = "rds.Credentials.from_generated_secret(self.node.try_get_context('db_master_username') or 'tierplan')"
    if is_aurora(cdk.plan, db):
        readers = (
            "readers=[rds.ClusterInstance.serverless_v2('reader', scale_with_writer=True)], "
            if cdk.prop(db, "multi_az")
            else ""
        )
        minimum = cdk.prop(db, "min_capacity_acu")
        pause = f"serverless_v2_auto_pause_duration=Duration.seconds({AURORA_AUTO_PAUSE_S}), " if minimum == 0 else ""
        cdk.emit(
            f"{v} = rds.DatabaseCluster(self, {py(cdk.id(db))}, engine={AURORA_VERSIONS[cdk.prop(db, 'engine')][1]}, "
            f"writer=rds.ClusterInstance.serverless_v2('writer'), {readers}"
            f"serverless_v2_min_capacity={minimum}, serverless_v2_max_capacity={cdk.prop(db, 'max_capacity_acu')}, {pause}"
            f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[{group}], storage_encrypted=True, "
            f"credentials={credentials}, backup=rds.BackupProps(retention=Duration.days(7)), copy_tags_to_snapshot=True, "
            "removal_policy=cdk.RemovalPolicy.SNAPSHOT)"
        )
        cdk_database_proxy(cdk, db, group)
        return
    engine = {"postgres": "POSTGRES", "mysql": "MYSQL", "mariadb": "MARIADB"}[cdk.prop(db, "engine")]
    family, size = cdk.prop(db, "instance_class").split(".")[1:]
    cdk.emit(
        f"{v} = rds.DatabaseInstance(self, {py(cdk.id(db))}, engine=rds.DatabaseInstanceEngine.{engine}, "
        f"instance_type=ec2.InstanceType.of(ec2.InstanceClass.{family.upper()}, ec2.InstanceSize.{size.upper()}), "
        f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[{group}], "
        f"allocated_storage={cdk.prop(db, 'storage_gb')}, storage_type=rds.StorageType.GP3, storage_encrypted=True, "
        f"multi_az={bool(cdk.prop(db, 'multi_az'))}, credentials={credentials}, "
        "backup_retention=Duration.days(7), copy_tags_to_snapshot=True, publicly_accessible=False, removal_policy=cdk.RemovalPolicy.SNAPSHOT)"
    )
    cdk_database_proxy(cdk, db, group)


def cdk_database_proxy(cdk: CdkStack, db: Component, group: str) -> None:
    v, vpc = var(db), cdk.plan.vpc_of(db)
    assert vpc is not None
    if cdk.prop(db, "rds_proxy"):
        cdk.emit(
            f"{v}_proxy = {v}.add_proxy('Proxy', secrets=[{v}.secret], vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[{group}], require_tls=True)"
        )
    cdk.emit()


def cdk_elasticache_cluster(cdk: CdkStack, cache: Component) -> None:
    v, vpc = var(cache), cdk.plan.vpc_of(cache)
    assert vpc is not None
    group = cdk_store_network(cdk, cache)
    logical, nodes = cdk.id(cache), cdk.prop(cache, "nodes")
    cdk.emit(
        f"{v}_subnets = elasticache.CfnSubnetGroup(self, {py(logical + 'Subnets')}, description={py('Private subnets of ' + cache.id)}, subnet_ids=g_{vpc.id}.select_subnets(subnet_group_name='private').subnet_ids)"
    )
    if cdk.prop(cache, "engine") == "memcached":
        cdk.emit(
            f"{v} = elasticache.CfnCacheCluster(self, {py(logical)}, engine='memcached', cache_node_type={py(cdk.prop(cache, 'node_type'))}, "
            f"num_cache_nodes={nodes}, cache_subnet_group_name={v}_subnets.ref, vpc_security_group_ids=[{group}.security_group_id])"
        )
        cdk.emit(f"{v}_endpoint = {v}.attr_configuration_endpoint_address")
    else:
        cdk.emit(
            f"{v} = elasticache.CfnReplicationGroup(self, {py(logical)}, replication_group_description={py(cdk.plan.label(cache))}, "
            f"engine={py(cdk.prop(cache, 'engine'))}, cache_node_type={py(cdk.prop(cache, 'node_type'))}, num_cache_clusters={nodes}, "
            f"automatic_failover_enabled={nodes > 1}, multi_az_enabled={nodes > 1}, cache_subnet_group_name={v}_subnets.ref, "
            f"security_group_ids=[{group}.security_group_id], at_rest_encryption_enabled=True, transit_encryption_enabled=True)"
        )
        cdk.emit(f"{v}_endpoint = {v}.attr_primary_end_point_address")
    cdk.emit()


def cdk_opensearch_domain(cdk: CdkStack, domain: Component) -> None:
    v, plan = var(domain), cdk.plan
    count, vpc = cdk.prop(domain, "instance_count"), plan.vpc_of(domain)
    zone_aware = count > 1 and count % 2 == 0 and (vpc is None or plan.vpc_prop(vpc, "az_count") >= 2)
    args = [
        "version=opensearch.EngineVersion.OPENSEARCH_2_13",
        f"capacity=opensearch.CapacityConfig(data_nodes={count}, data_node_instance_type={py(cdk.prop(domain, 'instance_type'))}, multi_az_with_standby_enabled=False)",
        f"ebs=opensearch.EbsOptions(volume_size={cdk.prop(domain, 'storage_gb')}, volume_type=ec2.EbsDeviceVolumeType.GP3)",
        "encryption_at_rest=opensearch.EncryptionAtRestOptions(enabled=True)",
        "node_to_node_encryption=True",
        "enforce_https=True",
        "tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2",
        "removal_policy=cdk.RemovalPolicy.RETAIN",
        "access_policies=[iam.PolicyStatement(principals=[iam.AccountRootPrincipal()], actions=['es:*'], resources=['*'])]",
    ]
    if zone_aware:
        args.append("zone_awareness=opensearch.ZoneAwarenessConfig(enabled=True, availability_zone_count=2)")
    if vpc is not None:
        group = cdk_store_network(cdk, domain)
        selection = f"ec2.SubnetSelection(subnets=g_{vpc.id}.select_subnets(subnet_group_name='private').subnets[:{2 if zone_aware else 1}])"
        args.append(f"vpc=g_{vpc.id}, vpc_subnets=[{selection}], security_groups=[{group}]")
    cdk.emit(f"{v} = opensearch.Domain(self, {py(cdk.id(domain))}, {', '.join(args)})")
    cdk.emit()


# -- what a connected function finds in its environment and may do -----------------------------------


def s3_key_filter(link: Link) -> dict[str, Any]:
    """The Filter of an S3 notification for a trigger's prefix and suffix (nothing when neither is set)."""
    rules = [{"Name": name, "Value": link.prop(name)} for name in ("prefix", "suffix") if link.prop(name)]
    return {"Filter": {"S3Key": {"Rules": rules}}} if rules else {}


def cdk_bucket_wiring(cdk: CdkStack, bucket: Component) -> None:
    """Notifications to queues (functions subscribe themselves with an S3 event source)."""
    links = [link for link in cdk.plan.out(bucket, "trigger") if link.target.type == "sqs_queue"]
    for link in links:
        filters = ", ".join(f"{name}={py(link.prop(name))}" for name in ("prefix", "suffix") if link.prop(name))
        key_filter = f", s3.NotificationKeyFilter({filters})" if filters else ""
        event = S3_EVENTS.get(link.prop("events"), "OBJECT_CREATED")
        cdk.emit(
            f"{var(bucket)}.add_event_notification(s3.EventType.{event}, s3n.SqsDestination({var(link.target)}){key_filter})"
        )
    if links:
        cdk.emit()


def sam_rds_endpoint(sam: SamTemplate, db: Component) -> Any:
    """The proxy's endpoint, else the instance's or (Aurora) the cluster's writer endpoint."""
    logical = sam.id(db)
    if sam.plan.prop(db, "rds_proxy"):
        return getatt(f"{logical}Proxy", "Endpoint")
    return getatt(logical, "Endpoint.Address")


def cdk_rds_endpoint(cdk: CdkStack, db: Component) -> str:
    if cdk.prop(db, "rds_proxy"):
        return f"{var(db)}_proxy.endpoint"
    return (
        f"{var(db)}.cluster_endpoint.hostname" if is_aurora(cdk.plan, db) else f"{var(db)}.db_instance_endpoint_address"
    )


def sam_table_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{f"DynamoDB{POLICY_SUFFIX[link.kind]}Policy": {"TableName": ref(sam.id(link.target))}}]


def sam_bucket_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{f"S3{POLICY_SUFFIX[link.kind]}Policy": {"BucketName": sam_bucket_name(link.target)}}]


def sam_database_policies(sam: SamTemplate, link: Link) -> list[Any]:
    secret = getatt(sam.id(link.target), "MasterUserSecret.SecretArn")
    return [{"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": secret}}]


def sam_search_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"ElasticsearchHttpPostPolicy": {"DomainName": ref(sam.id(link.target))}}]


def cdk_table_grant(cdk: CdkStack, link: Link) -> str:
    method = {"read": "read_data", "write": "write_data", "read_write": "read_write_data"}[link.kind]
    return f"{var(link.target)}.grant_{method}({var(link.source)})"


def cdk_bucket_grant(cdk: CdkStack, link: Link) -> str:
    method = {"read": "read", "write": "put", "read_write": "read_write"}[link.kind]
    return f"{var(link.target)}.grant_{method}({var(link.source)})"


def cdk_search_grant(cdk: CdkStack, link: Link) -> str:
    method = {"read": "read", "write": "write", "read_write": "read_write"}[link.kind]
    return f"{var(link.target)}.grant_{method}({var(link.source)})"


def cdk_database_grant(cdk: CdkStack, link: Link) -> str:
    return f"{var(link.target)}.secret.grant_read({var(link.source)})"


def cdk_cache_endpoint(cdk: CdkStack, cache: Component) -> str:
    return f"{var(cache)}_endpoint"


SERVICES = (
    Service(
        "dynamodb_table",
        sam=sam_dynamodb_table,
        cdk=cdk_dynamodb_table,
        cdk_order=20,
        cdk_env=cdk_attribute("table_name"),
        sam_policies=sam_table_policies,
        cdk_grant=cdk_table_grant,
    ),
    Service(
        "s3_bucket",
        sam=sam_s3_bucket,
        cdk=cdk_s3_bucket,
        cdk_order=21,
        sam_env=lambda sam, bucket: sam_bucket_name(bucket),
        cdk_env=cdk_attribute("bucket_name"),
        sam_policies=sam_bucket_policies,
        cdk_grant=cdk_bucket_grant,
        cdk_wiring=cdk_bucket_wiring,
    ),
    Service(
        "rds_instance",
        sam=sam_rds_instance,
        cdk=cdk_rds_instance,
        cdk_order=27,
        sam_env=sam_rds_endpoint,
        cdk_env=cdk_rds_endpoint,
        sam_policies=sam_database_policies,
        cdk_grant=cdk_database_grant,
    ),
    # Reached over the network only: the security group is the permission.
    Service(
        "elasticache_cluster",
        sam=sam_elasticache_cluster,
        cdk=cdk_elasticache_cluster,
        cdk_order=28,
        sam_env=sam_cache_endpoint,
        cdk_env=cdk_cache_endpoint,
    ),
    Service(
        "opensearch_domain",
        sam=sam_opensearch_domain,
        cdk=cdk_opensearch_domain,
        cdk_order=29,
        sam_env=lambda sam, domain: getatt(sam.id(domain), "DomainEndpoint"),
        cdk_env=cdk_attribute("domain_endpoint"),
        sam_policies=sam_search_policies,
        cdk_grant=cdk_search_grant,
    ),
)
