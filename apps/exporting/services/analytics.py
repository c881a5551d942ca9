"""Data, search and analytics: Amazon Kendra indexes and AWS Glue Data Catalog databases with the buckets
they crawl, Amazon Aurora DSQL clusters, and the Amazon ECR repositories container workloads pull from.

A Kendra index writes its logs and metrics with a role of its own; each 'crawl' connection to a bucket is
an S3 data source of the index, with a role that may read that bucket (under the connection's prefix)
and put documents into that index, and nothing else. A function (or an ECS task, a Batch job) that
'read's an index may query it and retrieve passages from it; it finds the index id in its environment.
A Glue database's 'crawl' connections are crawlers that write the tables they find into it, each with a
role holding AWS's AWSGlueServiceRole policy and read access to its bucket; a function that reads from
or writes to the database may read, or also change, its tables' definitions. A function connected to an
Aurora DSQL cluster may connect to it (with an IAM authentication token) and finds its endpoint in its
environment. Both exports are built from one description of each resource, as for pipes and IoT rules.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service, cdk_allow, cdk_attribute
from apps.exporting.services.events import Code, literal, source_account_trust

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

KENDRA = "kendra.amazonaws.com"
QUERY_ACTIONS = ["kendra:Query", "kendra:Retrieve"]
INGEST_ACTIONS = ["kendra:BatchPutDocument", "kendra:BatchDeleteDocument"]
LOG_GROUP = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/kendra/*"


# -- Amazon Kendra ----------------------------------------------------------------------------------------


def index_statements() -> list[dict[str, Any]]:
    """What an index's role allows (AWS: "IAM roles for indexes"): its metrics and its log group."""
    return [
        {
            "Effect": "Allow",
            "Action": ["cloudwatch:PutMetricData"],
            "Resource": ["*"],
            "Condition": {"StringEquals": {"cloudwatch:namespace": "AWS/Kendra"}},
        },
        {"Effect": "Allow", "Action": ["logs:DescribeLogGroups"], "Resource": ["*"]},
        {"Effect": "Allow", "Action": ["logs:CreateLogGroup"], "Resource": [sub(LOG_GROUP)]},
        {
            "Effect": "Allow",
            "Action": ["logs:DescribeLogStreams", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [sub(LOG_GROUP + ":log-stream:*")],
        },
    ]


def bucket_read_statements(bucket_arn: Any, objects_arn: Any) -> list[dict[str, Any]]:
    """List a bucket and read its objects (under a crawl connection's prefix): what a crawler needs of it."""
    return [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [objects_arn]},
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket_arn]},
    ]


def data_source_statements(bucket_arn: Any, objects_arn: Any, index_arn: Any) -> list[dict[str, Any]]:
    """What a Kendra data source's role allows: read the bucket, put its documents into the index."""
    return [
        *bucket_read_statements(bucket_arn, objects_arn),
        {"Effect": "Allow", "Action": INGEST_ACTIONS, "Resource": [index_arn]},
    ]


def data_source_properties(link: Link, bucket_name: Any) -> dict[str, Any]:
    s3: dict[str, Any] = {"BucketName": bucket_name}
    if link.prop("prefix"):
        s3["InclusionPrefixes"] = [link.prop("prefix")]
    properties: dict[str, Any] = {"Type": "S3", "DataSourceConfiguration": {"S3Configuration": s3}}
    if link.prop("schedule"):
        properties["Schedule"] = link.prop("schedule")
    return properties


def crawled(plan: Plan, index: Component) -> list[Link]:
    return plan.out(index, "crawl")


def name_of(logical: str, suffix: str = "") -> Any:
    return sub(f"${{AWS::StackName}}-{logical}{suffix}")


def sam_role(sam: SamTemplate, logical: str, statements: list[dict[str, Any]], component: Component) -> None:
    sam.add(
        logical,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": source_account_trust(KENDRA),
            "Policies": [
                {"PolicyName": "kendra", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
            ],
        },
        component,
    )


def sam_kendra_index(sam: SamTemplate, index: Component) -> None:
    plan, logical = sam.plan, sam.id(index)
    sam_role(sam, f"{logical}Role", index_statements(), index)
    sam.add(
        logical,
        "AWS::Kendra::Index",
        {
            "Name": name_of(logical),
            "Edition": plan.prop(index, "edition"),
            "RoleArn": getatt(f"{logical}Role", "Arn"),
            "Tags": tag_list(index),
        },
        index,
    )
    for link in crawled(plan, index):
        bucket = sam.id(link.target)
        source = f"{logical}{bucket}DataSource"
        statements = data_source_statements(
            getatt(bucket, "Arn"), sub(f"${{{bucket}.Arn}}/{link.prop('prefix') or ''}*"), getatt(logical, "Arn")
        )
        sam_role(sam, f"{source}Role", statements, index)
        sam.add(
            source,
            "AWS::Kendra::DataSource",
            {
                "Name": name_of(logical, f"-{bucket}"),
                "IndexId": getatt(logical, "Id"),
                "RoleArn": getatt(f"{source}Role", "Arn"),
                **data_source_properties(link, ref(bucket)),
                "Tags": tag_list(index),
            },
            index,
        )
    sam.output(f"{logical}Id", getatt(logical, "Id"), f"Kendra index of {plan.label(index)}", index)


def cdk_role(cdk: CdkStack, role: str, logical: str, statements: list[dict[str, Any]]) -> None:
    cdk.emit(
        f"{role} = iam.Role(self, {py(logical)}, assumed_by=iam.ServicePrincipal({py(KENDRA)}, "
        "conditions={'StringEquals': {'aws:SourceAccount': cdk.Aws.ACCOUNT_ID}}))"
    )
    for entry in statements:
        conditions = f", conditions={literal(entry['Condition'])}" if "Condition" in entry else ""
        cdk.emit(
            f"{role}.add_to_policy(iam.PolicyStatement(actions={py(entry['Action'])}, "
            f"resources={literal(entry['Resource'])}{conditions}))"
        )


PSEUDO = {
    "AWS::Partition": "PARTITION",
    "AWS::Region": "REGION",
    "AWS::AccountId": "ACCOUNT_ID",
    "AWS::StackName": "STACK_NAME",
}


def cdk_pseudo(template: str) -> Code:
    """An Fn::Sub template of ours naming pseudo parameters only, as a CDK string expression (the generated
    code holds no ``${…}``: nothing in it can be mistaken for a substitution of user text)."""
    parts = re.split(r"\$\{([^}]+)\}", template)
    terms = [py(part) if i % 2 == 0 else f"cdk.Aws.{PSEUDO[part]}" for i, part in enumerate(parts) if part]
    return Code(" + ".join(terms))


def cdk_sub(value: Any) -> Any:
    """Our Fn::Sub values (of pseudo parameters only) as CDK code."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return cdk_pseudo(value["Fn::Sub"])
    if isinstance(value, list):
        return [cdk_sub(item) for item in value]
    if isinstance(value, dict):
        return {key: cdk_sub(item) for key, item in value.items()}
    return value


def cdk_kendra_index(cdk: CdkStack, index: Component) -> None:
    plan, v, logical = cdk.plan, var(index), cdk.id(index)
    tag = {"key": "tierplan:component", "value": index.id}
    cdk_role(cdk, f"{v}_role", f"{logical}Role", cdk_sub(index_statements()))
    cdk.emit(
        f"{v} = cdk.aws_kendra.CfnIndex(self, {py(logical)}, edition={py(plan.prop(index, 'edition'))}, "
        f"name=cdk.Aws.STACK_NAME + {py('-' + logical)}, role_arn={v}_role.role_arn, "
        f"tags=[cdk.CfnTag(**{py(tag)})])"
    )
    cdk.emit(f"{v}.node.add_dependency({v}_role)")  # Kendra checks its role when it creates the index
    for link in crawled(plan, index):
        b, bucket = var(link.target), cdk.id(link.target)
        source, source_logical = f"{v}_{b}_source", f"{logical}{bucket}DataSource"
        statements = data_source_statements(
            Code(f"{b}.bucket_arn"),
            Code(f"{b}.arn_for_objects({py((link.prop('prefix') or '') + '*')})"),
            Code(f"{v}.attr_arn"),
        )
        cdk_role(cdk, f"{source}_role", f"{source_logical}Role", statements)
        properties = data_source_properties(link, Code(f"{b}.bucket_name"))
        cdk.emit(
            f"{source} = cdk.aws_kendra.CfnDataSource(self, {py(source_logical)}, "
            f"name=cdk.Aws.STACK_NAME + {py('-' + logical + '-' + bucket)}, index_id={v}.attr_id, "
            f"type='S3', role_arn={source}_role.role_arn, tags=[cdk.CfnTag(**{py(tag)})])"
        )
        cdk.emit(f"{source}.node.add_dependency({source}_role)")
        for name, value in properties.items():
            if name != "Type":
                cdk.emit(f"{source}.add_property_override({py(name)}, {literal(value)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Id')}, value={v}.attr_id)")
    cdk.emit()


def sam_query_policies(sam: SamTemplate, link: Link) -> list[Any]:
    """Query the index and retrieve passages from it, and nothing else."""
    arn = getatt(sam.id(link.target), "Arn")
    return [{"Statement": [{"Effect": "Allow", "Action": QUERY_ACTIONS, "Resource": [arn]}]}]


def cdk_query_grant(cdk: CdkStack, link: Link) -> str:
    return cdk_allow(var(link.source), QUERY_ACTIONS, [f"{var(link.target)}.attr_arn"])


# -- AWS Glue Data Catalog -----------------------------------------------------------------------------------

GLUE = "glue.amazonaws.com"
GLUE_SERVICE_ROLE = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSGlueServiceRole"
CATALOG_READ = [
    "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions",
    "glue:BatchGetPartition",
]  # fmt: skip
CATALOG_WRITE = [
    "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:BatchDeleteTable", "glue:CreatePartition",
    "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition",
]  # fmt: skip
GLUE_ARN = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}"


def crawler_properties(link: Link, database: Any, path: Any, role: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "Role": role,
        "DatabaseName": database,
        "Targets": {"S3Targets": [{"Path": path}]},
        "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"},
    }
    if link.prop("schedule"):
        properties["Schedule"] = {"ScheduleExpression": link.prop("schedule")}
    return properties


def sam_glue_database(sam: SamTemplate, database: Component) -> None:
    plan, logical = sam.plan, sam.id(database)
    sam.add(
        logical,
        "AWS::Glue::Database",
        {
            "CatalogId": ref("AWS::AccountId"),
            "DatabaseInput": {"Name": database.id, "Description": plan.label(database)},
        },
        database,
    )
    for link in crawled(plan, database):
        bucket, prefix = sam.id(link.target), link.prop("prefix") or ""
        crawler = f"{logical}{bucket}Crawler"
        sam.add(
            f"{crawler}Role",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": source_account_trust(GLUE),
                "ManagedPolicyArns": [sub(GLUE_SERVICE_ROLE)],
                "Policies": [
                    {
                        "PolicyName": "crawl",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": bucket_read_statements(
                                getatt(bucket, "Arn"), sub(f"${{{bucket}.Arn}}/{prefix}*")
                            ),
                        },
                    }
                ],
            },
            database,
        )
        properties = crawler_properties(
            link, ref(logical), sub(f"s3://${{{bucket}}}/{prefix}"), getatt(f"{crawler}Role", "Arn")
        )
        sam.add(crawler, "AWS::Glue::Crawler", {**properties, "Tags": dict(tag_pairs(database))}, database)
    sam.output(f"{logical}Name", ref(logical), f"Glue database of {plan.label(database)}", database)


def tag_pairs(component: Component) -> list[tuple[str, str]]:
    return [(tag["Key"], tag["Value"]) for tag in tag_list(component)]


def cdk_glue_database(cdk: CdkStack, database: Component) -> None:
    plan, v, logical = cdk.plan, var(database), cdk.id(database)
    cdk.emit(
        f"{v} = cdk.aws_glue.CfnDatabase(self, {py(logical)}, catalog_id=cdk.Aws.ACCOUNT_ID, "
        f"database_input=cdk.aws_glue.CfnDatabase.DatabaseInputProperty(name={py(database.id)}, "
        f"description={py(plan.label(database))}))"
    )
    for link in crawled(plan, database):
        b, bucket, prefix = var(link.target), cdk.id(link.target), link.prop("prefix") or ""
        crawler, crawler_logical = f"{v}_{b}_crawler", f"{logical}{bucket}Crawler"
        cdk.emit(
            f"{crawler}_role = iam.Role(self, {py(crawler_logical + 'Role')}, assumed_by=iam.ServicePrincipal({py(GLUE)}, "
            "conditions={'StringEquals': {'aws:SourceAccount': cdk.Aws.ACCOUNT_ID}}), "
            "managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name('service-role/AWSGlueServiceRole')])"
        )
        for entry in bucket_read_statements(Code(f"{b}.bucket_arn"), Code(f"{b}.arn_for_objects({py(prefix + '*')})")):
            cdk.emit(
                f"{crawler}_role.add_to_policy(iam.PolicyStatement(actions={py(entry['Action'])}, "
                f"resources={literal(entry['Resource'])}))"
            )
        properties = crawler_properties(
            link,
            Code(f"{v}.ref"),
            Code(f"'s3://' + {b}.bucket_name + {py('/' + prefix)}"),
            Code(f"{crawler}_role.role_arn"),
        )
        cdk.emit(
            f"{crawler} = cdk.aws_glue.CfnCrawler(self, {py(crawler_logical)}, role={crawler}_role.role_arn, "
            f"targets=cdk.aws_glue.CfnCrawler.TargetsProperty(), tags={py(dict(tag_pairs(database)))})"
        )
        cdk.emit(f"{crawler}.node.add_dependency({crawler}_role)")
        for name, value in properties.items():
            if name != "Role":
                cdk.emit(f"{crawler}.add_property_override({py(name)}, {literal(value)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Name')}, value={v}.ref)")
    cdk.emit()


def catalog_actions(link: Link) -> list[str]:
    return (
        CATALOG_READ
        if link.kind == "read"
        else CATALOG_READ + CATALOG_WRITE
        if link.kind == "read_write"
        else CATALOG_WRITE
    )


def sam_catalog_policies(sam: SamTemplate, link: Link) -> list[Any]:
    """Read (or change) the definitions of this database's tables, and nothing else."""
    name = link.target.id
    resources = [
        sub(f"{GLUE_ARN}:catalog"),
        sub(f"{GLUE_ARN}:database/{name}"),
        sub(f"{GLUE_ARN}:table/{name}/*"),
    ]
    return [{"Statement": [{"Effect": "Allow", "Action": catalog_actions(link), "Resource": resources}]}]


def cdk_catalog_grant(cdk: CdkStack, link: Link) -> str:
    name, stack = link.target.id, "cdk.Stack.of(self)"
    resources = [
        f"{stack}.format_arn(service='glue', resource='catalog')",
        f"{stack}.format_arn(service='glue', resource='database', resource_name={py(name)})",
        f"{stack}.format_arn(service='glue', resource='table', resource_name={py(name + '/*')})",
    ]
    return cdk_allow(var(link.source), catalog_actions(link), resources)


# -- Amazon Aurora DSQL ------------------------------------------------------------------------------------


def sam_dsql_cluster(sam: SamTemplate, cluster: Component) -> None:
    plan, logical = sam.plan, sam.id(cluster)
    retain = "Retain" if plan.prop(cluster, "deletion_protection") else "Delete"
    sam.add(
        logical,
        "AWS::DSQL::Cluster",
        {"DeletionProtectionEnabled": bool(plan.prop(cluster, "deletion_protection")), "Tags": tag_list(cluster)},
        cluster,
        DeletionPolicy=retain,
        UpdateReplacePolicy=retain,
    )
    sam.output(
        f"{logical}Endpoint", getatt(logical, "Endpoint"), f"Aurora DSQL endpoint of {plan.label(cluster)}", cluster
    )


def cdk_dsql_cluster(cdk: CdkStack, cluster: Component) -> None:
    plan, v, logical = cdk.plan, var(cluster), cdk.id(cluster)
    tag = {"key": "tierplan:component", "value": cluster.id}
    protect = bool(plan.prop(cluster, "deletion_protection"))
    cdk.emit(
        f"{v} = cdk.aws_dsql.CfnCluster(self, {py(logical)}, deletion_protection_enabled={protect}, "
        f"tags=[cdk.CfnTag(**{py(tag)})])"
    )
    cdk.emit(f"{v}.apply_removal_policy(cdk.RemovalPolicy.{'RETAIN' if protect else 'DESTROY'})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Endpoint')}, value={v}.attr_endpoint)")
    cdk.emit()


def dsql_actions(link: Link) -> list[str]:
    # Only the admin role exists until SQL creates others (mapped to IAM roles): the review says so.
    return ["dsql:DbConnectAdmin"]


def sam_dsql_policies(sam: SamTemplate, link: Link) -> list[Any]:
    arn = getatt(sam.id(link.target), "ResourceArn")
    return [{"Statement": [{"Effect": "Allow", "Action": dsql_actions(link), "Resource": [arn]}]}]


def cdk_dsql_grant(cdk: CdkStack, link: Link) -> str:
    return cdk_allow(var(link.source), dsql_actions(link), [f"{var(link.target)}.attr_resource_arn"])


# -- Amazon ECR -----------------------------------------------------------------------------------------------
# A repository the ECS services and Batch jobs connected to it with 'pull' run their image from (the image
# prop is then ignored): their execution role may pull from that repository only. The containers' emitters
# ask ``task_access`` for the image and the pull statements, which come from here.

PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]


def lifecycle_policy(keep: int) -> str:
    rule = {
        "rulePriority": 1,
        "description": f"Keep the newest {keep} images",
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep},
        "action": {"type": "expire"},
    }
    return json.dumps({"rules": [rule]})


def sam_ecr_repository(sam: SamTemplate, repository: Component) -> None:
    plan, logical = sam.plan, sam.id(repository)
    properties: dict[str, Any] = {
        "ImageTagMutability": plan.prop(repository, "image_tag_mutability"),
        "ImageScanningConfiguration": {"ScanOnPush": bool(plan.prop(repository, "scan_on_push"))},
        "EncryptionConfiguration": {"EncryptionType": "AES256"},
        "Tags": tag_list(repository),
    }
    if plan.prop(repository, "keep_images"):
        properties["LifecyclePolicy"] = {"LifecyclePolicyText": lifecycle_policy(plan.prop(repository, "keep_images"))}
    sam.add(
        logical, "AWS::ECR::Repository", properties, repository, DeletionPolicy="Retain", UpdateReplacePolicy="Retain"
    )
    sam.output(
        f"{logical}Uri", getatt(logical, "RepositoryUri"), f"ECR repository of {plan.label(repository)}", repository
    )


def cdk_ecr_repository(cdk: CdkStack, repository: Component) -> None:
    plan, v, logical = cdk.plan, var(repository), cdk.id(repository)
    mutability = plan.prop(repository, "image_tag_mutability")
    args = [
        f"image_tag_mutability=cdk.aws_ecr.TagMutability.{mutability}",
        f"image_scan_on_push={bool(plan.prop(repository, 'scan_on_push'))}",
        "encryption=cdk.aws_ecr.RepositoryEncryption.AES_256",
        "removal_policy=cdk.RemovalPolicy.RETAIN",
    ]
    if plan.prop(repository, "keep_images"):
        args.append(
            f"lifecycle_rules=[cdk.aws_ecr.LifecycleRule(max_image_count={plan.prop(repository, 'keep_images')})]"
        )
    cdk.emit(f"{v} = cdk.aws_ecr.Repository(self, {py(logical)}, {', '.join(args)})")
    cdk.emit(f"cdk.Tags.of({v}).add('tierplan:component', {py(repository.id)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Uri')}, value={v}.repository_uri)")
    cdk.emit()


def pulled(plan: Plan, workload: Component) -> Link | None:
    """The repository a container workload runs its image from, if any (one: a workload has one container)."""
    links = plan.out(workload, "pull")
    if len(links) > 1:
        raise ExportError(
            f"component {workload.id!r} ({workload.type}) cannot be exported: it runs one container image, and "
            f"pulls from {len(links)} repositories"
        )
    return links[0] if links else None


def sam_image(sam: SamTemplate, workload: Component) -> Any:
    link = pulled(sam.plan, workload)
    if link is None:
        return sam.plan.prop(workload, "image")
    return {"Fn::Join": [":", [getatt(sam.id(link.target), "RepositoryUri"), link.prop("tag")]]}


def cdk_image(cdk: CdkStack, workload: Component) -> str:
    """The container image as CDK code; from a repository, CDK lets the execution role pull it."""
    link = pulled(cdk.plan, workload)
    if link is None:
        return f"ecs.ContainerImage.from_registry({py(cdk.plan.prop(workload, 'image'))})"
    return f"ecs.ContainerImage.from_ecr_repository({var(link.target)}, {py(link.prop('tag'))})"


def sam_pull_statements(sam: SamTemplate, workload: Component) -> list[dict[str, Any]]:
    """What the execution role needs to pull the image: a token for the registry, the repository's layers."""
    link = pulled(sam.plan, workload)
    if link is None:
        return []
    return [
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {"Effect": "Allow", "Action": PULL_ACTIONS, "Resource": getatt(sam.id(link.target), "Arn")},
    ]


SERVICES = (
    Service(
        "kendra_index",
        sam=sam_kendra_index,
        cdk=cdk_kendra_index,
        cdk_order=28,  # after the buckets it crawls, before the functions that query it
        sam_env=lambda sam, index: getatt(sam.id(index), "Id"),
        cdk_env=cdk_attribute("attr_id"),
        sam_policies=sam_query_policies,
        cdk_grant=cdk_query_grant,
    ),
    Service(
        "glue_database",
        sam=sam_glue_database,
        cdk=cdk_glue_database,
        cdk_order=28,
        cdk_env=cdk_attribute("ref"),
        sam_policies=sam_catalog_policies,
        cdk_grant=cdk_catalog_grant,
    ),
    Service(
        "dsql_cluster",
        sam=sam_dsql_cluster,
        cdk=cdk_dsql_cluster,
        cdk_order=28,
        sam_env=lambda sam, cluster: getatt(sam.id(cluster), "Endpoint"),
        cdk_env=cdk_attribute("attr_endpoint"),
        sam_policies=sam_dsql_policies,
        cdk_grant=cdk_dsql_grant,
    ),
    Service(
        "ecr_repository",
        sam=sam_ecr_repository,
        cdk=cdk_ecr_repository,
        cdk_order=28,  # before the ECS services and Batch jobs that pull from it
    ),
)
