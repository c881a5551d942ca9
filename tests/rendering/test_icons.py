"""Icons for CloudFormation resource types: a real `diagrams` class for every known service, a generic one otherwise."""

from __future__ import annotations

import html

import pytest

from apps.designs.diagram_icons import (
    GENERIC_RESOURCE_ICON,
    RESOURCE_ICONS,
    SERVICE_ICONS,
    diagrams_resources_root,
    icon_for_resource_type,
    icon_path_of,
    node_class_at,
)

# The services the `cloudformation_resource` type must draw with their own icon, not the generic one.
REQUIRED_SERVICES = [
    "SSM", "Route53", "CloudWatch", "Glue", "ECR", "Lambda", "SQS", "SNS", "DynamoDB", "S3", "IAM", "KMS", "EC2",
    "ECS", "RDS", "Events", "StepFunctions", "Logs", "SecretsManager", "CertificateManager",
    "ElasticLoadBalancingV2", "Kinesis", "KinesisFirehose", "AppSync", "ApiGateway", "ApiGatewayV2", "Cognito",
    "CloudFront", "WAFv2", "EFS", "Batch", "SES", "OpenSearchService", "ElastiCache", "MSK", "AmazonMQ", "IoT",
    "Scheduler", "Pipes", "Athena", "Backup", "CodeBuild", "CodePipeline", "SageMaker", "Bedrock",
]  # fmt: skip

EVERY_PATH = sorted({GENERIC_RESOURCE_ICON, *SERVICE_ICONS.values(), *RESOURCE_ICONS.values()})


@pytest.mark.parametrize("path", EVERY_PATH)
def test_every_mapped_icon_is_a_diagrams_node_class_with_a_png_in_the_installed_package(path: str) -> None:
    cls = node_class_at(path)  # fails with ImportError/AttributeError if the class is not in this `diagrams`
    assert path.startswith("diagrams.aws.")
    icon = diagrams_resources_root() / "resources" / icon_path_of(cls)
    assert icon.is_file(), icon
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("service", REQUIRED_SERVICES)
def test_each_required_service_has_its_own_icon(service: str) -> None:
    assert service in SERVICE_ICONS
    assert icon_for_resource_type(f"AWS::{service}::Anything") == SERVICE_ICONS[service]
    assert SERVICE_ICONS[service] != GENERIC_RESOURCE_ICON


@pytest.mark.parametrize(
    ("resource_type", "expected"),
    [
        ("AWS::SSM::Parameter", "diagrams.aws.management.SystemsManagerParameterStore"),
        ("AWS::SSM::MaintenanceWindow", "diagrams.aws.management.SystemsManager"),
        ("AWS::Route53::HostedZone", "diagrams.aws.network.Route53HostedZone"),
        ("AWS::Route53::RecordSet", "diagrams.aws.network.Route53"),
        ("AWS::Logs::LogGroup", "diagrams.aws.management.CloudwatchLogs"),
        ("AWS::Events::Rule", "diagrams.aws.integration.EventbridgeRule"),
        ("AWS::ApiGatewayV2::Api", "diagrams.aws.network.APIGateway"),
        ("AWS::Serverless::Function", "diagrams.aws.compute.LambdaFunction"),
    ],
)
def test_a_resource_gets_its_own_icon_before_its_services(resource_type: str, expected: str) -> None:
    assert icon_for_resource_type(resource_type) == expected


def test_the_lookup_forgives_letter_case_and_surrounding_spaces() -> None:
    assert icon_for_resource_type(" aws::sqs::queue ") == RESOURCE_ICONS["AWS::SQS::Queue"]
    assert icon_for_resource_type("AWS::wafv2::WebACL") == SERVICE_ICONS["WAFv2"]


@pytest.mark.parametrize(
    "resource_type",
    [
        "AWS::NoSuchService::Thing",
        "Custom::OrderSeeder",
        "AWS::SQS",
        "AWS::::Queue",
        "AWS::SQS::Queue::Extra",
        "",
        "SQS",
    ],
)
def test_unknown_or_malformed_types_get_the_generic_cloudformation_icon(resource_type: str) -> None:
    assert icon_for_resource_type(resource_type) == GENERIC_RESOURCE_ICON


def test_a_generic_resource_is_drawn_with_its_services_icon() -> None:
    from apps.designs.catalog import get_catalog
    from apps.designs.diagram_icons import component_node_class
    from apps.designs.document import validate_design
    from apps.rendering.engine import RenderOptions, render
    from tests.exporting.designs import cloudformation_resources_design

    svg = render(validate_design(cloudformation_resources_design()), RenderOptions(format="svg")).decode()
    # The function, and SSM, Route 53, ECR, CloudWatch, IAM and Glue: seven icons, none of them the generic one.
    assert svg.count('<image id="tp-icon-') == 7
    assert "AWS::ECR::Repository" in html.unescape(svg)  # an unlabelled generic resource is called by its type
    generic = get_catalog().types["cloudformation_resource"]
    assert component_node_class(generic, {"resource_type": "AWS::NoSuch::Thing"}) is node_class_at(
        GENERIC_RESOURCE_ICON
    )
    assert component_node_class(generic, {}) is node_class_at(icon_for_resource_type("AWS::SSM::Parameter"))
