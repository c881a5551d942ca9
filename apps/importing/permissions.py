"""What IAM grants mean as connections: SAM policy templates and IAM actions. Pure Python, no Django."""

from __future__ import annotations

# Kinds a reference that says nothing of its direction or verbs may be drawn as, in order.
DATA_ACCESS = ["read_write", "write", "invoke", "read", "call", "reference"]
READ_VERBS = ("Get", "List", "Describe", "Query", "Scan", "Receive", "Read", "BatchGet", "Select", "Head", "Search")
WRITE_VERBS = ("Put", "Send", "Publish", "Write", "Update", "Delete", "BatchWrite", "Create", "Upload", "Post")


def kind_from_actions(actions: list[str]) -> list[str]:
    """Connection kinds in order of preference for what IAM ``actions`` allow."""
    verbs = [a.split(":", 1)[1] if ":" in a else a for a in actions if isinstance(a, str)]
    if any(a in ("lambda:InvokeFunction", "states:StartExecution", "states:StartSyncExecution") for a in actions):
        return ["invoke", *DATA_ACCESS]
    reads = any(v == "*" or v.startswith(READ_VERBS) for v in verbs)
    writes = any(v == "*" or v.startswith(WRITE_VERBS) for v in verbs)
    if reads and writes:
        return DATA_ACCESS
    if reads:
        return ["read", "read_write", "reference"]
    return ["write", "read_write", "reference"] if writes else ["reference"]


# SAM policy templates → connection kinds from the function to what the template's arguments name.
# An empty list: the permission of a poll connection (the source's event draws it), nothing to draw.
POLICY_TEMPLATES: dict[str, list[str]] = {
    "DynamoDBCrudPolicy": ["read_write"],
    "DynamoDBReadPolicy": ["read", "read_write"],
    "DynamoDBWritePolicy": ["write", "read_write"],
    "DynamoDBBackupFullAccessPolicy": ["read_write"],
    "DynamoDBRestoreFromBackupPolicy": ["write", "read_write"],
    "DynamoDBReconfigurePolicy": ["write", "read_write"],
    "DynamoDBStreamReadPolicy": [],
    "SQSSendMessagePolicy": ["write"],
    "SQSPollerPolicy": [],
    "S3ReadPolicy": ["read", "read_write"],
    "S3WritePolicy": ["write", "read_write"],
    "S3CrudPolicy": ["read_write"],
    "S3FullAccessPolicy": ["read_write"],
    "SNSPublishMessagePolicy": ["write"],
    "SNSCrudPolicy": ["write"],
    "EventBridgePutEventsPolicy": ["write"],
    "StepFunctionsExecutionPolicy": ["invoke"],
    "LambdaInvokePolicy": ["invoke"],
    "KinesisCrudPolicy": ["write", "read_write"],
    "KinesisStreamReadPolicy": [],
    "FirehoseWritePolicy": ["write"],
    "FirehoseCrudPolicy": ["write"],
    "SSMParameterReadPolicy": ["read"],
    "SSMParameterWithSlashPrefixReadPolicy": ["read"],
    "AWSSecretsManagerGetSecretValuePolicy": ["read"],
    "AWSSecretsManagerRotationPolicy": ["read"],
    "SESCrudPolicy": ["write"],
    "SESSendBouncePolicy": ["write"],
    "SESBulkTemplatedCrudPolicy": ["write"],
    "SESEmailTemplateCrudPolicy": ["write"],
    "ElasticsearchHttpPostPolicy": ["read_write"],
    "EFSWriteAccessPolicy": ["read_write"],
    "AthenaQueryPolicy": ["read"],
}
