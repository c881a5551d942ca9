"""Files: Amazon EFS file systems that functions mount through an access point.

A file system is regional, but its mount targets live in the private subnets of one VPC: the VPC group
it is drawn in, where its functions must be too. A connected function mounts it at ``/mnt/<id>`` (what
its ``<ID>_MOUNT_PATH`` variable says), waits for the mount targets, and may mount (and, unless it only
reads, write) through the access point only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Group, Link
from apps.exporting.cfn import getatt, py, ref, tag_list, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service
from apps.exporting.services.stores import cdk_store_network, sam_store_network

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

DATA_KINDS = ("read", "write", "read_write")
# The access point's POSIX identity: files the functions create belong to it, under /lambda.
POSIX_ID = "1000"
ROOT = "/lambda"


def mount_path(file_system: Component) -> str:
    return f"/mnt/{file_system.id}"


def mounting(plan: Plan, file_system: Component) -> list[Link]:
    return [link for link in plan.into(file_system, *DATA_KINDS) if link.source.type == "lambda_function"]


def file_system_vpc(plan: Plan, file_system: Component) -> Group:
    """The VPC of the mount targets, which every function mounting the file system must be in."""
    vpc = plan.vpc_of(file_system)
    assert vpc is not None  # vpc_only: the plan refuses a file system outside a VPC group
    for link in mounting(plan, file_system):
        if plan.vpc_of(link.source) is not vpc:
            raise ExportError(
                f"connection {link.connection.id!r} ({link.source.id} → {file_system.id}) cannot be exported: "
                "a function mounts an EFS file system from inside the file system's VPC; put it in that VPC group"
            )
    return vpc


def mounted(plan: Plan, fn: Component) -> tuple[Component, bool] | None:
    """The file system a function mounts and whether it writes to it (Lambda mounts at most one)."""
    links = [link for link in plan.out(fn, *DATA_KINDS) if link.target.type == "efs_file_system"]
    if not links:
        return None
    if len({link.target.id for link in links}) > 1:
        raise ExportError(f"component {fn.id!r} (lambda_function) cannot be exported: Lambda mounts one file system")
    return links[0].target, any(link.kind != "read" for link in links)


def sam_efs_file_system(sam: SamTemplate, file_system: Component) -> None:
    plan, logical = sam.plan, sam.id(file_system)
    properties: dict[str, Any] = {
        "Encrypted": True,
        "PerformanceMode": "generalPurpose",
        "ThroughputMode": plan.prop(file_system, "throughput_mode"),
        "BackupPolicy": {"Status": "ENABLED"},
        "FileSystemTags": tag_list(file_system),
    }
    days = plan.prop(file_system, "transition_to_ia_days")
    if days:
        properties["LifecyclePolicies"] = [{"TransitionToIA": f"AFTER_{days}_DAY{'S' if days > 1 else ''}"}]
    sam.add(
        logical, "AWS::EFS::FileSystem", properties, file_system, DeletionPolicy="Retain", UpdateReplacePolicy="Retain"
    )
    sam.add(
        f"{logical}AccessPoint",
        "AWS::EFS::AccessPoint",
        {
            "FileSystemId": ref(logical),
            "PosixUser": {"Uid": POSIX_ID, "Gid": POSIX_ID},
            "RootDirectory": {
                "Path": ROOT,
                "CreationInfo": {"OwnerUid": POSIX_ID, "OwnerGid": POSIX_ID, "Permissions": "750"},
            },
        },
        file_system,
    )
    file_system_vpc(plan, file_system)
    group, subnets = sam_store_network(sam, file_system)
    for index, subnet in enumerate(subnets):
        sam.add(
            f"{logical}MountTarget{index + 1}",
            "AWS::EFS::MountTarget",
            {"FileSystemId": ref(logical), "SubnetId": subnet, "SecurityGroups": [getatt(group, "GroupId")]},
            file_system,
        )
    sam.output(f"{logical}Id", ref(logical), f"File system of {plan.label(file_system)}", file_system)


def cdk_efs_file_system(cdk: CdkStack, file_system: Component) -> None:
    plan, v, logical = cdk.plan, var(file_system), cdk.id(file_system)
    vpc = file_system_vpc(plan, file_system)
    group = cdk_store_network(cdk, file_system)
    days = cdk.prop(file_system, "transition_to_ia_days")
    lifecycle = f"lifecycle_policy=efs.LifecyclePolicy.{ia_rule(days)}, " if days else ""
    throughput = "ELASTIC" if cdk.prop(file_system, "throughput_mode") == "elastic" else "BURSTING"
    cdk.emit(
        f"{v} = efs.FileSystem(self, {py(logical)}, vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_group={group}, "
        f"encrypted=True, performance_mode=efs.PerformanceMode.GENERAL_PURPOSE, throughput_mode=efs.ThroughputMode.{throughput}, "
        f"{lifecycle}enable_automatic_backups=True, removal_policy=cdk.RemovalPolicy.RETAIN)"
    )
    cdk.emit(
        f"{v}_access_point = {v}.add_access_point('AccessPoint', path={py(ROOT)}, "
        f"create_acl=efs.Acl(owner_uid={py(POSIX_ID)}, owner_gid={py(POSIX_ID)}, permissions='750'), "
        f"posix_user=efs.PosixUser(uid={py(POSIX_ID)}, gid={py(POSIX_ID)}))"
    )
    cdk.emit()


def ia_rule(days: int) -> str:
    return f"AFTER_{days}_DAY{'S' if days > 1 else ''}"


# -- the function's side: the mount, the wait for the mount targets, the permission -------------------------


def sam_function_mounts(sam: SamTemplate, fn: Component) -> tuple[dict[str, Any], list[str]]:
    """The function's FileSystemConfigs and the mount targets it must wait for."""
    found = mounted(sam.plan, fn)
    if found is None:
        return {}, []
    file_system, _ = found
    logical = sam.id(file_system)
    vpc = file_system_vpc(sam.plan, file_system)
    configs = {
        "FileSystemConfigs": [
            {"Arn": getatt(f"{logical}AccessPoint", "Arn"), "LocalMountPath": mount_path(file_system)}
        ]
    }
    return configs, [f"{logical}MountTarget{i + 1}" for i in range(sam.plan.vpc_prop(vpc, "az_count"))]


def mount_actions(writes: bool) -> list[str]:
    return ["elasticfilesystem:ClientMount"] + (["elasticfilesystem:ClientWrite"] if writes else [])


def cdk_function_mount(cdk: CdkStack, fn: Component) -> str | None:
    """The ``filesystem=`` argument of a function that mounts a file system (it waits for the mounts)."""
    found = mounted(cdk.plan, fn)
    if found is None:
        return None
    file_system, writes = found
    file_system_vpc(cdk.plan, file_system)
    v = var(file_system)
    # The configuration spelled out (rather than FileSystem.from_efs_access_point, which always grants
    # ClientWrite and adds a second ingress rule): the same statement as the SAM export.
    policy = (
        f"iam.PolicyStatement(actions={py(mount_actions(writes))}, resources=[{v}.file_system_arn], "
        f"conditions={{'StringEquals': {{'elasticfilesystem:AccessPointArn': {v}_access_point.access_point_arn}}}})"
    )
    return (
        f"filesystem=lambda_.FileSystem(arn={v}_access_point.access_point_arn, "
        f"local_mount_path={py(mount_path(file_system))}, dependency=[{v}.mount_targets_available], policies=[{policy}])"
    )


def sam_efs_policies(sam: SamTemplate, link: Link) -> list[Any]:
    logical = sam.id(link.target)
    statement = {
        "Effect": "Allow",
        "Action": mount_actions(link.kind != "read"),
        "Resource": getatt(logical, "Arn"),
        "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": getatt(f"{logical}AccessPoint", "Arn")}},
    }
    return [{"Version": "2012-10-17", "Statement": [statement]}]


def cdk_efs_grant(cdk: CdkStack, link: Link) -> str | None:
    return None  # the function's file system configuration carries the statement (cdk_function_mount)


SERVICES = (
    Service(
        "efs_file_system",
        sam=sam_efs_file_system,
        cdk=cdk_efs_file_system,
        cdk_order=21,
        sam_env=lambda sam, file_system: mount_path(file_system),
        cdk_env=lambda cdk, file_system: py(mount_path(file_system)),
        sam_policies=sam_efs_policies,
        cdk_grant=cdk_efs_grant,
    ),
)
