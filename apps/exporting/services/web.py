"""The edge and the clients: CloudFront distributions (origins, behaviours, edge functions) and
the browsers and mobile apps that are drawn, costed and reviewed but not deployed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component
from apps.designs.domains import certificate_of, custom_domains
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.services.base import Service, not_deployed
from apps.exporting.services.firewall import cdk_web_acl_id, sam_web_acl_id

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

CACHE_POLICIES = {
    "caching_optimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "caching_disabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
}
ORIGIN_REQUEST_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SPA_REWRITE = (
    "function handler(event) {\n"
    "  var request = event.request;\n"
    "  if (request.uri.indexOf('.') === -1) { request.uri = '/index.html'; }\n"
    "  return request;\n"
    "}\n"
)
EDGE_EVENTS = {
    "viewer-request": "VIEWER_REQUEST",
    "viewer-response": "VIEWER_RESPONSE",
    "origin-request": "ORIGIN_REQUEST",
    "origin-response": "ORIGIN_RESPONSE",
}
PRICE_CLASSES = {
    "PriceClass_All": "PRICE_CLASS_ALL",
    "PriceClass_200": "PRICE_CLASS_200",
    "PriceClass_100": "PRICE_CLASS_100",
}


def sam_cloudfront(sam: SamTemplate, distribution: Component) -> None:
    plan, logical = sam.plan, sam.id(distribution)
    origins, behaviors = [], []
    default_behavior: dict[str, Any] | None = None
    edge = [
        {"EventType": link.prop("event_type"), "LambdaFunctionARN": ref(f"{sam.id(link.target)}.Version")}
        for link in plan.out(distribution, "edge")
    ]
    for link in plan.origins(distribution):
        target, origin_id = link.target, sam.id(link.target)
        if target.type == "s3_bucket":
            control = f"{logical}{origin_id}Access"
            sam.add(
                control,
                "AWS::CloudFront::OriginAccessControl",
                {
                    "OriginAccessControlConfig": {
                        "Name": sub(f"${{AWS::StackName}}-{distribution.id}-{target.id}"),
                        "OriginAccessControlOriginType": "s3",
                        "SigningBehavior": "always",
                        "SigningProtocol": "sigv4",
                    }
                },
                distribution,
            )
            origins.append(
                {
                    "Id": origin_id,
                    "DomainName": getatt(origin_id, "RegionalDomainName"),
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": getatt(control, "Id"),
                }
            )
            methods = ["GET", "HEAD", "OPTIONS"]
        elif target.type == "load_balancer":
            # HTTPS to the balancer when it has a certificate (which must then cover its DNS name), else HTTP.
            https = plan.prop(target, "certificate_arn") or certificate_of(plan, target)
            policy = "https-only" if https else "http-only"
            origins.append(
                {
                    "Id": origin_id,
                    "DomainName": getatt(origin_id, "DNSName"),
                    "CustomOriginConfig": {"OriginProtocolPolicy": policy, "OriginSSLProtocols": ["TLSv1.2"]},
                }
            )
            methods = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
        else:
            origin: dict[str, Any] = {
                "Id": origin_id,
                "DomainName": sub(f"${{{origin_id}}}.execute-api.${{AWS::Region}}.amazonaws.com"),
                "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
            }
            if target.type == "api_gateway_rest":
                origin["OriginPath"] = sub(f"/${{{origin_id}StageName}}")
            origins.append(origin)
            methods = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
        behavior: dict[str, Any] = {
            "TargetOriginId": origin_id,
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": methods,
            "CachedMethods": ["GET", "HEAD"],
            "Compress": True,
            "CachePolicyId": CACHE_POLICIES[link.prop("cache_policy")],
        }
        if target.type != "s3_bucket":
            behavior["OriginRequestPolicyId"] = ORIGIN_REQUEST_ALL_VIEWER_EXCEPT_HOST
        if edge:
            behavior["LambdaFunctionAssociations"] = edge
        if link.prop("path_pattern") == "*":
            default_behavior = behavior
        else:
            behaviors.append({"PathPattern": link.prop("path_pattern"), **behavior})
    if default_behavior is None:
        default_behavior = {key: value for key, value in behaviors[0].items() if key != "PathPattern"}
    if plan.prop(distribution, "spa_fallback"):
        # A viewer-request function sends app routes (paths without a file extension) to index.html;
        # unlike error-page rewriting it leaves the API's own 403 and 404 answers alone.
        sam.add(
            f"{logical}SpaRewrite",
            "AWS::CloudFront::Function",
            {
                "Name": sub(f"${{AWS::StackName}}-{distribution.id}-spa"),
                "AutoPublish": True,
                "FunctionConfig": {"Comment": "Route app paths to index.html", "Runtime": "cloudfront-js-2.0"},
                "FunctionCode": SPA_REWRITE,
            },
            distribution,
        )
        default_behavior["FunctionAssociations"] = [
            {"EventType": "viewer-request", "FunctionARN": getatt(f"{logical}SpaRewrite", "FunctionARN")}
        ]
    certificate_component = certificate_of(plan, distribution)
    config: dict[str, Any] = {
        "Enabled": True,
        "Comment": plan.label(distribution)[:128],
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "PriceClass": plan.prop(distribution, "price_class"),
        "Origins": origins,
        "DefaultCacheBehavior": default_behavior,
    }
    if certificate_component is not None:
        # The first-class way: its certificate ('secure') and the names of the alias records to it.
        config["Aliases"] = custom_domains(plan, distribution)
        config["ViewerCertificate"] = {
            "AcmCertificateArn": ref(sam.id(certificate_component)),
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }
    else:
        domain, certificate, has_domain = sam.domain_parameters(distribution, plan.prop(distribution, "domain_name"))
        config["Aliases"] = {"Fn::If": [has_domain, [ref(domain)], ref("AWS::NoValue")]}
        config["ViewerCertificate"] = {
            "Fn::If": [
                has_domain,
                {
                    "AcmCertificateArn": ref(certificate),
                    "SslSupportMethod": "sni-only",
                    "MinimumProtocolVersion": "TLSv1.2_2021",
                },
                {"CloudFrontDefaultCertificate": True},
            ]
        }
    if any(link.target.type == "s3_bucket" for link in plan.origins(distribution)):
        config["DefaultRootObject"] = plan.prop(distribution, "default_root_object")
    web_acl = sam_web_acl_id(sam, distribution)
    if web_acl is not None:
        config["WebACLId"] = web_acl
    if behaviors:
        config["CacheBehaviors"] = behaviors
    sam.add(
        logical,
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": config, "Tags": tag_list(distribution)},
        distribution,
    )
    sam.output(
        f"{logical}DomainName",
        getatt(logical, "DomainName"),
        f"CloudFront domain of {plan.label(distribution)}",
        distribution,
    )


def cdk_cloudfront(cdk: CdkStack, distribution: Component) -> None:
    plan, v, logical = cdk.plan, var(distribution), cdk.id(distribution)
    edge = [
        f"cloudfront.EdgeLambda(function_version={var(link.target)}.current_version, event_type=cloudfront.LambdaEdgeEventType.{EDGE_EVENTS[link.prop('event_type')]})"
        for link in plan.out(distribution, "edge")
    ]
    spa = bool(cdk.prop(distribution, "spa_fallback"))
    if spa:
        cdk.emit(
            f"{v}_spa = cloudfront.Function(self, {py(logical + 'SpaRewrite')}, code=cloudfront.FunctionCode.from_inline({py(SPA_REWRITE)}), runtime=cloudfront.FunctionRuntime.JS_2_0, comment='Route app paths to index.html')"
        )
    default: str | None = None
    additional: list[str] = []
    for link in plan.origins(distribution):
        target, t = link.target, var(link.target)
        if target.type == "s3_bucket":
            origin = f"origins.S3BucketOrigin.with_origin_access_control({t})"
            methods = "cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS"
        elif target.type == "api_gateway_rest":
            origin = f"origins.RestApiOrigin({t})"
            methods = "cloudfront.AllowedMethods.ALLOW_ALL"
        elif target.type == "load_balancer":
            https = cdk.prop(target, "certificate_arn") or certificate_of(plan, target)
            policy = "HTTPS_ONLY" if https else "HTTP_ONLY"
            origin = f"origins.LoadBalancerV2Origin({t}, protocol_policy=cloudfront.OriginProtocolPolicy.{policy})"
            methods = "cloudfront.AllowedMethods.ALLOW_ALL"
        else:
            origin = (
                f"origins.HttpOrigin(cdk.Fn.join('', [{t}.api_id, '.execute-api.', cdk.Aws.REGION, '.amazonaws.com']))"
            )
            methods = "cloudfront.AllowedMethods.ALLOW_ALL"
        cache = "CACHING_OPTIMIZED" if link.prop("cache_policy") == "caching_optimized" else "CACHING_DISABLED"
        options = [
            f"origin={origin}",
            "viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS",
            f"allowed_methods={methods}",
            f"cache_policy=cloudfront.CachePolicy.{cache}",
            "compress=True",
        ]
        if target.type != "s3_bucket":
            options.append("origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER")
        if edge:
            options.append(f"edge_lambdas=[{', '.join(edge)}]")
        if link.prop("path_pattern") == "*":
            if spa:
                options.append(
                    f"function_associations=[cloudfront.FunctionAssociation(function={v}_spa, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)]"
                )
            default = f"cloudfront.BehaviorOptions({', '.join(options)})"
        else:
            additional.append(f"{py(link.prop('path_pattern'))}: cloudfront.BehaviorOptions({', '.join(options)})")
    if default is None:
        default = additional.pop(0).split(": ", 1)[1]
    certificate = certificate_of(plan, distribution)
    if certificate is not None:
        domains = [
            f"domain_names={py(custom_domains(plan, distribution))}",
            f"certificate={var(certificate)}",
        ]
    else:
        domain_key, certificate_key = py(distribution.id + "_domain"), py(distribution.id + "_certificate_arn")
        cdk.emit(
            f"{v}_domain = self.node.try_get_context({domain_key}) or {py(cdk.prop(distribution, 'domain_name') or '')}"
        )
        cdk.emit(f"{v}_certificate = self.node.try_get_context({certificate_key})")
        domains = [
            f"domain_names=[{v}_domain] if {v}_domain and {v}_certificate else None",
            f"certificate=acm.Certificate.from_certificate_arn(self, {py(logical + 'Certificate')}, {v}_certificate) if {v}_domain and {v}_certificate else None",
        ]
    args = [
        f"default_behavior={default}",
        f"comment={py(plan.label(distribution)[:128])}",
        "http_version=cloudfront.HttpVersion.HTTP2_AND_3",
        "enable_ipv6=True",
        f"price_class=cloudfront.PriceClass.{PRICE_CLASSES[cdk.prop(distribution, 'price_class')]}",
        *domains,
        "minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021",
    ]
    if any(link.target.type == "s3_bucket" for link in plan.origins(distribution)):
        args.append(f"default_root_object={py(cdk.prop(distribution, 'default_root_object'))}")
    web_acl = cdk_web_acl_id(cdk, distribution)
    if web_acl is not None:
        args.append(f"web_acl_id={web_acl}")
    if additional:
        args.append(f"additional_behaviors={{{', '.join(additional)}}}")
    cdk.emit(f"# {logical}: CloudFront distribution")
    cdk.emit(f"{v} = cloudfront.Distribution(self, {py(logical)}, {', '.join(args)})")
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'DomainName')}, value={v}.distribution_domain_name)")
    cdk.emit()


SERVICES = (
    not_deployed("browser"),
    not_deployed("mobile_app"),
    Service("cloudfront", sam=sam_cloudfront, cdk=cdk_cloudfront, cdk_order=60),
)
