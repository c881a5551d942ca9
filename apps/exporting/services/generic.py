"""Any CloudFormation resource: a ``cloudformation_resource`` component is written as its user wrote it.

Its ``properties`` reach the template verbatim (the plan keeps them out of the text escaping, as they
are CloudFormation on purpose and were validated against CloudFormation's own schema, dynamic
references and stray ``${…}`` refused). SAM writes the resource; CDK a ``CfnResource`` with the same
logical id, so a ``Ref`` or ``Fn::GetAtt`` from one such resource to another means the same in both.
A function connected with ``reference`` finds the resource's Ref in ``<ID>_REF`` and may take the
connection's IAM actions on its ARN (``*`` when the type has no Arn attribute).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.cfn_schemas import resource_schema
from apps.designs.document import Component, Link
from apps.exporting.cfn import getatt, py, var
from apps.exporting.services.base import Service, cdk_allow

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


def sam_resource(sam: SamTemplate, resource: Component) -> None:
    plan = sam.plan
    sam.add(sam.id(resource), plan.prop(resource, "resource_type"), dict(plan.prop(resource, "properties")), resource)


def cdk_resource(cdk: CdkStack, resource: Component) -> None:
    plan, v, logical = cdk.plan, var(resource), cdk.id(resource)
    cdk.emit(f"# {logical}: {plan.prop(resource, 'resource_type')}")
    cdk.emit(
        f"{v} = cdk.CfnResource(self, {py(logical)}, type={py(plan.prop(resource, 'resource_type'))}, "
        f"properties={py(dict(plan.prop(resource, 'properties')))})"
    )
    cdk.emit(f"{v}.override_logical_id({py(logical)})")
    cdk.emit()


def actions(link: Link) -> list[str]:
    return [action.strip() for action in str(link.prop("actions") or "").split(",") if action.strip()]


def has_arn(resource_type: str) -> bool:
    return "Arn" in resource_schema(resource_type).read_only


def sam_reference_policies(sam: SamTemplate, link: Link) -> list[Any]:
    wanted = actions(link)
    if not wanted:
        return []
    target = link.target
    arn = getatt(sam.id(target), "Arn") if has_arn(sam.plan.prop(target, "resource_type")) else "*"
    return [{"Statement": [{"Effect": "Allow", "Action": wanted, "Resource": arn}]}]


def cdk_reference_grant(cdk: CdkStack, link: Link) -> str | None:
    wanted = actions(link)
    if not wanted:
        return None
    target = link.target
    arn = f"{var(target)}.get_att('Arn').to_string()" if has_arn(cdk.plan.prop(target, "resource_type")) else "'*'"
    return cdk_allow(var(link.source), wanted, [arn])


SERVICES = (
    Service(
        "cloudformation_resource",
        sam=sam_resource,
        cdk=cdk_resource,
        cdk_order=26,
        cdk_env=lambda cdk, resource: f"{var(resource)}.ref",
        sam_policies=sam_reference_policies,
        cdk_grant=cdk_reference_grant,
    ),
)
