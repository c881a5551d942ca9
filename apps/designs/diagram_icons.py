"""Which `diagrams` node class draws a component, and where its icon file lies. No Django.

The icons are the installed `diagrams` package's own (``resources/<provider>/<category>/<file>.png``),
never copied into the repository. The render engine and the CLI use this module without Django
settings; serving the icons to browsers as static files is ``apps.designs.icons``' job.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.designs.catalog import ComponentType

# A resource type we know nothing about is still a CloudFormation resource.
GENERIC_RESOURCE_ICON = "diagrams.aws.management.Cloudformation"

# Icons for the service part of a CloudFormation type (``AWS::<service>::<resource>``), as `diagrams`
# class paths. Data, like the catalog: a new service is one line here (and its class is checked to
# exist by tests/rendering/test_icons.py).
SERVICE_ICONS: dict[str, str] = {
    "AmazonMQ": "diagrams.aws.integration.MQ",
    "Amplify": "diagrams.aws.mobile.Amplify",
    "ApiGateway": "diagrams.aws.network.APIGateway",
    "ApiGatewayV2": "diagrams.aws.network.APIGateway",
    "AppMesh": "diagrams.aws.network.AppMesh",
    "AppRunner": "diagrams.aws.compute.AppRunner",
    "AppSync": "diagrams.aws.integration.Appsync",
    "ApplicationAutoScaling": "diagrams.aws.compute.ApplicationAutoScaling",
    "Athena": "diagrams.aws.analytics.Athena",
    "AutoScaling": "diagrams.aws.compute.AutoScaling",
    "Backup": "diagrams.aws.storage.Backup",
    "Batch": "diagrams.aws.compute.Batch",
    "Bedrock": "diagrams.aws.ml.Bedrock",
    "Budgets": "diagrams.aws.cost.Budgets",
    "Cassandra": "diagrams.aws.database.KeyspacesManagedApacheCassandraService",
    "CertificateManager": "diagrams.aws.security.CertificateManager",
    "CloudFormation": "diagrams.aws.management.Cloudformation",
    "CloudFront": "diagrams.aws.network.CloudFront",
    "CloudTrail": "diagrams.aws.management.Cloudtrail",
    "CloudWatch": "diagrams.aws.management.Cloudwatch",
    "CodeBuild": "diagrams.aws.devtools.Codebuild",
    "CodeCommit": "diagrams.aws.devtools.Codecommit",
    "CodeDeploy": "diagrams.aws.devtools.Codedeploy",
    "CodePipeline": "diagrams.aws.devtools.Codepipeline",
    "Cognito": "diagrams.aws.security.Cognito",
    "Config": "diagrams.aws.management.Config",
    "DataSync": "diagrams.aws.migration.Datasync",
    "DAX": "diagrams.aws.database.DAX",
    "DMS": "diagrams.aws.database.DatabaseMigrationService",
    "DocDB": "diagrams.aws.database.DocumentDB",
    "DynamoDB": "diagrams.aws.database.Dynamodb",
    "EC2": "diagrams.aws.compute.EC2",
    "ECR": "diagrams.aws.compute.ECR",
    "ECS": "diagrams.aws.compute.ECS",
    "EFS": "diagrams.aws.storage.EFS",
    "EKS": "diagrams.aws.compute.EKS",
    "EMR": "diagrams.aws.analytics.EMR",
    "ElastiCache": "diagrams.aws.database.ElastiCache",
    "ElasticBeanstalk": "diagrams.aws.compute.ElasticBeanstalk",
    "ElasticLoadBalancing": "diagrams.aws.network.CLB",
    "ElasticLoadBalancingV2": "diagrams.aws.network.ELB",
    "Elasticsearch": "diagrams.aws.analytics.ElasticsearchService",
    "Events": "diagrams.aws.integration.Eventbridge",
    "FSx": "diagrams.aws.storage.Fsx",
    "GlobalAccelerator": "diagrams.aws.network.GlobalAccelerator",
    "Glue": "diagrams.aws.analytics.Glue",
    "GuardDuty": "diagrams.aws.security.Guardduty",
    "IAM": "diagrams.aws.security.IAM",
    "IoT": "diagrams.aws.iot.IotCore",
    "Kinesis": "diagrams.aws.analytics.KinesisDataStreams",
    "KinesisAnalytics": "diagrams.aws.analytics.KinesisDataAnalytics",
    "KinesisAnalyticsV2": "diagrams.aws.analytics.KinesisDataAnalytics",
    "KinesisFirehose": "diagrams.aws.analytics.KinesisDataFirehose",
    "KinesisVideo": "diagrams.aws.analytics.KinesisVideoStreams",
    "KMS": "diagrams.aws.security.KMS",
    "LakeFormation": "diagrams.aws.analytics.LakeFormation",
    "Lambda": "diagrams.aws.compute.Lambda",
    "Logs": "diagrams.aws.management.CloudwatchLogs",
    "Macie": "diagrams.aws.security.Macie",
    "MSK": "diagrams.aws.analytics.ManagedStreamingForKafka",
    "Neptune": "diagrams.aws.database.Neptune",
    "NetworkFirewall": "diagrams.aws.network.NetworkFirewall",
    "OpenSearchService": "diagrams.aws.analytics.AmazonOpensearchService",
    "Organizations": "diagrams.aws.management.Organizations",
    "Pipes": "diagrams.aws.integration.EventbridgePipes",
    "QuickSight": "diagrams.aws.analytics.Quicksight",
    "RDS": "diagrams.aws.database.RDS",
    "Redshift": "diagrams.aws.database.Redshift",
    "Route53": "diagrams.aws.network.Route53",
    "S3": "diagrams.aws.storage.S3",
    "SageMaker": "diagrams.aws.ml.Sagemaker",
    "Scheduler": "diagrams.aws.integration.EventbridgeScheduler",
    "SecretsManager": "diagrams.aws.security.SecretsManager",
    "SecurityHub": "diagrams.aws.security.SecurityHub",
    "Serverless": "diagrams.aws.compute.Lambda",
    "ServiceCatalog": "diagrams.aws.management.ServiceCatalog",
    "ServiceDiscovery": "diagrams.aws.network.CloudMap",
    "SES": "diagrams.aws.engagement.SES",
    "Shield": "diagrams.aws.security.Shield",
    "SNS": "diagrams.aws.integration.SNS",
    "SQS": "diagrams.aws.integration.SQS",
    "SSM": "diagrams.aws.management.SystemsManager",
    "StepFunctions": "diagrams.aws.integration.StepFunctions",
    "Timestream": "diagrams.aws.database.Timestream",
    "Transfer": "diagrams.aws.migration.TransferForSftp",
    "WAF": "diagrams.aws.security.WAF",
    "WAFRegional": "diagrams.aws.security.WAF",
    "WAFv2": "diagrams.aws.security.WAF",
    "XRay": "diagrams.aws.devtools.XRay",
}

# Whole resource types whose own icon says more than their service's (a parameter, not all of SSM).
RESOURCE_ICONS: dict[str, str] = {
    "AWS::CloudFormation::Stack": "diagrams.aws.management.CloudformationStack",
    "AWS::CloudWatch::Alarm": "diagrams.aws.management.CloudwatchAlarm",
    "AWS::DynamoDB::GlobalTable": "diagrams.aws.database.DynamodbTable",
    "AWS::DynamoDB::Table": "diagrams.aws.database.DynamodbTable",
    "AWS::EC2::CustomerGateway": "diagrams.aws.network.VPCCustomerGateway",
    "AWS::EC2::EIP": "diagrams.aws.compute.EC2ElasticIpAddress",
    "AWS::EC2::FlowLog": "diagrams.aws.network.VPCFlowLogs",
    "AWS::EC2::Instance": "diagrams.aws.compute.EC2Instance",
    "AWS::EC2::InternetGateway": "diagrams.aws.network.InternetGateway",
    "AWS::EC2::NatGateway": "diagrams.aws.network.NATGateway",
    "AWS::EC2::NetworkAcl": "diagrams.aws.network.Nacl",
    "AWS::EC2::NetworkInterface": "diagrams.aws.network.VPCElasticNetworkInterface",
    "AWS::EC2::RouteTable": "diagrams.aws.network.RouteTable",
    "AWS::EC2::SecurityGroup": "diagrams.aws.general.GenericFirewall",
    "AWS::EC2::TransitGateway": "diagrams.aws.network.TransitGateway",
    "AWS::EC2::TransitGatewayAttachment": "diagrams.aws.network.TransitGatewayAttachment",
    "AWS::EC2::VPC": "diagrams.aws.network.VPC",
    "AWS::EC2::VPCEndpoint": "diagrams.aws.network.Endpoint",
    "AWS::EC2::VPCPeeringConnection": "diagrams.aws.network.VPCPeering",
    "AWS::EC2::VPNConnection": "diagrams.aws.network.VpnConnection",
    "AWS::EC2::VPNGateway": "diagrams.aws.network.VpnGateway",
    "AWS::EC2::Volume": "diagrams.aws.storage.ElasticBlockStoreEBSVolume",
    "AWS::ECS::Service": "diagrams.aws.compute.ElasticContainerServiceService",
    "AWS::ECS::TaskDefinition": "diagrams.aws.compute.ElasticContainerServiceTask",
    "AWS::Events::EventBus": "diagrams.aws.integration.EventbridgeCustomEventBusResource",
    "AWS::Events::Rule": "diagrams.aws.integration.EventbridgeRule",
    "AWS::Glue::Crawler": "diagrams.aws.analytics.GlueCrawlers",
    "AWS::Glue::Database": "diagrams.aws.analytics.GlueDataCatalog",
    "AWS::Glue::Table": "diagrams.aws.analytics.GlueDataCatalog",
    "AWS::IAM::ManagedPolicy": "diagrams.aws.security.IAMPermissions",
    "AWS::IAM::Policy": "diagrams.aws.security.IAMPermissions",
    "AWS::IAM::Role": "diagrams.aws.security.IAMRole",
    "AWS::Lambda::Function": "diagrams.aws.compute.LambdaFunction",
    "AWS::RDS::DBCluster": "diagrams.aws.database.Aurora",
    "AWS::RDS::DBInstance": "diagrams.aws.database.RDSInstance",
    "AWS::Route53::HostedZone": "diagrams.aws.network.Route53HostedZone",
    "AWS::S3::AccessPoint": "diagrams.aws.storage.S3AccessPoints",
    "AWS::S3::Bucket": "diagrams.aws.storage.SimpleStorageServiceS3Bucket",
    "AWS::SageMaker::Model": "diagrams.aws.ml.SagemakerModel",
    "AWS::SageMaker::NotebookInstance": "diagrams.aws.ml.SagemakerNotebook",
    "AWS::SNS::Topic": "diagrams.aws.integration.SimpleNotificationServiceSnsTopic",
    "AWS::SQS::Queue": "diagrams.aws.integration.SimpleQueueServiceSqsQueue",
    "AWS::SSM::Document": "diagrams.aws.management.SystemsManagerDocuments",
    "AWS::SSM::Parameter": "diagrams.aws.management.SystemsManagerParameterStore",
    "AWS::Serverless::Api": "diagrams.aws.network.APIGateway",
    "AWS::Serverless::Application": "diagrams.aws.compute.ServerlessApplicationRepository",
    "AWS::Serverless::Function": "diagrams.aws.compute.LambdaFunction",
    "AWS::Serverless::HttpApi": "diagrams.aws.network.APIGateway",
    "AWS::Serverless::SimpleTable": "diagrams.aws.database.DynamodbTable",
    "AWS::Serverless::StateMachine": "diagrams.aws.integration.StepFunctions",
}

# CloudFormation type names are case-sensitive, but a hand-typed `Aws::Sqs::Queue` still deserves
# the queue icon rather than the generic one; the template itself is validated elsewhere.
_SERVICES_FOLDED = {service.casefold(): path for service, path in SERVICE_ICONS.items()}
_RESOURCES_FOLDED = {resource.casefold(): path for resource, path in RESOURCE_ICONS.items()}


def icon_for_resource_type(resource_type: str) -> str:
    """The `diagrams` class path that draws a CloudFormation resource type, e.g. ``AWS::SSM::Parameter``.

    The resource's own icon if it has one, else its service's, else the generic CloudFormation icon
    (for unknown services, ``Custom::…`` resources and anything that is not ``AWS::<service>::<name>``).
    """
    folded = resource_type.strip().casefold()
    if folded in _RESOURCES_FOLDED:
        return _RESOURCES_FOLDED[folded]
    parts = folded.split("::")
    if len(parts) == 3 and parts[0] == "aws" and all(parts):
        return _SERVICES_FOLDED.get(parts[1], GENERIC_RESOURCE_ICON)
    return GENERIC_RESOURCE_ICON


@cache
def diagrams_resources_root() -> Path:
    """The folder that holds the `diagrams` package's ``resources/`` icon tree."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent


def node_class_at(path: str) -> Any:
    """The `diagrams` node class at a dotted path such as ``diagrams.aws.compute.Lambda``."""
    module_name, _, class_name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)


def node_class(component_type: ComponentType) -> Any:
    """The `diagrams` node class a catalog type is drawn with."""
    return node_class_at(component_type.icon)


def component_node_class(component_type: ComponentType, props: Mapping[str, Any]) -> Any:
    """The node class one component is drawn with: its type's, or for a generic CloudFormation resource
    the icon of the service its ``resource_type`` belongs to."""
    if "resource_type" in component_type.props.fields:
        resource_type = props.get("resource_type", component_type.props.fields["resource_type"].default)
        return node_class_at(icon_for_resource_type(str(resource_type)))
    return node_class(component_type)


def icon_path_of(cls: Any) -> str:
    """Path of a node class's icon below the resources folder, e.g. ``aws/compute/lambda.png``."""
    icon_dir = Path(cls._icon_dir)  # e.g. resources/aws/compute
    return (Path(*icon_dir.parts[1:]) / cls._icon).as_posix()


def icon_relative_path(component_type: ComponentType) -> str:
    """Path of the type's icon below the resources folder, e.g. ``aws/compute/lambda.png``."""
    return icon_path_of(node_class(component_type))


def icon_file(component_type: ComponentType) -> Path:
    """The type's icon file inside the installed `diagrams` package."""
    return diagrams_resources_root() / "resources" / icon_relative_path(component_type)
