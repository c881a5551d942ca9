"""Governance: Lambda-backed custom resources.

A custom resource is provisioning logic of the application's own: CloudFormation sends its create, update
and delete requests, with the resource's properties, to its provider (the ``ServiceToken``) and waits for
the response. The provider is the function connected with ``provide``, or, for one served outside the
design, the ARN the ``service_token`` prop names. CloudFormation invokes a function of the same stack with
the deploying principal's permissions, so no ``AWS::Lambda::Permission`` is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component
from apps.exporting.cfn import getatt, py, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

GENERIC_TYPE = "AWS::CloudFormation::CustomResource"


def _fail(component: Component, why: str) -> None:
    raise ExportError(f"component {component.id!r} ({component.type}) cannot be exported: {why}")


def provider(plan: Plan, resource: Component) -> Component | None:
    """The function serving the custom resource, or None when its service_token names one outside."""
    links = plan.out(resource, "provide")
    if len(links) > 1:
        _fail(resource, "a custom resource has one provider (one ServiceToken); it is connected to several")
    if links:
        function = links[0].target
        if plan.prop(function, "role") != "function":
            _fail(resource, f"its provider {function.id!r} is an authorizer or an edge function, not a function")
        return function
    if not plan.prop(resource, "service_token"):
        _fail(resource, "it has no provider: connect the function that serves it with 'provide', or give service_token")
    return None


def resource_properties(plan: Plan, resource: Component) -> dict[str, str]:
    """The properties the provider receives, from ``Name=value;Other=value`` (the catalog's pattern keeps
    the names apart from ServiceToken and ServiceTimeout)."""
    properties: dict[str, str] = {}
    raw = plan.prop(resource, "properties") or ""
    for pair in raw.split(";") if raw else []:
        name, _, value = pair.partition("=")
        if name in properties:
            _fail(resource, f"its properties name {name!r} twice")
        properties[name] = value
    return properties


def sam_custom_resource(sam: SamTemplate, resource: Component) -> None:
    plan = sam.plan
    function = provider(plan, resource)
    token: Any = getatt(sam.id(function), "Arn") if function is not None else plan.prop(resource, "service_token")
    properties: dict[str, Any] = {"ServiceToken": token}
    if plan.prop(resource, "service_timeout_s") is not None:
        properties["ServiceTimeout"] = plan.prop(resource, "service_timeout_s")
    properties.update(resource_properties(plan, resource))
    sam.add(sam.id(resource), plan.prop(resource, "resource_type"), properties, resource)


def cdk_custom_resource(cdk: CdkStack, resource: Component) -> None:
    plan = cdk.plan
    function = provider(plan, resource)
    token = f"{var(function)}.function_arn" if function is not None else py(plan.prop(resource, "service_token"))
    args = [f"service_token={token}"]
    resource_type = plan.prop(resource, "resource_type")
    if resource_type != GENERIC_TYPE:  # the CDK's own default type
        args.append(f"resource_type={py(resource_type)}")
    properties = resource_properties(plan, resource)
    if properties:
        args.append(f"properties={py(properties)}")
    if plan.prop(resource, "service_timeout_s") is not None:
        args.append(f"service_timeout=Duration.seconds({plan.prop(resource, 'service_timeout_s')})")
    cdk.emit(f"{var(resource)} = cdk.CustomResource(self, {py(cdk.id(resource))}, {', '.join(args)})")
    cdk.emit()


SERVICES = (
    # After the functions that serve it.
    Service("custom_resource", sam=sam_custom_resource, cdk=cdk_custom_resource, cdk_order=80),
)
