"""SAM policy templates written out as IAM statements, for roles that SAM does not build.

A connection gives a Lambda function its permissions as SAM policy templates (``DynamoDBCrudPolicy``…),
which only ``AWS::Serverless::Function`` and ``AWS::Serverless::StateMachine`` expand. An ECS task role
or a Batch job role is a plain ``AWS::IAM::Role``, so its emitter asks the target's service for the same
policies and turns them into statements here: one source of truth for what a connection allows.

``TEMPLATES`` holds, for the templates Tierplan's emitters use or are likely to (the data stores, queues,
streams and AI services functions call), their parameters and statements exactly as the AWS SAM policy
template list defines them (aws-sam-translator 1.115.0, ``policy_templates.json``, Apache-2.0), where
``{"Ref": <parameter>}`` stands for the value a policy gives. Inline ``{"Statement": […]}`` documents
pass through; a template not listed here is refused with its name, never silently dropped: add it here.
"""

from __future__ import annotations

from typing import Any

from apps.exporting.plan import ExportError

TEMPLATES: dict[str, dict[str, Any]] = {
    "DynamoDBReadPolicy": {
        "parameters": ["TableName"],
        "statements": [
            {
                "Action": [
                    "dynamodb:GetItem",
                    "dynamodb:Scan",
                    "dynamodb:Query",
                    "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable",
                ],
                "Effect": "Allow",
                "Resource": [
                    {
                        "Fn::Sub": [
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}",
                            {"tableName": {"Ref": "TableName"}},
                        ]
                    },
                    {
                        "Fn::Sub": [
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*",
                            {"tableName": {"Ref": "TableName"}},
                        ]
                    },
                ],
            }
        ],
    },
    "DynamoDBWritePolicy": {
        "parameters": ["TableName"],
        "statements": [
            {
                "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
                "Effect": "Allow",
                "Resource": [
                    {
                        "Fn::Sub": [
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}",
                            {"tableName": {"Ref": "TableName"}},
                        ]
                    },
                    {
                        "Fn::Sub": [
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*",
                            {"tableName": {"Ref": "TableName"}},
                        ]
                    },
                ],
            }
        ],
    },
    "DynamoDBCrudPolicy": {
        "parameters": ["TableName"],
        "statements": [
            {
                "Action": [
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
                "Effect": "Allow",
                "Resource": [
                    {
                        "Fn::Sub": [
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}",
                            {"tableName": {"Ref": "TableName"}},
                        ]
                    },
                    {
                        "Fn::Sub": [
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*",
                            {"tableName": {"Ref": "TableName"}},
                        ]
                    },
                ],
            }
        ],
    },
    "DynamoDBStreamReadPolicy": {
        "parameters": ["StreamName", "TableName"],
        "statements": [
            {
                "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/${streamName}",
                        {"streamName": {"Ref": "StreamName"}, "tableName": {"Ref": "TableName"}},
                    ]
                },
            },
            {
                "Action": ["dynamodb:ListStreams"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/*",
                        {"tableName": {"Ref": "TableName"}},
                    ]
                },
            },
        ],
    },
    "S3ReadPolicy": {
        "parameters": ["BucketName"],
        "statements": [
            {
                "Action": [
                    "s3:GetObject",
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetObjectVersion",
                    "s3:GetLifecycleConfiguration",
                ],
                "Effect": "Allow",
                "Resource": [
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}", {"bucketName": {"Ref": "BucketName"}}]},
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}/*", {"bucketName": {"Ref": "BucketName"}}]},
                ],
            }
        ],
    },
    "S3WritePolicy": {
        "parameters": ["BucketName"],
        "statements": [
            {
                "Action": ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
                "Effect": "Allow",
                "Resource": [
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}", {"bucketName": {"Ref": "BucketName"}}]},
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}/*", {"bucketName": {"Ref": "BucketName"}}]},
                ],
            }
        ],
    },
    "S3CrudPolicy": {
        "parameters": ["BucketName"],
        "statements": [
            {
                "Action": [
                    "s3:GetObject",
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                    "s3:DeleteObject",
                ],
                "Effect": "Allow",
                "Resource": [
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}", {"bucketName": {"Ref": "BucketName"}}]},
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}/*", {"bucketName": {"Ref": "BucketName"}}]},
                ],
            }
        ],
    },
    "S3FullAccessPolicy": {
        "parameters": ["BucketName"],
        "statements": [
            {
                "Action": [
                    "s3:GetObject",
                    "s3:GetObjectAcl",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:DeleteObject",
                    "s3:DeleteObjectTagging",
                    "s3:DeleteObjectVersionTagging",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                "Effect": "Allow",
                "Resource": [
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}/*", {"bucketName": {"Ref": "BucketName"}}]}
                ],
            },
            {
                "Action": [
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                "Effect": "Allow",
                "Resource": [
                    {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}", {"bucketName": {"Ref": "BucketName"}}]}
                ],
            },
        ],
    },
    "SQSSendMessagePolicy": {
        "parameters": ["QueueName"],
        "statements": [
            {
                "Action": ["sqs:SendMessage*"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
                        {"queueName": {"Ref": "QueueName"}},
                    ]
                },
            }
        ],
    },
    "SQSPollerPolicy": {
        "parameters": ["QueueName"],
        "statements": [
            {
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:ChangeMessageVisibilityBatch",
                    "sqs:DeleteMessage",
                    "sqs:DeleteMessageBatch",
                    "sqs:GetQueueAttributes",
                    "sqs:ReceiveMessage",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
                        {"queueName": {"Ref": "QueueName"}},
                    ]
                },
            }
        ],
    },
    "KinesisCrudPolicy": {
        "parameters": ["StreamName"],
        "statements": [
            {
                "Action": [
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
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${streamName}",
                        {"streamName": {"Ref": "StreamName"}},
                    ]
                },
            }
        ],
    },
    "KinesisStreamReadPolicy": {
        "parameters": ["StreamName"],
        "statements": [
            {
                "Action": ["kinesis:ListStreams", "kinesis:DescribeLimits"],
                "Effect": "Allow",
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*"},
            },
            {
                "Action": [
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${streamName}",
                        {"streamName": {"Ref": "StreamName"}},
                    ]
                },
            },
        ],
    },
    "FirehoseWritePolicy": {
        "parameters": ["DeliveryStreamName"],
        "statements": [
            {
                "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${deliveryStreamName}",
                        {"deliveryStreamName": {"Ref": "DeliveryStreamName"}},
                    ]
                },
            }
        ],
    },
    "FirehoseCrudPolicy": {
        "parameters": ["DeliveryStreamName"],
        "statements": [
            {
                "Action": [
                    "firehose:CreateDeliveryStream",
                    "firehose:DeleteDeliveryStream",
                    "firehose:DescribeDeliveryStream",
                    "firehose:PutRecord",
                    "firehose:PutRecordBatch",
                    "firehose:UpdateDestination",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${deliveryStreamName}",
                        {"deliveryStreamName": {"Ref": "DeliveryStreamName"}},
                    ]
                },
            }
        ],
    },
    "SNSPublishMessagePolicy": {
        "parameters": ["TopicName"],
        "statements": [
            {
                "Action": ["sns:Publish"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}",
                        {"topicName": {"Ref": "TopicName"}},
                    ]
                },
            }
        ],
    },
    "SNSCrudPolicy": {
        "parameters": ["TopicName"],
        "statements": [
            {
                "Action": [
                    "sns:ListSubscriptionsByTopic",
                    "sns:CreateTopic",
                    "sns:SetTopicAttributes",
                    "sns:Subscribe",
                    "sns:Publish",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}*",
                        {"topicName": {"Ref": "TopicName"}},
                    ]
                },
            }
        ],
    },
    "EventBridgePutEventsPolicy": {
        "parameters": ["EventBusName"],
        "statements": [
            {
                "Action": "events:PutEvents",
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${eventBusName}",
                        {"eventBusName": {"Ref": "EventBusName"}},
                    ]
                },
            }
        ],
    },
    "AWSSecretsManagerGetSecretValuePolicy": {
        "parameters": ["SecretArn"],
        "statements": [
            {
                "Action": ["secretsmanager:GetSecretValue"],
                "Effect": "Allow",
                "Resource": {"Fn::Sub": ["${secretArn}", {"secretArn": {"Ref": "SecretArn"}}]},
            }
        ],
    },
    "SSMParameterReadPolicy": {
        "parameters": ["ParameterName"],
        "statements": [
            {"Action": ["ssm:DescribeParameters"], "Effect": "Allow", "Resource": "*"},
            {
                "Action": ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${parameterName}",
                        {"parameterName": {"Ref": "ParameterName"}},
                    ]
                },
            },
        ],
    },
    "SSMParameterWithSlashPrefixReadPolicy": {
        "parameters": ["ParameterName"],
        "statements": [
            {"Action": ["ssm:DescribeParameters"], "Effect": "Allow", "Resource": "*"},
            {
                "Action": ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${parameterName}",
                        {"parameterName": {"Ref": "ParameterName"}},
                    ]
                },
            },
        ],
    },
    "ElasticsearchHttpPostPolicy": {
        "parameters": ["DomainName"],
        "statements": [
            {
                "Action": ["es:ESHttpPost", "es:ESHttpPut"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/${domainName}/*",
                        {"domainName": {"Ref": "DomainName"}},
                    ]
                },
            }
        ],
    },
    "LambdaInvokePolicy": {
        "parameters": ["FunctionName"],
        "statements": [
            {
                "Action": ["lambda:InvokeFunction"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*",
                        {"functionName": {"Ref": "FunctionName"}},
                    ]
                },
            }
        ],
    },
    "StepFunctionsExecutionPolicy": {
        "parameters": ["StateMachineName"],
        "statements": [
            {
                "Action": ["states:StartExecution"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${stateMachineName}",
                        {"stateMachineName": {"Ref": "StateMachineName"}},
                    ]
                },
            }
        ],
    },
    "SESCrudPolicy": {
        "parameters": ["IdentityName"],
        "statements": [
            {
                "Action": [
                    "ses:GetIdentityVerificationAttributes",
                    "ses:SendEmail",
                    "ses:SendRawEmail",
                    "ses:VerifyEmailIdentity",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${identityName}",
                        {"identityName": {"Ref": "IdentityName"}},
                    ]
                },
            }
        ],
    },
    "SESSendBouncePolicy": {
        "parameters": ["IdentityName"],
        "statements": [
            {
                "Action": ["ses:SendBounce"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${identityName}",
                        {"identityName": {"Ref": "IdentityName"}},
                    ]
                },
            }
        ],
    },
    "SESBulkTemplatedCrudPolicy": {
        "parameters": ["IdentityName"],
        "statements": [
            {
                "Action": [
                    "ses:GetIdentityVerificationAttributes",
                    "ses:SendEmail",
                    "ses:SendRawEmail",
                    "ses:SendTemplatedEmail",
                    "ses:SendBulkTemplatedEmail",
                    "ses:VerifyEmailIdentity",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${identityName}",
                        {"identityName": {"Ref": "IdentityName"}},
                    ]
                },
            }
        ],
    },
    "AthenaQueryPolicy": {
        "parameters": ["WorkGroupName"],
        "statements": [
            {
                "Action": [
                    "athena:ListWorkGroups",
                    "athena:GetExecutionEngine",
                    "athena:GetExecutionEngines",
                    "athena:GetNamespace",
                    "athena:GetCatalogs",
                    "athena:GetNamespaces",
                    "athena:GetTables",
                    "athena:GetTable",
                ],
                "Effect": "Allow",
                "Resource": "*",
            },
            {
                "Action": [
                    "athena:StartQueryExecution",
                    "athena:GetQueryResults",
                    "athena:DeleteNamedQuery",
                    "athena:GetNamedQuery",
                    "athena:ListQueryExecutions",
                    "athena:StopQueryExecution",
                    "athena:GetQueryResultsStream",
                    "athena:ListNamedQueries",
                    "athena:CreateNamedQuery",
                    "athena:GetQueryExecution",
                    "athena:BatchGetNamedQuery",
                    "athena:BatchGetQueryExecution",
                    "athena:GetWorkGroup",
                ],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${workgroupName}",
                        {"workgroupName": {"Ref": "WorkGroupName"}},
                    ]
                },
            },
        ],
    },
    "CloudWatchPutMetricPolicy": {
        "parameters": [],
        "statements": [{"Action": ["cloudwatch:PutMetricData"], "Effect": "Allow", "Resource": "*"}],
    },
    "RekognitionDetectOnlyPolicy": {
        "parameters": [],
        "statements": [
            {
                "Action": [
                    "rekognition:DetectFaces",
                    "rekognition:DetectLabels",
                    "rekognition:DetectModerationLabels",
                    "rekognition:DetectText",
                ],
                "Effect": "Allow",
                "Resource": "*",
            }
        ],
    },
    "ComprehendBasicAccessPolicy": {
        "parameters": [],
        "statements": [
            {
                "Action": [
                    "comprehend:BatchDetectKeyPhrases",
                    "comprehend:DetectDominantLanguage",
                    "comprehend:DetectEntities",
                    "comprehend:BatchDetectEntities",
                    "comprehend:DetectKeyPhrases",
                    "comprehend:DetectSentiment",
                    "comprehend:BatchDetectDominantLanguage",
                    "comprehend:BatchDetectSentiment",
                ],
                "Effect": "Allow",
                "Resource": "*",
            }
        ],
    },
    "TextractPolicy": {
        "parameters": [],
        "statements": [{"Action": ["textract:*"], "Effect": "Allow", "Resource": "*"}],
    },
    "TextractDetectAnalyzePolicy": {
        "parameters": [],
        "statements": [
            {
                "Action": [
                    "textract:DetectDocumentText",
                    "textract:StartDocumentTextDetection",
                    "textract:StartDocumentAnalysis",
                    "textract:AnalyzeDocument",
                ],
                "Effect": "Allow",
                "Resource": "*",
            }
        ],
    },
}


def _substituted(value: Any, parameters: dict[str, Any]) -> Any:
    """``value`` with each ``{"Ref": <parameter>}`` replaced by the parameter's value; a ``Fn::Sub`` that
    only names one variable becomes that variable's value."""
    if isinstance(value, list):
        return [_substituted(item, parameters) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in parameters:
        return parameters[value["Ref"]]
    result = {key: _substituted(item, parameters) for key, item in value.items()}
    sub = result.get("Fn::Sub")
    if set(result) == {"Fn::Sub"} and isinstance(sub, list) and len(sub) == 2 and isinstance(sub[1], dict):
        text, variables = sub
        if len(variables) == 1 and text == "${" + next(iter(variables)) + "}":
            return next(iter(variables.values()))
    return result


def iam_statements(policies: list[Any], *, role: str) -> list[dict[str, Any]]:
    """The IAM statements the given SAM ``Policies`` entries grant (``role`` names the role in errors)."""
    statements: list[dict[str, Any]] = []
    for policy in policies:
        if isinstance(policy, dict) and set(policy) == {"Statement"}:
            statements += policy["Statement"]
            continue
        if isinstance(policy, dict) and len(policy) == 1:
            name, given = next(iter(policy.items()))
            template = TEMPLATES.get(name)
            if template is not None and isinstance(given, dict) and set(template["parameters"]) <= set(given):
                values = {parameter: given[parameter] for parameter in template["parameters"]}
                statements += _substituted(template["statements"], values)
                continue
        described = next(iter(policy)) if isinstance(policy, dict) and policy else repr(policy)
        raise ExportError(f"{role}: the policy {described} cannot be written as IAM statements yet")
    return statements
