"""Custom domains: Route 53 hosted zones (alias records, health checks, failover) and ACM certificates
(DNS validation through a zone, and the custom domain names of the APIs that use them).

Who writes what: the zone writes its records and their health checks; the certificate writes itself and,
for each API that uses it ('secure'), the API's custom domain names and their mappings to the API's stage.
CloudFront and load balancers read their certificate here (``certificate_of``) and write it themselves.
A component's custom domain names are the names of the alias records pointing at it, or, with none, the
certificate's own domain name (``custom_domains``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.designs.domains import (
    certificate_names,
    certificate_of,
    custom_domains,
    record_name,
    validation_zones,
)
from apps.designs.graph import DesignGraph
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

# The hosted zone every CloudFront distribution's alias target is in (the same for all of them).
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
APIS = ("api_gateway_rest", "api_gateway_http", "api_gateway_websocket")


# -- helpers of the export ----------------------------------------------------------------------------


def domain_id(graph: DesignGraph, ids: dict[str, str], api: Component, name: str) -> str:
    """Logical id of an API's custom domain name resource."""
    return f"{ids[api.id]}Domain{custom_domains(graph, api).index(name) + 1}"


def edge_optimized(graph: DesignGraph, api: Component) -> bool:
    return api.type == "api_gateway_rest" and graph.prop(api, "endpoint_type") == "edge"


def _health_path(graph: DesignGraph, target: Component, path: str) -> str:
    """The health check's path on the target's own endpoint (an API's path starts with its stage)."""
    if target.type == "api_gateway_rest":
        return f"/{graph.prop(target, 'stage_name')}{path}"
    if target.type == "api_gateway_http" and graph.prop(target, "stage_name") != "$default":
        return f"/{graph.prop(target, 'stage_name')}{path}"
    return path


def _balancer_https(graph: DesignGraph, balancer: Component) -> bool:
    return bool(graph.prop(balancer, "certificate_arn")) or certificate_of(graph, balancer) is not None


def _failover(link: Link) -> str:
    return str(link.connection.props.get("failover") or "none")


# -- SAM ------------------------------------------------------------------------------------------------


def sam_route53_zone(sam: SamTemplate, zone: Component) -> None:
    plan, logical = sam.plan, sam.id(zone)
    properties: dict[str, Any] = {
        "Name": plan.prop(zone, "domain_name"),
        "HostedZoneConfig": {"Comment": plan.label(zone)[:256]},
        "HostedZoneTags": tag_list(zone),
    }
    vpc = plan.vpc_of(zone)
    if plan.prop(zone, "private") and vpc is not None:
        properties["VPCs"] = [{"VPCId": ref(plan.group_ids[vpc.id]), "VPCRegion": ref("AWS::Region")}]
    sam.add(logical, "AWS::Route53::HostedZone", properties, zone)
    for number, link in enumerate(plan.out(zone, "alias"), start=1):
        target, name = link.target, record_name(plan, link)
        target_id = sam.id(target)
        if target.type == "cloudfront":
            alias = {"DNSName": getatt(target_id, "DomainName"), "HostedZoneId": CLOUDFRONT_ZONE}
        elif target.type == "load_balancer":
            alias = {
                "DNSName": getatt(target_id, "DNSName"),
                "HostedZoneId": getatt(target_id, "CanonicalHostedZoneID"),
            }
        else:
            domain = domain_id(plan, plan.ids, target, name)
            prefix = "Distribution" if edge_optimized(plan, target) else "Regional"
            alias = {
                "DNSName": getatt(domain, f"{prefix}DomainName"),
                "HostedZoneId": getatt(domain, f"{prefix}HostedZoneId"),
            }
        record: dict[str, Any] = {
            "HostedZoneId": ref(logical),
            "Name": name,
            "AliasTarget": {**alias, "EvaluateTargetHealth": False},
        }
        if _failover(link) != "none":
            record.update({"Failover": _failover(link).upper(), "SetIdentifier": link.connection.id})
        path = link.connection.props.get("health_check_path")
        if path:
            check = f"{logical}HealthCheck{number}"
            sam.add(
                check, "AWS::Route53::HealthCheck", {"HealthCheckConfig": sam_health_check(sam, target, path)}, zone
            )
            record["HealthCheckId"] = ref(check)
        types = ["A", "AAAA"] if target.type == "cloudfront" else ["A"]
        for record_type in types:
            sam.add(
                f"{logical}Record{number}{record_type}",
                "AWS::Route53::RecordSet",
                {**record, "Type": record_type},
                zone,
            )
    if not plan.prop(zone, "private"):
        sam.output(
            f"{logical}NameServers",
            {"Fn::Join": [",", getatt(logical, "NameServers")]},
            f"Name servers of {plan.label(zone)} (delegate the domain to them)",
            zone,
        )


def sam_health_check(sam: SamTemplate, target: Component, path: str) -> dict[str, Any]:
    plan, target_id = sam.plan, sam.id(target)
    https = target.type != "load_balancer" or _balancer_https(plan, target)
    if target.type == "cloudfront":
        endpoint: Any = getatt(target_id, "DomainName")
    elif target.type == "load_balancer":
        endpoint = getatt(target_id, "DNSName")
    else:
        endpoint = sub(f"${{{target_id}}}.execute-api.${{AWS::Region}}.amazonaws.com")
    config: dict[str, Any] = {
        "Type": "HTTPS" if https else "HTTP",
        "FullyQualifiedDomainName": endpoint,
        "Port": 443 if https else 80,
        "ResourcePath": _health_path(plan, target, path),
        "RequestInterval": 30,
        "FailureThreshold": 3,
    }
    if https:
        config["EnableSNI"] = True
    return config


def sam_acm_certificate(sam: SamTemplate, certificate: Component) -> None:
    plan, logical = sam.plan, sam.id(certificate)
    names = certificate_names(plan, certificate)
    properties: dict[str, Any] = {"DomainName": names[0], "ValidationMethod": "DNS"}
    if names[1:]:
        properties["SubjectAlternativeNames"] = names[1:]
    zones = validation_zones(plan, certificate)
    if zones:
        properties["DomainValidationOptions"] = [
            {"DomainName": name, "HostedZoneId": ref(sam.id(zone))} for name, zone in zones
        ]
    properties["Tags"] = tag_list(certificate)
    sam.add(logical, "AWS::CertificateManager::Certificate", properties, certificate)
    for link in plan.into(certificate, "secure"):
        if link.source.type in APIS:
            sam_api_domains(sam, link.source, certificate)


def sam_api_domains(sam: SamTemplate, api: Component, certificate: Component) -> None:
    """An API's custom domain names (with the certificate) and the mapping of each to the API's stage."""
    plan, api_id, cert = sam.plan, sam.id(api), ref(sam.id(certificate))
    for name in custom_domains(plan, api):
        domain = domain_id(plan, plan.ids, api, name)
        sam.output(f"{domain}Url", f"https://{name}", f"Custom domain of {plan.label(api)}", api)
        if api.type == "api_gateway_rest":
            edge = edge_optimized(plan, api)
            sam.add(
                domain,
                "AWS::ApiGateway::DomainName",
                {
                    "DomainName": name,
                    "CertificateArn" if edge else "RegionalCertificateArn": cert,
                    "EndpointConfiguration": {"Types": ["EDGE" if edge else "REGIONAL"]},
                    "SecurityPolicy": "TLS_1_2",
                    "Tags": tag_list(api),
                },
                api,
            )
            sam.add(
                f"{domain}Mapping",
                "AWS::ApiGateway::BasePathMapping",
                {"DomainName": ref(domain), "RestApiId": ref(api_id), "Stage": ref(f"{api_id}.Stage")},
                api,
            )
            continue
        sam.add(
            domain,
            "AWS::ApiGatewayV2::DomainName",
            {
                "DomainName": name,
                "DomainNameConfigurations": [
                    {"CertificateArn": cert, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}
                ],
                "Tags": {"tierplan:component": api.id},
            },
            api,
        )
        # An HTTP API's stage is SAM's (<Api>.Stage); a WebSocket API's is ours (<Api>Stage, its Ref the name).
        stage = ref(f"{api_id}.Stage") if api.type == "api_gateway_http" else ref(f"{api_id}Stage")
        sam.add(
            f"{domain}Mapping",
            "AWS::ApiGatewayV2::ApiMapping",
            {"ApiId": ref(api_id), "DomainName": ref(domain), "Stage": stage},
            api,
        )


# -- CDK ------------------------------------------------------------------------------------------------


def cdk_route53_zone(cdk: CdkStack, zone: Component) -> None:
    plan, v, logical = cdk.plan, var(zone), cdk.id(zone)
    name, comment = py(plan.prop(zone, "domain_name")), py(plan.label(zone)[:256])
    vpc = plan.vpc_of(zone)
    cdk.emit(f"# {logical}: hosted zone")
    if plan.prop(zone, "private") and vpc is not None:
        cdk.emit(
            f"{v} = route53.PrivateHostedZone(self, {py(logical)}, zone_name={name}, comment={comment}, vpc=g_{vpc.id})"
        )
    else:
        cdk.emit(f"{v} = route53.PublicHostedZone(self, {py(logical)}, zone_name={name}, comment={comment})")
        cdk.emit(
            f"cdk.CfnOutput(self, {py(logical + 'NameServers')}, value=cdk.Fn.join(',', {v}.hosted_zone_name_servers or []))"
        )
    cdk.emit()


def cdk_zone_records(cdk: CdkStack, zone: Component) -> None:
    """The zone's alias records, once the distributions, load balancers and API domain names exist."""
    plan, v, logical = cdk.plan, var(zone), cdk.id(zone)
    for number, link in enumerate(plan.out(zone, "alias"), start=1):
        target, name = link.target, record_name(plan, link)
        t = var(target)
        if target.type == "cloudfront":
            alias = f"route53_targets.CloudFrontTarget({t})"
        elif target.type == "load_balancer":
            alias = f"route53_targets.LoadBalancerTarget({t})"
        elif target.type == "api_gateway_rest":
            alias = f"route53_targets.ApiGatewayDomain({domain_var(plan, target, name)})"
        else:
            domain = domain_var(plan, target, name)
            alias = f"route53_targets.ApiGatewayv2DomainProperties({domain}.regional_domain_name, {domain}.regional_hosted_zone_id)"
        path = link.connection.props.get("health_check_path")
        check = f"{v}_check_{number}"
        if path:
            cdk.emit(
                f"{check} = route53.CfnHealthCheck(self, {py(f'{logical}HealthCheck{number}')}, "
                f"health_check_config={cdk_health_check(cdk, target, path)})"
            )
        types = ["A", "AAAA"] if target.type == "cloudfront" else ["A"]
        for record_type in types:
            record = f"{v}_record_{number}_{record_type.lower()}"
            construct = "ARecord" if record_type == "A" else "AaaaRecord"
            cdk.emit(
                f"{record} = route53.{construct}(self, {py(f'{logical}Record{number}{record_type}')}, zone={v}, "
                f"record_name={py(name)}, target=route53.RecordTarget.from_alias({alias}))"
            )
            if _failover(link) != "none":
                cdk.emit(
                    f"{record}.node.default_child.add_property_override('Failover', {py(_failover(link).upper())})"
                )
                cdk.emit(
                    f"{record}.node.default_child.add_property_override('SetIdentifier', {py(link.connection.id)})"
                )
            if path:
                cdk.emit(
                    f"{record}.node.default_child.add_property_override('HealthCheckId', {check}.attr_health_check_id)"
                )
    cdk.emit()


def cdk_health_check(cdk: CdkStack, target: Component, path: str) -> str:
    plan, t = cdk.plan, var(target)
    https = target.type != "load_balancer" or _balancer_https(plan, target)
    if target.type == "cloudfront":
        endpoint = f"{t}.distribution_domain_name"
    elif target.type == "load_balancer":
        endpoint = f"{t}.load_balancer_dns_name"
    else:
        attribute = "rest_api_id" if target.type == "api_gateway_rest" else "api_id"
        endpoint = f"cdk.Fn.join('', [{t}.{attribute}, '.execute-api.', cdk.Aws.REGION, '.amazonaws.com'])"
    # The CDK's HTTP API serves its $default stage; a REST API's stage is the one SAM names too.
    resource_path = path if target.type == "api_gateway_http" else _health_path(plan, target, path)
    options = [
        f"type={py('HTTPS' if https else 'HTTP')}",
        f"fully_qualified_domain_name={endpoint}",
        f"port={443 if https else 80}",
        f"resource_path={py(resource_path)}",
        "request_interval=30",
        "failure_threshold=3",
    ]
    if https:
        options.append("enable_sni=True")
    return f"route53.CfnHealthCheck.HealthCheckConfigProperty({', '.join(options)})"


def domain_var(plan: DesignGraph, api: Component, name: str) -> str:
    return f"{var(api)}_domain_{custom_domains(plan, api).index(name) + 1}"


def cdk_acm_certificate(cdk: CdkStack, certificate: Component) -> None:
    plan, v, logical = cdk.plan, var(certificate), cdk.id(certificate)
    names = certificate_names(plan, certificate)
    zones = validation_zones(plan, certificate)
    validation = (
        "acm.CertificateValidation.from_dns_multi_zone({"
        + ", ".join(f"{py(name)}: {var(zone)}" for name, zone in zones)
        + "})"
        if zones
        else "acm.CertificateValidation.from_dns()"
    )
    args = [f"domain_name={py(names[0])}", f"validation={validation}"]
    if names[1:]:
        args.append(f"subject_alternative_names={py(names[1:])}")
    cdk.emit(f"# {logical}: ACM certificate")
    cdk.emit(f"{v} = acm.Certificate(self, {py(logical)}, {', '.join(args)})")
    cdk.emit()


def cdk_certificate_wiring(cdk: CdkStack, certificate: Component) -> None:
    """The custom domain names of the APIs that use the certificate, mapped to their stages."""
    plan, cert = cdk.plan, var(certificate)
    for link in plan.into(certificate, "secure"):
        api = link.source
        if api.type not in APIS or api not in cdk.members:
            continue
        a = var(api)
        for name in custom_domains(plan, api):
            domain, logical = domain_var(plan, api, name), domain_id(plan, plan.ids, api, name)
            cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={py('https://' + name)})")
            if api.type == "api_gateway_rest":
                endpoint = "EDGE" if edge_optimized(plan, api) else "REGIONAL"
                cdk.emit(
                    f"{domain} = apigw.DomainName(self, {py(logical)}, domain_name={py(name)}, certificate={cert}, "
                    f"endpoint_type=apigw.EndpointType.{endpoint}, security_policy=apigw.SecurityPolicy.TLS_1_2)"
                )
                cdk.emit(f"apigw.BasePathMapping(self, {py(logical + 'Mapping')}, domain_name={domain}, rest_api={a})")
                continue
            stage = f"{a}.default_stage" if api.type == "api_gateway_http" else f"{a}_stage"
            cdk.emit(
                f"{domain} = apigwv2.DomainName(self, {py(logical)}, domain_name={py(name)}, certificate={cert}, "
                "security_policy=apigwv2.SecurityPolicy.TLS_1_2)"
            )
            cdk.emit(
                f"apigwv2.ApiMapping(self, {py(logical + 'Mapping')}, api={a}, domain_name={domain}, stage={stage})"
            )
    cdk.emit()


SERVICES = (
    # Before the certificates that validate through them; their records wait for every target (cdk_wiring).
    Service("route53_zone", sam=sam_route53_zone, cdk=cdk_route53_zone, cdk_order=3, cdk_wiring=cdk_zone_records),
    # Before the load balancers and distributions that take them; API domain names once the APIs exist.
    Service(
        "acm_certificate",
        sam=sam_acm_certificate,
        cdk=cdk_acm_certificate,
        cdk_order=4,
        cdk_wiring=cdk_certificate_wiring,
    ),
)
