"""AWS WAF: a web ACL of AWS managed rule groups and a per-IP rate limit, and what it protects.

One web ACL has one scope: CLOUDFRONT (created in us-east-1 and named by each distribution's
``WebACLId``) or REGIONAL (joined to REST API stages and user pools by a ``WebACLAssociation``); the
design validation refuses a web ACL that would need both. SAM and CDK write the same web ACL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component
from apps.designs.firewall import RATE_RULE, web_acl_rules
from apps.exporting.cfn import getatt, py, sub, tag_list, var
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.plan import Plan
    from apps.exporting.sam import SamTemplate


def scope(plan: Plan, acl: Component) -> str:
    targets = [link.target.type for link in plan.out(acl, "protect")]
    return "CLOUDFRONT" if "cloudfront" in targets else "REGIONAL"


def _visibility(metric: str) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}


def web_acl_properties(plan: Plan, acl: Component, logical: str) -> dict[str, Any]:
    rules = []
    for priority, name in enumerate(web_acl_rules(lambda prop: plan.prop(acl, prop))):
        if name == RATE_RULE:
            statement = {"RateBasedStatement": {"Limit": plan.prop(acl, "rate_limit"), "AggregateKeyType": "IP"}}
            rules.append({"Name": name, "Priority": priority, "Action": {"Block": {}}, "Statement": statement,
                          "VisibilityConfig": _visibility(f"{logical}{name}")})  # fmt: skip
        else:
            statement = {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}}
            rules.append({"Name": name, "Priority": priority, "OverrideAction": {"None": {}}, "Statement": statement,
                          "VisibilityConfig": _visibility(f"{logical}{name}")})  # fmt: skip
    return {
        "Scope": scope(plan, acl),
        "DefaultAction": {"Block": {}} if plan.prop(acl, "default_action") == "block" else {"Allow": {}},
        "VisibilityConfig": _visibility(logical),
        "Rules": rules,
        "Tags": tag_list(acl),
    }


def protected_by(plan: Plan, component: Component) -> Component | None:
    """The web ACL protecting a component (AWS allows one per resource), or None."""
    return next((link.source for link in plan.into(component, "protect")), None)


def sam_resource_arn(sam: SamTemplate, target: Component) -> Any:
    if target.type == "api_gateway_rest":
        logical = sam.id(target)
        return sub(
            f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{{logical}}}/stages/${{{logical}StageName}}"
        )
    return getatt(sam.id(target), "Arn")


def sam_web_acl(sam: SamTemplate, acl: Component) -> None:
    logical = sam.id(acl)
    sam.add(logical, "AWS::WAFv2::WebACL", web_acl_properties(sam.plan, acl, logical), acl)
    for link in sam.plan.out(acl, "protect"):
        if link.target.type == "cloudfront":
            continue  # the distribution names the web ACL itself
        extra = {"DependsOn": [f"{sam.id(link.target)}Stage"]} if link.target.type == "api_gateway_rest" else {}
        sam.add(
            f"{logical}{sam.id(link.target)}Association",
            "AWS::WAFv2::WebACLAssociation",
            {"ResourceArn": sam_resource_arn(sam, link.target), "WebACLArn": getatt(logical, "Arn")},
            acl,
            **extra,
        )


def cdk_web_acl(cdk: CdkStack, acl: Component) -> None:
    logical = cdk.id(acl)
    properties = web_acl_properties(cdk.plan, acl, logical)
    cdk.emit(f"# {logical}: AWS WAF web ACL ({properties['Scope']})")
    cdk.emit(
        f"{var(acl)} = cdk.CfnResource(self, {py(logical)}, type='AWS::WAFv2::WebACL', properties={py(properties)})"
    )
    cdk.emit(f"{var(acl)}.override_logical_id({py(logical)})")
    cdk.emit()


CDK_RESOURCE_ARNS = {
    "api_gateway_rest": "{v}.deployment_stage.stage_arn",
    "cognito_user_pool": "{v}.user_pool_arn",
}


def cdk_web_acl_wiring(cdk: CdkStack, acl: Component) -> None:
    for link in cdk.plan.out(acl, "protect"):
        if link.target.type == "cloudfront":
            continue
        arn = CDK_RESOURCE_ARNS[link.target.type].format(v=var(link.target))
        cdk.emit(
            f"wafv2.CfnWebACLAssociation(self, {py(cdk.id(acl) + cdk.id(link.target) + 'Association')}, "
            f"resource_arn={arn}, web_acl_arn={var(acl)}.get_att('Arn').to_string())"
        )


def sam_web_acl_id(sam: SamTemplate, distribution: Component) -> Any | None:
    acl = protected_by(sam.plan, distribution)
    return getatt(sam.id(acl), "Arn") if acl is not None else None


def cdk_web_acl_id(cdk: CdkStack, distribution: Component) -> str | None:
    acl = protected_by(cdk.plan, distribution)
    return f"{var(acl)}.get_att('Arn').to_string()" if acl is not None else None


SERVICES = (
    # Before CloudFront (60), whose distributions name it; associations wait for the wiring step.
    Service("waf_web_acl", sam=sam_web_acl, cdk=cdk_web_acl, cdk_order=5, cdk_wiring=cdk_web_acl_wiring),
)
