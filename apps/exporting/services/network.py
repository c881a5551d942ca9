"""The private network: VPC groups with their subnets, NAT gateways, endpoints and security groups.

A VPC is a group, not a component type, so it has no ``Service``: the writers call these directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Group
from apps.exporting.cfn import getatt, logical_service, py, ref, sub
from apps.exporting.plan import tag_value

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

INTERFACE_SERVICES = {
    "sqs": "SQS",
    "sns": "SNS",
    "kinesis-streams": "KINESIS_STREAMS",
    "kinesis-firehose": "KINESIS_FIREHOSE",
    "events": "EVENTBRIDGE",
    "states": "STEP_FUNCTIONS",
    "lambda": "LAMBDA_",  # jsii renames LAMBDA, as `lambda` is a Python keyword
    "secretsmanager": "SECRETS_MANAGER",
    "bedrock-runtime": "BEDROCK_RUNTIME",
    "rekognition": "REKOGNITION",
    "comprehend": "COMPREHEND",
    "translate": "TRANSLATE",
    "textract": "TEXTRACT",
    "kms": "KMS",
}


def sam_vpc(sam: SamTemplate, vpc: Group) -> None:
    plan, logical = sam.plan, sam.plan.group_ids[vpc.id]
    az_count, nat = plan.vpc_prop(vpc, "az_count"), plan.vpc_prop(vpc, "nat_gateways")
    count, bits = plan.subnet_layout(vpc)
    condition = {}
    account = plan.account_of_group(vpc)
    if account is not None:
        condition["Condition"] = sam.account_condition(account)
    name_tag = [{"Key": "Name", "Value": tag_value(vpc.label) or vpc.id}]

    def add(name: str, kind: str, properties: dict[str, Any]) -> None:
        sam.resources[name] = {"Type": kind, "Properties": properties, **condition}

    add(
        logical,
        "AWS::EC2::VPC",
        {
            "CidrBlock": plan.vpc_prop(vpc, "cidr"),
            "EnableDnsSupport": True,
            "EnableDnsHostnames": True,
            "Tags": name_tag,
        },
    )
    cidrs = {"Fn::Cidr": [getatt(logical, "CidrBlock"), count, bits]}
    private_tables = []
    for index in range(az_count):
        subnet = f"{logical}PrivateSubnet{index + 1}"
        table = f"{logical}PrivateRouteTable{index + 1}"
        add(
            subnet,
            "AWS::EC2::Subnet",
            {
                "VpcId": ref(logical),
                "CidrBlock": {"Fn::Select": [index, cidrs]},
                "AvailabilityZone": {"Fn::Select": [index, {"Fn::GetAZs": ""}]},
                "Tags": name_tag,
            },
        )
        add(table, "AWS::EC2::RouteTable", {"VpcId": ref(logical), "Tags": name_tag})
        add(
            f"{subnet}Routes",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": ref(subnet), "RouteTableId": ref(table)},
        )
        private_tables.append(table)
    if nat:
        add(f"{logical}InternetGateway", "AWS::EC2::InternetGateway", {"Tags": name_tag})
        add(
            f"{logical}GatewayAttachment",
            "AWS::EC2::VPCGatewayAttachment",
            {"VpcId": ref(logical), "InternetGatewayId": ref(f"{logical}InternetGateway")},
        )
        add(f"{logical}PublicRouteTable", "AWS::EC2::RouteTable", {"VpcId": ref(logical), "Tags": name_tag})
        sam.resources[f"{logical}PublicRoute"] = {
            "Type": "AWS::EC2::Route",
            "DependsOn": f"{logical}GatewayAttachment",
            "Properties": {
                "RouteTableId": ref(f"{logical}PublicRouteTable"),
                "DestinationCidrBlock": "0.0.0.0/0",
                "GatewayId": ref(f"{logical}InternetGateway"),
            },
            **condition,
        }
        for index in range(az_count):
            subnet = f"{logical}PublicSubnet{index + 1}"
            add(
                subnet,
                "AWS::EC2::Subnet",
                {
                    "VpcId": ref(logical),
                    "CidrBlock": {"Fn::Select": [az_count + index, cidrs]},
                    "AvailabilityZone": {"Fn::Select": [index, {"Fn::GetAZs": ""}]},
                    "Tags": name_tag,
                },
            )
            add(
                f"{subnet}Routes",
                "AWS::EC2::SubnetRouteTableAssociation",
                {"SubnetId": ref(subnet), "RouteTableId": ref(f"{logical}PublicRouteTable")},
            )
        for index in range(min(nat, az_count)):
            add(f"{logical}NatAddress{index + 1}", "AWS::EC2::EIP", {"Domain": "vpc", "Tags": name_tag})
            add(
                f"{logical}Nat{index + 1}",
                "AWS::EC2::NatGateway",
                {
                    "AllocationId": getatt(f"{logical}NatAddress{index + 1}", "AllocationId"),
                    "SubnetId": ref(f"{logical}PublicSubnet{index + 1}"),
                    "Tags": name_tag,
                },
            )
        for index, table in enumerate(private_tables):
            add(
                f"{table}Nat",
                "AWS::EC2::Route",
                {
                    "RouteTableId": ref(table),
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": ref(f"{logical}Nat{index % min(nat, az_count) + 1}"),
                },
            )
    functions = [c for c in plan.members(vpc) if c.type == "lambda_function"]
    if functions:
        add(
            f"{logical}FunctionSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": "Functions in this VPC",
                "VpcId": ref(logical),
                "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
            },
        )
    for service, endpoint_type in plan.vpc_endpoints(vpc):
        properties: dict[str, Any] = {
            "VpcId": ref(logical),
            "ServiceName": sub(f"com.amazonaws.${{AWS::Region}}.{service}"),
            "VpcEndpointType": endpoint_type,
        }
        if endpoint_type == "Gateway":
            properties["RouteTableIds"] = [ref(table) for table in private_tables]
        else:
            properties.update(
                {
                    "PrivateDnsEnabled": True,
                    "SubnetIds": [ref(f"{logical}PrivateSubnet{i + 1}") for i in range(az_count)],
                    "SecurityGroupIds": [ref(f"{logical}EndpointSecurityGroup")],
                }
            )
        add(f"{logical}{logical_service(service)}Endpoint", "AWS::EC2::VPCEndpoint", properties)
    if any(kind == "Interface" for _, kind in plan.vpc_endpoints(vpc)):
        add(
            f"{logical}EndpointSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": "Interface endpoints, reached over HTTPS from the functions",
                "VpcId": ref(logical),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 443,
                        "ToPort": 443,
                        "SourceSecurityGroupId": ref(f"{logical}FunctionSecurityGroup"),
                    }
                ],
            },
        )


def cdk_vpc(cdk: CdkStack, vpc: Group) -> None:
    plan, name = cdk.plan, f"g_{vpc.id}"
    nat = plan.vpc_prop(vpc, "nat_gateways")
    subnets = [
        f'ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.{"PRIVATE_WITH_EGRESS" if nat else "PRIVATE_ISOLATED"}, cidr_mask=24)'
    ]
    if nat:
        subnets.append('ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24)')
    cdk.emit(f"# {plan.group_ids[vpc.id]}: private network")
    cdk.emit(
        f"{name} = ec2.Vpc(self, {py(plan.group_ids[vpc.id])}, ip_addresses=ec2.IpAddresses.cidr({py(plan.vpc_prop(vpc, 'cidr'))}), "
        f"max_azs={plan.vpc_prop(vpc, 'az_count')}, nat_gateways={nat}, subnet_configuration=[{', '.join(subnets)}], "
        "restrict_default_security_group=False)"
    )
    cdk.emit(
        f"{name}_private = ec2.SubnetSelection(subnet_type=ec2.SubnetType.{'PRIVATE_WITH_EGRESS' if nat else 'PRIVATE_ISOLATED'})"
    )
    if any(c.type == "lambda_function" for c in plan.members(vpc)):
        cdk.emit(
            f'{name}_functions = ec2.SecurityGroup(self, {py(plan.group_ids[vpc.id] + "FunctionSecurityGroup")}, vpc={name}, description="Functions in this VPC", allow_all_outbound=True)'
        )
    for service, kind in plan.vpc_endpoints(vpc):
        logical = py(f"{plan.group_ids[vpc.id]}{service.title().replace('-', '')}Endpoint")
        if kind == "Gateway":
            gateway = "DYNAMODB" if service == "dynamodb" else "S3"
            cdk.emit(
                f"{name}.add_gateway_endpoint({logical}, service=ec2.GatewayVpcEndpointAwsService.{gateway}, subnets=[{name}_private])"
            )
        else:
            cdk.emit(
                f"{name}.add_interface_endpoint({logical}, service=ec2.InterfaceVpcEndpointAwsService.{INTERFACE_SERVICES[service]}, subnets={name}_private, security_groups=[{name}_functions])"
            )
    cdk.emit()
