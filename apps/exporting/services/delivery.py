"""Delivery: Amazon Data Firehose streams into S3, and Amazon SES identities that functions send e-mail from.

A function connected to either with 'write' may put records into that stream, or send from that identity
(and through its configuration set), and nothing else; it finds the stream's or identity's name in its
environment. A Firehose stream reaches its source, transformation and bucket with a role of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import bucket_arn_expression, getatt, py, ref, sub, tag_list, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service, cdk_allow, cdk_attribute
from apps.exporting.services.events import Code, Resolver, cdk_arn, cdk_role, literal, sam_arn, source_account_trust

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail"]
PUT_ACTIONS = ["firehose:PutRecord", "firehose:PutRecordBatch"]
# What Firehose needs of each end (AWS: "Controlling access with Amazon Data Firehose").
BUCKET_ACTIONS = [
    "s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
    "s3:ListBucketMultipartUploads", "s3:PutObject",
]  # fmt: skip
STREAM_ACTIONS = ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
TRANSFORM_ACTIONS = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]


# -- Amazon Data Firehose -------------------------------------------------------------------------------


def firehose_properties(
    plan: Plan, stream: Component, arn: Resolver, bucket_arn: Any, role: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The delivery stream's properties (but Tags) and the statements of its role."""
    buckets, sources, transforms = plan.out(stream, "deliver"), plan.into(stream, "poll"), plan.out(stream, "enrich")
    if len(buckets) != 1:
        raise ExportError(
            f"component {stream.id!r} (firehose_stream) cannot be exported: a Firehose stream delivers to exactly "
            f"one S3 bucket ('deliver' connection), it has {len(buckets)}"
        )
    if len(sources) > 1 or len(transforms) > 1:
        raise ExportError(
            f"component {stream.id!r} (firehose_stream) cannot be exported: a Firehose stream reads at most one "
            "Kinesis data stream and has at most one transformation function"
        )
    bucket = buckets[0].target
    destination: dict[str, Any] = {
        "BucketARN": bucket_arn(bucket),
        "RoleARN": role,
        "BufferingHints": {
            "IntervalInSeconds": plan.prop(stream, "buffering_interval_s"),
            "SizeInMBs": plan.prop(stream, "buffering_size_mb"),
        },
        "CompressionFormat": plan.prop(stream, "compression"),
    }
    bucket_resources = [bucket_arn(bucket), {"Fn::Join": ["", [bucket_arn(bucket), "/*"]]}]
    statements = [{"Effect": "Allow", "Action": BUCKET_ACTIONS, "Resource": bucket_resources}]
    if transforms:
        function = arn(transforms[0].target)
        destination["ProcessingConfiguration"] = {
            "Enabled": True,
            "Processors": [
                {"Type": "Lambda", "Parameters": [{"ParameterName": "LambdaArn", "ParameterValue": function}]}
            ],
        }
        statements.append({"Effect": "Allow", "Action": TRANSFORM_ACTIONS, "Resource": [function]})
    properties: dict[str, Any] = {"ExtendedS3DestinationConfiguration": destination}
    if sources:
        source = arn(sources[0].source)
        properties["DeliveryStreamType"] = "KinesisStreamAsSource"
        properties["KinesisStreamSourceConfiguration"] = {"KinesisStreamARN": source, "RoleARN": role}
        statements.append({"Effect": "Allow", "Action": STREAM_ACTIONS, "Resource": [source]})
    else:
        properties["DeliveryStreamType"] = "DirectPut"
        properties["DeliveryStreamEncryptionConfigurationInput"] = {"KeyType": "AWS_OWNED_CMK"}
    return properties, statements


def sam_firehose_stream(sam: SamTemplate, stream: Component) -> None:
    plan, logical = sam.plan, sam.id(stream)
    # The bucket is named by its computed name: a function the bucket triggers may write to this stream,
    # and a Ref would close a dependency cycle.
    properties, statements = firehose_properties(
        plan, stream, sam_arn(sam), lambda bucket: bucket_arn_expression(bucket.id), getatt(f"{logical}Role", "Arn")
    )
    sam.add(
        f"{logical}Role",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": source_account_trust("firehose.amazonaws.com"),
            "Policies": [
                {"PolicyName": "delivery", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
            ],
        },
        stream,
    )
    sam.add(logical, "AWS::KinesisFirehose::DeliveryStream", {**properties, "Tags": tag_list(stream)}, stream)
    sam.output(f"{logical}Name", ref(logical), f"Firehose stream of {plan.label(stream)}", stream)


def cdk_firehose_stream(cdk: CdkStack, stream: Component) -> None:
    v, logical = var(stream), cdk.id(stream)
    role = f"{v}_role"
    properties, statements = firehose_properties(
        cdk.plan, stream, cdk_arn, lambda bucket: Code(f"{var(bucket)}.bucket_arn"), Code(f"{role}.role_arn")
    )
    for statement in statements:  # CDK's join of the bucket ARN and "/*" is a plain string expression
        statement["Resource"] = [
            Code(f"{r['Fn::Join'][1][0]} + '/*'") if isinstance(r, dict) else r for r in statement["Resource"]
        ]
    cdk_role(cdk, stream, "firehose.amazonaws.com", statements)
    tag = {"key": "tierplan:component", "value": stream.id}
    cdk.emit(f"{v} = cdk.aws_kinesisfirehose.CfnDeliveryStream(self, {py(logical)}, tags=[cdk.CfnTag(**{py(tag)})])")
    cdk.emit(f"{v}.node.add_dependency({role})")  # Firehose checks its role's permissions when it starts
    for name, value in properties.items():
        cdk.emit(f"{v}.add_property_override({py(name)}, {literal(value)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Name')}, value={v}.ref)")
    cdk.emit()


def sam_put_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"FirehoseWritePolicy": {"DeliveryStreamName": ref(sam.id(link.target))}}]


def cdk_put_grant(cdk: CdkStack, link: Link) -> str:
    return cdk_allow(var(link.source), PUT_ACTIONS, [f"{var(link.target)}.attr_arn"])


# -- Amazon SES --------------------------------------------------------------------------------------------


def is_domain(identity: str) -> bool:
    return "@" not in identity


def sam_ses_identity(sam: SamTemplate, identity: Component) -> None:
    plan, logical = sam.plan, sam.id(identity)
    name = plan.prop(identity, "identity")
    properties: dict[str, Any] = {
        "EmailIdentity": name,
        "DkimAttributes": {"SigningEnabled": bool(plan.prop(identity, "dkim"))},
    }
    if is_domain(name) and plan.prop(identity, "dkim"):
        properties["DkimSigningAttributes"] = {"NextSigningKeyLength": "RSA_2048_BIT"}
    if plan.prop(identity, "configuration_set"):
        sam.add(f"{logical}ConfigurationSet", "AWS::SES::ConfigurationSet", {"Tags": tag_list(identity)}, identity)
        properties["ConfigurationSetAttributes"] = {"ConfigurationSetName": ref(f"{logical}ConfigurationSet")}
    sam.add(logical, "AWS::SES::EmailIdentity", {**properties, "Tags": tag_list(identity)}, identity)
    sam.output(f"{logical}Identity", ref(logical), f"SES identity of {plan.label(identity)}", identity)
    sam_receive(sam, identity)


def cdk_ses_identity(cdk: CdkStack, identity: Component) -> None:
    v, logical = var(identity), cdk.id(identity)
    name = cdk.prop(identity, "identity")
    kind = "domain" if is_domain(name) else "email"
    args = [f"identity=cdk.aws_ses.Identity.{kind}({py(name)})", f"dkim_signing={bool(cdk.prop(identity, 'dkim'))}"]
    if cdk.prop(identity, "configuration_set"):
        cdk.emit(f"{v}_configuration_set = cdk.aws_ses.ConfigurationSet(self, {py(logical + 'ConfigurationSet')})")
        args.append(f"configuration_set={v}_configuration_set")
    cdk.emit(f"{v} = cdk.aws_ses.EmailIdentity(self, {py(logical)}, {', '.join(args)})")
    cdk.emit(f"cdk.Tags.of({v}).add('tierplan:component', {py(identity.id)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Identity')}, value={v}.email_identity_name)")
    cdk.emit()


def sam_send_policies(sam: SamTemplate, link: Link) -> list[Any]:
    """Send from this identity (and through its configuration set) and nothing else."""
    identity, logical = link.target, sam.id(link.target)
    arn = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
    resources = [sub(f"{arn}:identity/${{{logical}}}")]
    if sam.plan.prop(identity, "configuration_set"):
        resources.append(sub(f"{arn}:configuration-set/${{{logical}ConfigurationSet}}"))
    return [{"Statement": [{"Effect": "Allow", "Action": SEND_ACTIONS, "Resource": resources}]}]


def cdk_send_grant(cdk: CdkStack, link: Link) -> str:
    identity, v = link.target, var(link.target)
    stack = "cdk.Stack.of(self)"
    resources = [f"{stack}.format_arn(service='ses', resource='identity', resource_name={v}.email_identity_name)"]
    if cdk.prop(identity, "configuration_set"):
        resources.append(
            f"{stack}.format_arn(service='ses', resource='configuration-set', "
            f"resource_name={v}_configuration_set.configuration_set_name)"
        )
    return cdk_allow(var(link.source), SEND_ACTIONS, resources)


# -- Amazon SES receiving ----------------------------------------------------------------------------------
# An identity with 'receive' connections gets a receipt rule set of its own holding one rule: the mail for
# the identity (every address of a domain, or the one address), its actions in the order of the connections.
# SES checks when the rule is created that it may invoke each function and write to each bucket, so the
# rule comes after the functions' resource policies and the buckets' policies. A rule set receives nothing
# until it is the active one of its Region, which CloudFormation cannot do (the review says so).

RECEIPT_RULE_SET_ARN = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:receipt-rule-set/"


def receive_links(plan: Plan, identity: Component) -> list[Link]:
    return plan.out(identity, "receive")


def receipt_rule(plan: Plan, identity: Component, actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Enabled": True,
        "ScanEnabled": True,
        "TlsPolicy": "Optional",
        "Recipients": [plan.prop(identity, "identity")],
        "Actions": actions,
    }


def receive_action(link: Link, function_arn: Any, bucket_name: Any) -> dict[str, Any]:
    if link.target.type == "lambda_function":
        return {"LambdaAction": {"FunctionArn": function_arn, "InvocationType": "Event"}}
    action: dict[str, Any] = {"BucketName": bucket_name}
    if link.prop("object_key_prefix"):
        action["ObjectKeyPrefix"] = link.prop("object_key_prefix")
    return {"S3Action": action}


def sam_receive_statement(sam: SamTemplate, link: Link) -> dict[str, Any]:
    """The bucket policy statement letting this identity's receipt rule set store mail in the bucket."""
    bucket, rule_set = sam.id(link.target), f"{sam.id(link.source)}ReceiptRuleSet"
    prefix = link.prop("object_key_prefix") or ""
    return {
        "Sid": f"SesReceive{sam.id(link.source)}",
        "Effect": "Allow",
        "Principal": {"Service": "ses.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": sub(f"${{{bucket}.Arn}}/{prefix}*"),
        "Condition": {
            "StringEquals": {"AWS:SourceAccount": ref("AWS::AccountId")},
            "ArnLike": {"AWS:SourceArn": sub(f"{RECEIPT_RULE_SET_ARN}${{{rule_set}}}:receipt-rule/*")},
        },
    }


def sam_receive(sam: SamTemplate, identity: Component) -> None:
    plan, logical = sam.plan, sam.id(identity)
    links = receive_links(plan, identity)
    if not links:
        return
    rule_set = f"{logical}ReceiptRuleSet"
    sam.add(rule_set, "AWS::SES::ReceiptRuleSet", {}, identity)
    depends: list[str] = []
    for link in links:
        target = sam.id(link.target)
        if link.target.type == "lambda_function":
            permission = f"{logical}ReceiveTo{target}Permission"
            depends.append(permission)
            sam.add(
                permission,
                "AWS::Lambda::Permission",
                {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": getatt(target, "Arn"),
                    "Principal": "ses.amazonaws.com",
                    "SourceAccount": ref("AWS::AccountId"),
                    "SourceArn": sub(f"{RECEIPT_RULE_SET_ARN}${{{rule_set}}}:receipt-rule/*"),
                },
                identity,
            )
        else:
            depends.append(f"{target}Policy")  # the bucket's own policy holds SES's statement
    actions = [receive_action(link, getatt(sam.id(link.target), "Arn"), ref(sam.id(link.target))) for link in links]
    sam.add(
        f"{logical}ReceiptRule",
        "AWS::SES::ReceiptRule",
        {"RuleSetName": ref(rule_set), "Rule": receipt_rule(plan, identity, actions)},
        identity,
        DependsOn=sorted(set(depends)),
    )
    sam.output(
        f"{logical}ReceiptRuleSetName",
        ref(rule_set),
        f"Receipt rule set of {plan.label(identity)} (make it active)",
        identity,
    )


def cdk_receive(cdk: CdkStack, identity: Component) -> None:
    """The receipt rule set and rule, once the functions and buckets exist (wiring)."""
    plan, v, logical = cdk.plan, var(identity), cdk.id(identity)
    links = receive_links(plan, identity)
    if not links:
        return
    cdk.emit(f"{v}_rule_set = cdk.aws_ses.CfnReceiptRuleSet(self, {py(logical + 'ReceiptRuleSet')})")
    cdk.emit(
        f"{v}_rule_set_arn = cdk.Stack.of(self).format_arn(service='ses', resource='receipt-rule-set', "
        f"resource_name={v}_rule_set.ref + ':receipt-rule/*', arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME)"
    )
    dependencies: list[str] = []
    for link in links:
        t = var(link.target)
        if link.target.type == "lambda_function":
            permission = f"{v}_receive_{t}"
            cdk.emit(
                f"{permission} = lambda_.CfnPermission(self, {py(logical + 'ReceiveTo' + cdk.id(link.target) + 'Permission')}, "
                f"action='lambda:InvokeFunction', function_name={t}.function_arn, principal='ses.amazonaws.com', "
                f"source_account=cdk.Aws.ACCOUNT_ID, source_arn={v}_rule_set_arn)"
            )
            dependencies.append(permission)
        else:
            prefix = link.prop("object_key_prefix") or ""
            cdk.emit(
                f"{t}.add_to_resource_policy(iam.PolicyStatement(sid={py('SesReceive' + logical)}, "
                "principals=[iam.ServicePrincipal('ses.amazonaws.com')], actions=['s3:PutObject'], "
                f"resources=[{t}.arn_for_objects({py(prefix + '*')})], "
                "conditions={'StringEquals': {'AWS:SourceAccount': cdk.Aws.ACCOUNT_ID}, "
                f"'ArnLike': {{'AWS:SourceArn': {v}_rule_set_arn}}}}))"
            )
            dependencies.append(f"{t}.policy")
    actions = [
        receive_action(link, Code(f"{var(link.target)}.function_arn"), Code(f"{var(link.target)}.bucket_name"))
        for link in links
    ]
    cdk.emit(
        f"{v}_receipt_rule = cdk.aws_ses.CfnReceiptRule(self, {py(logical + 'ReceiptRule')}, "
        f"rule_set_name={v}_rule_set.ref, rule=cdk.aws_ses.CfnReceiptRule.RuleProperty())"
    )
    cdk.emit(f"{v}_receipt_rule.add_property_override('Rule', {literal(receipt_rule(plan, identity, actions))})")
    for dependency in dependencies:
        cdk.emit(f"{v}_receipt_rule.node.add_dependency({dependency})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'ReceiptRuleSetName')}, value={v}_rule_set.ref)")
    cdk.emit()


SERVICES = (
    Service(
        "firehose_stream",
        sam=sam_firehose_stream,
        cdk=cdk_firehose_stream,
        cdk_order=32,  # after the functions that transform and the buckets it writes to; before the tasks that write to it
        cdk_env=cdk_attribute("ref"),
        sam_policies=sam_put_policies,
        cdk_grant=cdk_put_grant,
    ),
    Service(
        "ses_identity",
        sam=sam_ses_identity,
        cdk=cdk_ses_identity,
        cdk_order=27,
        cdk_env=cdk_attribute("email_identity_name"),
        sam_policies=sam_send_policies,
        cdk_grant=cdk_send_grant,
        cdk_wiring=cdk_receive,
    ),
)
