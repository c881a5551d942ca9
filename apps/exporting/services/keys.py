"""Keys: customer managed AWS KMS keys and what connected workloads may do with them.

A key's policy is AWS KMS's default one (the account administers the key through IAM), so what a
workload may do is said by its own role: 'read' lets it decrypt, 'write' encrypt and generate data keys
(envelope encryption), 'read_write' both, on this key only. The key is retained when the stack is
deleted, as the CDK's Key construct does by default: whatever it encrypted is unreadable without it, and
AWS KMS's waiting period (``pending_window_days``) applies only when someone schedules its deletion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.services.base import Service, cdk_allow, cdk_attribute

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

DECRYPT = ["kms:Decrypt"]
ENCRYPT = ["kms:Encrypt", "kms:GenerateDataKey"]
ACTIONS = {"read": DECRYPT, "write": ENCRYPT, "read_write": DECRYPT + ENCRYPT}


def key_actions(link: Link) -> list[str]:
    """The AWS KMS actions a connection of this kind allows on the key (least privilege)."""
    return ACTIONS[link.kind]


def sam_kms_key(sam: SamTemplate, key: Component) -> None:
    plan, logical = sam.plan, sam.id(key)
    rotation = bool(plan.prop(key, "enable_key_rotation"))
    properties: dict[str, Any] = {
        "Description": plan.prop(key, "description") or plan.label(key),
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "EnableKeyRotation": rotation,
        "PendingWindowInDays": plan.prop(key, "pending_window_days"),
        "KeyPolicy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministersTheKeyThroughIam",
                    "Effect": "Allow",
                    "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        },
        "Tags": tag_list(key),
    }
    if rotation:
        properties["RotationPeriodInDays"] = plan.prop(key, "rotation_period_days")
    sam.add(logical, "AWS::KMS::Key", properties, key, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
    if plan.prop(key, "alias"):
        sam.add(
            f"{logical}Alias",
            "AWS::KMS::Alias",
            {"AliasName": f"alias/{plan.prop(key, 'alias')}", "TargetKeyId": ref(logical)},
            key,
        )
    sam.output(f"{logical}Arn", getatt(logical, "Arn"), f"ARN of the KMS key {plan.label(key)}", key)


def cdk_kms_key(cdk: CdkStack, key: Component) -> None:
    plan, v = cdk.plan, var(key)
    rotation = bool(plan.prop(key, "enable_key_rotation"))
    args = [
        f"description={py(plan.prop(key, 'description') or plan.label(key))}",
        f"enable_key_rotation={rotation}",
        f"pending_window=Duration.days({plan.prop(key, 'pending_window_days')})",
        "removal_policy=cdk.RemovalPolicy.RETAIN",
    ]
    if rotation:
        args.append(f"rotation_period=Duration.days({plan.prop(key, 'rotation_period_days')})")
    if plan.prop(key, "alias"):
        args.append(f"alias={py('alias/' + plan.prop(key, 'alias'))}")
    cdk.emit(f"{v} = kms.Key(self, {py(cdk.id(key))}, {', '.join(args)})")
    cdk.emit(f"cdk.Tags.of({v}).add('tierplan:component', {py(key.id)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(cdk.id(key) + 'Arn')}, value={v}.key_arn)")
    cdk.emit()


def sam_key_policies(sam: SamTemplate, link: Link) -> list[Any]:
    arn = getatt(sam.id(link.target), "Arn")
    return [{"Statement": [{"Effect": "Allow", "Action": key_actions(link), "Resource": arn}]}]


def cdk_key_grant(cdk: CdkStack, link: Link) -> str:
    return cdk_allow(var(link.source), key_actions(link), [f"{var(link.target)}.key_arn"])


SERVICES = (
    Service(
        "kms_key",
        sam=sam_kms_key,
        cdk=cdk_kms_key,
        cdk_order=15,  # before everything it may encrypt and every workload that uses it
        cdk_env=cdk_attribute("key_arn"),
        sam_env=lambda sam, key: getatt(sam.id(key), "Arn"),
        sam_policies=sam_key_policies,
        cdk_grant=cdk_key_grant,
    ),
)
