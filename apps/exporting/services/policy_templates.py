"""SAM policy templates written out as IAM statements, for roles that SAM does not build.

A connection gives a Lambda function its permissions as SAM policy templates (``DynamoDBCrudPolicy``…),
which only ``AWS::Serverless::Function`` and ``AWS::Serverless::StateMachine`` expand. An ECS task role
(or a Batch job role) is a plain ``AWS::IAM::Role``, so its emitter asks the target's service for the
same policies and turns them into statements here: one source of truth for what a connection allows.
The statements are those of the AWS SAM policy template list (aws-sam-translator 1.115.0,
``policy_templates.json``), with the one parameter each takes. Inline ``{"Statement": […]}`` documents
pass through; a template not listed here is refused, never silently dropped.
"""

from __future__ import annotations

from typing import Any

from apps.exporting.plan import ExportError

ARN = "arn:${AWS::Partition}"
REGIONAL = "${AWS::Region}:${AWS::AccountId}"
DYNAMODB_TABLE = [f"{ARN}:dynamodb:{REGIONAL}:table/${{name}}", f"{ARN}:dynamodb:{REGIONAL}:table/${{name}}/index/*"]
S3_BUCKET = [f"{ARN}:s3:::${{name}}", f"{ARN}:s3:::${{name}}/*"]
S3_READ = [
    "s3:GetObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetObjectVersion",
    "s3:GetLifecycleConfiguration",
]
S3_WRITE = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"]

# template name → (its parameter, actions, resource ARN patterns with ${name} for the parameter)
TEMPLATES: dict[str, tuple[str, list[str], list[str]]] = {
    "DynamoDBReadPolicy": (
        "TableName",
        ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"],
        DYNAMODB_TABLE,
    ),
    "DynamoDBWritePolicy": (
        "TableName",
        ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
        DYNAMODB_TABLE,
    ),
    "DynamoDBCrudPolicy": (
        "TableName",
        [
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
            "dynamodb:ConditionCheckItem",
        ],
        DYNAMODB_TABLE,
    ),  # fmt: skip
    "S3ReadPolicy": ("BucketName", S3_READ, S3_BUCKET),
    "S3WritePolicy": ("BucketName", S3_WRITE, S3_BUCKET),
    "S3CrudPolicy": (
        "BucketName",
        [*S3_READ[:4], *S3_WRITE[:2], S3_READ[4], S3_WRITE[2], "s3:DeleteObject"],
        S3_BUCKET,
    ),
    "SQSSendMessagePolicy": ("QueueName", ["sqs:SendMessage*"], [f"{ARN}:sqs:{REGIONAL}:${{name}}"]),
    "KinesisCrudPolicy": (
        "StreamName",
        [
            "kinesis:AddTagsToStream",
            "kinesis:CreateStream",
            "kinesis:DecreaseStreamRetentionPeriod",
            "kinesis:DeleteStream",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetShardIterator",
            "kinesis:IncreaseStreamRetentionPeriod",
            "kinesis:ListTagsForStream",
            "kinesis:MergeShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
            "kinesis:SplitShard",
            "kinesis:RemoveTagsFromStream",
        ],
        [f"{ARN}:kinesis:{REGIONAL}:stream/${{name}}"],
    ),  # fmt: skip
    "SNSPublishMessagePolicy": ("TopicName", ["sns:Publish"], [f"{ARN}:sns:{REGIONAL}:${{name}}"]),
    "EventBridgePutEventsPolicy": (
        "EventBusName",
        ["events:PutEvents"],
        [f"{ARN}:events:{REGIONAL}:event-bus/${{name}}"],
    ),
    "AWSSecretsManagerGetSecretValuePolicy": ("SecretArn", ["secretsmanager:GetSecretValue"], ["${name}"]),
    "ElasticsearchHttpPostPolicy": (
        "DomainName",
        ["es:ESHttpPost", "es:ESHttpPut"],
        [f"{ARN}:es:{REGIONAL}:domain/${{name}}/*"],
    ),
    "LambdaInvokePolicy": ("FunctionName", ["lambda:InvokeFunction"], [f"{ARN}:lambda:{REGIONAL}:function:${{name}}*"]),
    "FirehoseWritePolicy": (
        "DeliveryStreamName",
        ["firehose:PutRecord", "firehose:PutRecordBatch"],
        [f"{ARN}:firehose:{REGIONAL}:deliverystream/${{name}}"],
    ),
    "SSMParameterReadPolicy": (
        "ParameterName",
        ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
        [f"{ARN}:ssm:{REGIONAL}:parameter/${{name}}"],
    ),
    "StepFunctionsExecutionPolicy": (
        "StateMachineName",
        ["states:StartExecution"],
        [f"{ARN}:states:{REGIONAL}:stateMachine:${{name}}"],
    ),
}


# Statements a template grants besides the one on its parameter's resource.
EXTRA_STATEMENTS: dict[str, list[dict[str, Any]]] = {
    "SSMParameterReadPolicy": [{"Effect": "Allow", "Action": ["ssm:DescribeParameters"], "Resource": "*"}],
}


def iam_statements(policies: list[Any], *, role: str) -> list[dict[str, Any]]:
    """The IAM statements the given SAM ``Policies`` entries grant (``role`` names the role in errors)."""
    statements: list[dict[str, Any]] = []
    for policy in policies:
        if isinstance(policy, dict) and set(policy) == {"Statement"}:
            statements += policy["Statement"]
            continue
        if isinstance(policy, dict) and len(policy) == 1:
            name, parameters = next(iter(policy.items()))
            if name in TEMPLATES and isinstance(parameters, dict):
                parameter, actions, patterns = TEMPLATES[name]
                value = parameters[parameter]
                resources = [
                    value if pattern == "${name}" else {"Fn::Sub": [pattern, {"name": value}]} for pattern in patterns
                ]
                statements += EXTRA_STATEMENTS.get(name, [])
                statements.append(
                    {
                        "Effect": "Allow",
                        "Action": actions,
                        "Resource": resources[0] if len(resources) == 1 else resources,
                    }
                )
                continue
        described = next(iter(policy)) if isinstance(policy, dict) and policy else repr(policy)
        raise ExportError(f"{role}: the policy {described} cannot be written as IAM statements yet")
    return statements
