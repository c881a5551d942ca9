"""What the export writes for an HTTP API that reaches a load balancer in a VPC through a VPC link."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import DesignInvalid, validate_design
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.plan import ExportError

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"


def doc(*, route: str | None = None, balancers: int = 1, **balancer_props: Any) -> dict[str, Any]:
    components: list[dict[str, Any]] = [{"id": "api", "type": "api_gateway_http"}]
    connections: list[dict[str, Any]] = []
    for n in range(1, balancers + 1):
        components.append({"id": f"alb{n}", "type": "load_balancer", "group": "net", "props": balancer_props})
        props = {"route": route} if route else {}
        connections.append({"id": f"c{n}", "source": "api", "target": f"alb{n}", "kind": "integrate", "props": props})
    return {
        "schema": "tierplan.design/v1",
        "name": "Private integration",
        "groups": [{"id": "net", "kind": "vpc", "props": {"az_count": 2}}],
        "components": components,
        "connections": connections,
    }


def template(document: dict[str, Any]) -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(document))["template.yaml"])


def stack(document: dict[str, Any]) -> str:
    return cdk_files(validate_design(document))["tierplan_stack.py"]


def test_the_vpc_link_sits_in_the_private_subnets_with_a_group_that_reaches_the_listener_only() -> None:
    resources = template(doc())["Resources"]
    link = resources["ApiVpcLinkNet"]
    assert link["Type"] == "AWS::ApiGatewayV2::VpcLink"
    assert link["Properties"]["SubnetIds"] == [{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}]
    group = resources["ApiVpcLinkNetSecurityGroup"]["Properties"]
    assert group["SecurityGroupEgress"] == [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": {"Fn::GetAtt": ["Net", "CidrBlock"]}}
    ]
    assert link["Properties"]["SecurityGroupIds"] == [{"Fn::GetAtt": ["ApiVpcLinkNetSecurityGroup", "GroupId"]}]


def test_an_https_balancer_is_reached_on_443() -> None:
    group = template(doc(certificate_arn=CERTIFICATE))["Resources"]["ApiVpcLinkNetSecurityGroup"]["Properties"]
    assert [rule["FromPort"] for rule in group["SecurityGroupEgress"]] == [443]


def test_an_unrouted_connection_proxies_every_path_to_the_listener_without_a_role() -> None:
    resources = template(doc())["Resources"]
    paths = resources["Api"]["Properties"]["DefinitionBody"]["paths"]
    integration = paths["/{proxy+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
    assert integration == {
        "type": "http_proxy",
        "httpMethod": "ANY",
        "uri": {"Ref": "Alb1Listener"},
        "connectionType": "VPC_LINK",
        "connectionId": {"Ref": "ApiVpcLinkNet"},
        "payloadFormatVersion": "1.0",
    }
    assert "ApiIntegrationRole" not in resources  # nothing to assume: the link is network, not IAM


def test_two_balancers_in_one_vpc_share_one_link_and_keep_their_routes() -> None:
    resources = template(doc(balancers=2))["Resources"]
    assert [k for k, v in resources.items() if v["Type"] == "AWS::ApiGatewayV2::VpcLink"] == ["ApiVpcLinkNet"]
    paths = resources["Api"]["Properties"]["DefinitionBody"]["paths"]
    assert set(paths) == {"/alb1", "/alb2"}


def test_a_route_names_the_method_and_path() -> None:
    paths = template(doc(route="GET /orders/{id}"))["Resources"]["Api"]["Properties"]["DefinitionBody"]["paths"]
    assert list(paths) == ["/orders/{id}"] and list(paths["/orders/{id}"]) == ["get"]


def test_cdk_uses_the_alb_integration_through_the_same_link() -> None:
    code = stack(doc(certificate_arn=CERTIFICATE))
    assert "apigwv2.VpcLink(self, 'ApiVpcLinkNet', vpc=g_net, subnets=g_net_private" in code
    assert "ec2.Port.tcp(443)" in code and "ec2.Port.tcp(80)" not in code.split("ApiVpcLinkNet")[1]
    assert "apigwv2_integrations.HttpAlbIntegration(" in code
    assert "c_alb1_listener, vpc_link=c_api_vpc_link_net" in code


def rest_doc(**balancer_props: Any) -> dict[str, Any]:
    document = doc(route="GET /orders/{id}", balancer_type="network", **balancer_props)
    document["components"][0]["type"] = "api_gateway_rest"
    document["groups"][0]["props"]["nat_gateways"] = 1
    document["components"].append({"id": "app", "type": "ecs_service", "group": "net", "props": {"port": 8080}})
    document["connections"].append({"id": "f1", "source": "alb1", "target": "app", "kind": "forward", "props": {}})
    return document


def test_a_rest_api_reaches_a_network_load_balancer_through_a_vpc_link_to_it() -> None:
    resources = template(rest_doc())["Resources"]
    assert resources["ApiVpcLinkAlb1"] == {
        "Type": "AWS::ApiGateway::VpcLink",
        "Properties": {"Name": {"Fn::Sub": "${AWS::StackName}-api-alb1"}, "TargetArns": [{"Ref": "Alb1"}]},
    }
    operation = resources["Api"]["Properties"]["DefinitionBody"]["paths"]["/orders/{id}"]["get"]
    assert operation["x-amazon-apigateway-integration"] == {
        "type": "http_proxy",
        "httpMethod": "GET",
        "uri": {"Fn::Sub": "http://${Alb1.DNSName}/orders/{id}"},
        "connectionType": "VPC_LINK",
        "connectionId": {"Ref": "ApiVpcLinkAlb1"},
        "passthroughBehavior": "when_no_match",
        "requestParameters": {"integration.request.path.id": "method.request.path.id"},
    }
    assert operation["parameters"] == [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    assert "ApiIntegrationRole" not in resources


def test_the_network_load_balancer_passes_tcp_to_its_service() -> None:
    resources = template(rest_doc())["Resources"]
    assert resources["Alb1"]["Properties"]["Type"] == "network"
    assert resources["Alb1Listener"]["Properties"]["Protocol"] == "TCP"
    group = resources["Alb1ToApp"]["Properties"]
    assert (group["Protocol"], group["Port"], group["TargetType"]) == ("TCP", 8080, "ip")
    ingress = resources["AppFromAlb1"]["Properties"]
    assert ingress["SourceSecurityGroupId"] == {"Fn::GetAtt": ["Alb1SecurityGroup", "GroupId"]}


def test_cdk_writes_the_same_link_and_method() -> None:
    code = stack(rest_doc())
    assert "apigw.VpcLink(self, 'ApiVpcLinkAlb1', targets=[c_alb1]" in code
    assert "connection_type=apigw.ConnectionType.VPC_LINK, vpc_link=c_api_vpc_link_alb1" in code
    assert "elbv2.NetworkLoadBalancer(self, 'Alb1'" in code
    assert "c_app_sg.add_ingress_rule(c_alb1_sg, ec2.Port.tcp(8080)" in code


def test_a_rest_api_cannot_reach_an_application_load_balancer_yet() -> None:
    document = rest_doc()
    document["components"][1]["props"]["balancer_type"] = "application"
    with pytest.raises(DesignInvalid, match="balancer_type network"):
        validate_design(document)


def test_a_rest_api_cannot_reach_a_tls_listener_by_the_balancer_dns_name() -> None:
    with pytest.raises(ExportError, match="certificate"):
        sam_files(validate_design(rest_doc(certificate_arn=CERTIFICATE)))


def test_a_network_load_balancer_forwards_to_one_ecs_service() -> None:
    document = rest_doc()
    document["components"].append({"id": "fn", "type": "lambda_function"})
    document["connections"].append(
        {"id": "f2", "source": "alb1", "target": "fn", "kind": "forward", "props": {"path_pattern": "/fn/*"}}
    )
    with pytest.raises(ExportError, match="exactly one 'forward'"):
        sam_files(validate_design(document))


def test_an_http_api_reaches_a_network_load_balancer_through_the_vpc_link_v2() -> None:
    document = rest_doc()
    document["components"][0]["type"] = "api_gateway_http"
    assert "apigwv2_integrations.HttpNlbIntegration(" in stack(document)
    assert template(document)["Resources"]["ApiVpcLinkNet"]["Type"] == "AWS::ApiGatewayV2::VpcLink"


def test_an_api_in_another_account_is_refused() -> None:
    document = doc()
    document["groups"] = [
        {"id": "team_a", "kind": "account", "props": {}},
        {"id": "team_b", "kind": "account", "props": {}},
        {"id": "net", "kind": "vpc", "parent": "team_b", "props": {"az_count": 2}},
    ]
    document["components"][0]["group"] = "team_a"
    with pytest.raises(ExportError, match="crosses AWS accounts"):
        sam_files(validate_design(document))
