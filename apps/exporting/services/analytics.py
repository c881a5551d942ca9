"""Data, search and analytics: Amazon Kendra indexes and the buckets they crawl.

A Kendra index writes its logs and metrics with a role of its own; each 'crawl' connection to a bucket is
an S3 data source of the index, with a role that may read that bucket (under the connection's prefix)
and put documents into that index, and nothing else. A function (or an ECS task, a Batch job) that
'read's an index may query it and retrieve passages from it; it finds the index id in its environment.
Both exports are built from one description of each resource, as for pipes and IoT rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.plan import Plan
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


def data_source_statements(bucket_arn: Any, objects_arn: Any, index_arn: Any) -> list[dict[str, Any]]:
    """What a data source's role allows: list the bucket, read its objects (under the connection's prefix)
    and put documents into the index."""
    return [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [objects_arn]},
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket_arn]},
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
            "Description": plan.label(index),
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


def cdk_sub(value: Any) -> Any:
    """A CloudFormation Fn::Sub of ours as CDK code (the pseudo parameters only)."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return Code(f"cdk.Fn.sub({py(value['Fn::Sub'])})")
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
        f"name=cdk.Fn.sub({py('${AWS::StackName}-' + logical)}), role_arn={v}_role.role_arn, "
        f"description={py(plan.label(index))}, tags=[cdk.CfnTag(**{py(tag)})])"
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
            f"name=cdk.Fn.sub({py('${AWS::StackName}-' + logical + '-' + bucket)}), index_id={v}.attr_id, "
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
)
