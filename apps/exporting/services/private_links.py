"""Private integrations: an API reaching a load balancer in a VPC through a VPC link.

An 'integrate' connection from an HTTP API to a load balancer becomes an HTTP proxy integration whose
connection is a VPC link (API Gateway's VPC link V2: elastic network interfaces in the private subnets
of the load balancer's VPC, with a security group of their own) and whose URI is the balancer's
listener. One VPC link per API and VPC serves every load balancer of that VPC the API reaches. The
VPC link's security group may only reach the VPC's addresses on the listener's ports, which the
balancer's own security group admits (internal: the VPC's CIDR; internet-facing: anyone).

A REST API reaches a Network Load Balancer through a VPC link of the first kind (AWS::ApiGateway::VpcLink,
one per API and balancer, which runs over PrivateLink to it) and an HTTP proxy integration whose URI is
the balancer's DNS name with the route's path; the document refuses a REST API's route to an
Application Load Balancer, which needs a VPC link V2 and a target ARN the export does not write yet.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Group, Link
from apps.exporting.cfn import getatt, py, ref, sub, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.load_balancing import https, listener_id, network

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


def is_private_route(link: Link) -> bool:
    """Whether an API route reaches a load balancer through a VPC link (a private integration)."""
    return link.kind == "integrate" and link.target.type == "load_balancer"


def private_routes(plan: Plan, api: Component) -> list[tuple[Link, str, str]]:
    return [route for route in plan.routes(api) if is_private_route(route[0])]


def rest_link_id(plan: Plan, api: Component, balancer: Component) -> str:
    return f"{plan.ids[api.id]}VpcLink{plan.ids[balancer.id]}"


def rest_balancers(plan: Plan, api: Component) -> list[Component]:
    """The Network Load Balancers a REST API reaches (one VPC link each), in route order."""
    found: list[Component] = []
    for link, _, _ in private_routes(plan, api):
        if link.target not in found:
            check_rest_target(plan, link)
            found.append(link.target)
    return found


def check_rest_target(plan: Plan, link: Link) -> None:
    def fail(why: str) -> None:
        raise ExportError(
            f"connection {link.connection.id!r} ({link.source.id} → {link.target.id}) cannot be exported: {why}"
        )

    if not network(plan, link.target):
        fail("a REST API reaches a load balancer through a VPC link to a Network Load Balancer (balancer_type network)")
    if https(plan, link.target):
        fail(
            "API Gateway would check the TLS listener's certificate against the load balancer's own DNS name, which "
            "a certificate for your domain does not cover; leave certificate_arn empty (the VPC link keeps the "
            "traffic inside AWS) or reach it from an HTTP API"
        )


def rest_uri_path(path: str) -> str:
    """The route's path as the integration URI's path: ``{proxy+}`` becomes ``{proxy}``."""
    return path.replace("+}", "}")


def path_names(path: str) -> list[str]:
    return [name.rstrip("+") for name in re.findall(r"\{([^}]+)\}", path)]


def link_vpcs(plan: Plan, api: Component) -> list[Group]:
    """The VPCs the API's VPC links reach into (one link each), in route order."""
    vpcs: list[Group] = []
    for link, _, _ in private_routes(plan, api):
        vpc = plan.vpc_of(link.target)
        assert vpc is not None  # vpc_only: the plan refuses a load balancer outside a VPC
        if vpc not in vpcs:
            vpcs.append(vpc)
    return vpcs


def ports(plan: Plan, vpc: Group, api: Component) -> list[int]:
    """The listener ports the VPC link must reach: 443 for balancers with a certificate, else 80."""
    found = {
        443 if https(plan, link.target) else 80
        for link, _, _ in private_routes(plan, api)
        if plan.vpc_of(link.target) is vpc
    }
    return sorted(found)


def vpc_link_id(plan: Plan, api: Component, vpc: Group) -> str:
    return f"{plan.ids[api.id]}VpcLink{plan.group_ids[vpc.id]}"


def cdk_vpc_link_var(api: Component, vpc: Group) -> str:
    return f"{var(api)}_vpc_link_{vpc.id}"


# -- SAM -------------------------------------------------------------------------------------------


def sam_vpc_links(sam: SamTemplate, api: Component) -> None:
    plan = sam.plan
    if api.type == "api_gateway_rest":
        for balancer in rest_balancers(plan, api):
            sam.add(
                rest_link_id(plan, api, balancer),
                "AWS::ApiGateway::VpcLink",
                {"Name": sub(f"${{AWS::StackName}}-{api.id}-{balancer.id}"), "TargetArns": [ref(sam.id(balancer))]},
                api,
            )
        return
    for vpc in link_vpcs(plan, api):
        vpc_logical, logical = plan.group_ids[vpc.id], vpc_link_id(plan, api, vpc)
        sam.add(
            f"{logical}SecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": f"VPC link of {api.id}",
                "VpcId": ref(vpc_logical),
                "SecurityGroupEgress": [
                    {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "CidrIp": getatt(vpc_logical, "CidrBlock")}
                    for p in ports(plan, vpc, api)
                ],
            },
            api,
        )
        sam.add(
            logical,
            "AWS::ApiGatewayV2::VpcLink",
            {
                "Name": sub(f"${{AWS::StackName}}-{api.id}-{vpc.id}"),
                "SubnetIds": [ref(f"{vpc_logical}PrivateSubnet{i + 1}") for i in range(plan.vpc_prop(vpc, "az_count"))],
                "SecurityGroupIds": [getatt(f"{logical}SecurityGroup", "GroupId")],
            },
            api,
        )


def sam_http_private_integration(sam: SamTemplate, link: Link) -> dict[str, Any]:
    """The OpenAPI integration of an HTTP API route that proxies to a load balancer's listener."""
    plan, balancer = sam.plan, link.target
    vpc = plan.vpc_of(balancer)
    assert vpc is not None
    return {
        "type": "http_proxy",
        "httpMethod": "ANY",
        "uri": ref(listener_id(plan, balancer)),
        "connectionType": "VPC_LINK",
        "connectionId": ref(vpc_link_id(plan, link.source, vpc)),
        "payloadFormatVersion": "1.0",
    }


def sam_rest_private_operation(sam: SamTemplate, link: Link, method: str, path: str) -> dict[str, Any]:
    """The OpenAPI operation of a REST API route that proxies to a Network Load Balancer's listener."""
    plan, balancer = sam.plan, link.target
    names = path_names(path)
    integration: dict[str, Any] = {
        "type": "http_proxy",
        "httpMethod": method,
        "uri": sub(f"http://${{{sam.id(balancer)}.DNSName}}{rest_uri_path(path)}"),
        "connectionType": "VPC_LINK",
        "connectionId": ref(rest_link_id(plan, link.source, balancer)),
        "passthroughBehavior": "when_no_match",
    }
    if names:
        integration["requestParameters"] = {
            f"integration.request.path.{name}": f"method.request.path.{name}" for name in names
        }
    operation: dict[str, Any] = {
        "x-amazon-apigateway-integration": integration,
        "responses": {"default": {"description": "Response of the load balancer"}},
    }
    if names:
        operation["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in names
        ]
    return operation


# -- CDK -------------------------------------------------------------------------------------------


def cdk_vpc_links(cdk: CdkStack, api: Component) -> None:
    plan = cdk.plan
    if api.type == "api_gateway_rest":
        for balancer in rest_balancers(plan, api):
            cdk.emit(
                f"{var(api)}_vpc_link_{balancer.id} = apigw.VpcLink(self, {py(rest_link_id(plan, api, balancer))}, "
                f"targets=[{var(balancer)}], vpc_link_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(api.id)}, {py(balancer.id)}]))"
            )
        return
    for vpc in link_vpcs(plan, api):
        g, name, logical = f"g_{vpc.id}", cdk_vpc_link_var(api, vpc), vpc_link_id(plan, api, vpc)
        cdk.emit(
            f"{name}_sg = ec2.SecurityGroup(self, {py(logical + 'SecurityGroup')}, vpc={g}, "
            f"description={py('VPC link of ' + api.id)}, allow_all_outbound=False)"
        )
        for port in ports(plan, vpc, api):
            cdk.emit(f"{name}_sg.add_egress_rule(ec2.Peer.ipv4({g}.vpc_cidr_block), ec2.Port.tcp({port}))")
        cdk.emit(
            f"{name} = apigwv2.VpcLink(self, {py(logical)}, vpc={g}, subnets={g}_private, security_groups=[{name}_sg], "
            f"vpc_link_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(api.id)}, {py(vpc.id)}]))"
        )


def cdk_http_private_integration(plan: Plan, link: Link, integration_id: str) -> str:
    balancer = link.target
    vpc = plan.vpc_of(balancer)
    assert vpc is not None
    return (
        f"apigwv2_integrations.{'HttpNlbIntegration' if network(plan, balancer) else 'HttpAlbIntegration'}"
        f"({integration_id}, {var(balancer)}_listener, "
        f"vpc_link={cdk_vpc_link_var(link.source, vpc)}, method=apigwv2.HttpMethod.ANY)"
    )


def cdk_rest_private_method(cdk: CdkStack, link: Link, method: str, path: str) -> tuple[str, str]:
    """The HTTP proxy integration of a REST API route to a Network Load Balancer, and the add_method
    arguments that declare its path parameters."""
    balancer, names = link.target, path_names(path)
    options = [
        "connection_type=apigw.ConnectionType.VPC_LINK",
        f"vpc_link={var(link.source)}_vpc_link_{balancer.id}",
        "passthrough_behavior=apigw.PassthroughBehavior.WHEN_NO_MATCH",
    ]
    if names:
        mapped = {f"integration.request.path.{name}": f"method.request.path.{name}" for name in names}
        options.append(f"request_parameters={py(mapped)}")
    integration = (
        f"apigw.Integration(type=apigw.IntegrationType.HTTP_PROXY, integration_http_method={py(method)}, "
        f"uri=cdk.Fn.join('', ['http://', {var(balancer)}.load_balancer_dns_name, {py(rest_uri_path(path))}]), "
        f"options=apigw.IntegrationOptions({', '.join(options)}))"
    )
    extra = f", request_parameters={py({f'method.request.path.{name}': True for name in names})}" if names else ""
    return integration, extra
