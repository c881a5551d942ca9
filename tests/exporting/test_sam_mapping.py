"""What the SAM export writes for the connections users would otherwise wire by hand."""

from __future__ import annotations

from typing import Any

import yaml

from apps.designs.document import validate_design
from apps.designs.patterns import pattern_library
from apps.exporting.bundle import sam_files
from tests.exporting.designs import every_type_design


def template(slug: str) -> dict[str, Any]:
    return yaml.safe_load(sam_files(pattern_library()[slug].design)["template.yaml"])


def every() -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(every_type_design()))["template.yaml"])


def test_api_routes_become_function_events_with_least_privilege_and_env_vars() -> None:
    fn = template("three-tier-basic")["Resources"]["AppFn"]["Properties"]
    assert fn["Events"]["ApiInvoke1"] == {
        "Type": "Api",
        "Properties": {"RestApiId": {"Ref": "Api"}, "Path": "/{proxy+}", "Method": "any"},
    }
    assert fn["Policies"] == [{"DynamoDBCrudPolicy": {"TableName": {"Ref": "AppTable"}}}]
    assert fn["Environment"]["Variables"] == {"APP_TABLE_TABLE_NAME": {"Ref": "AppTable"}}


def test_read_and_write_connections_pick_the_matching_policy_template() -> None:
    resources = every()["Resources"]
    orders = resources["OrdersFn"]["Properties"]
    kinds = [next(iter(policy)) for policy in orders["Policies"]]
    assert kinds == [
        "DynamoDBCrudPolicy",
        "AWSSecretsManagerGetSecretValuePolicy",
        "ElasticsearchHttpPostPolicy",
        "S3ReadPolicy",
        "SNSPublishMessagePolicy",
        "StepFunctionsExecutionPolicy",
    ]
    worker = [next(iter(p)) for p in resources["Worker"]["Properties"]["Policies"]]
    assert worker[:3] == ["EventBridgePutEventsPolicy", "S3WritePolicy", "KinesisCrudPolicy"]


def test_the_storage_first_api_writes_to_sqs_with_no_function_in_between() -> None:
    resources = template("storage-first")["Resources"]
    integration = resources["Api"]["Properties"]["DefinitionBody"]["paths"]["/requests"]["post"][
        "x-amazon-apigateway-integration"
    ]
    assert integration["type"] == "aws" and "sqs:path" in integration["uri"]["Fn::Sub"]
    assert integration["requestTemplates"]["application/json"].startswith("Action=SendMessage")
    assert not any(
        event["Type"] == "Api"
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
        for event in r["Properties"].get("Events", {}).values()
    )
    worker = resources["Worker"]["Properties"]["Events"]["QueuePoll"]
    assert worker == {
        "Type": "SQS",
        "Properties": {"Queue": {"Fn::GetAtt": ["Queue", "Arn"]}, "BatchSize": 10, "MaximumBatchingWindowInSeconds": 5},
    }
    assert resources["Queue"]["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]},
        "maxReceiveCount": 5,
    }


def test_the_single_domain_distribution_routes_by_path_to_s3_and_the_api_without_cors() -> None:
    resources = template("single-domain")["Resources"]
    config = resources["Cdn"]["Properties"]["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "SpaBucket"
    assert [(b["PathPattern"], b["TargetOriginId"]) for b in config["CacheBehaviors"]] == [("/api/*", "Api")]
    s3_origin = next(o for o in config["Origins"] if o["Id"] == "SpaBucket")
    assert "OriginAccessControlId" in s3_origin and s3_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert "Cors" not in resources["Api"]["Properties"]
    statement = resources["SpaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}


def test_cors_is_set_only_where_the_spa_and_the_api_are_on_different_domains() -> None:
    api = template("spa-cloudfront-api")["Resources"]["Api"]["Properties"]
    assert api["Cors"]["AllowOrigin"] == "'https://app.example.com'"
    assert api["Auth"]["AddDefaultAuthorizerToCorsPreflight"] is False
    fn = template("spa-cloudfront-api")["Resources"]["Handler"]["Properties"]
    assert fn["Environment"]["Variables"]["CORS_ALLOW_ORIGIN"] == "https://app.example.com"


def test_secured_edge_has_cognito_and_lambda_authorizers_and_a_lambda_at_edge_association() -> None:
    resources = template("secured-edge")["Resources"]
    auth = resources["Api"]["Properties"]["Auth"]
    assert auth["DefaultAuthorizer"] == "UsersAuthorizer"
    assert auth["Authorizers"]["AuthorizerFnAuthorizer"]["Identity"] == {
        "Header": "X-Partner-Token",
        "ReauthorizeEvery": 300,
    }
    behavior = resources["Cdn"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["LambdaFunctionAssociations"] == [
        {"EventType": "viewer-response", "LambdaFunctionARN": {"Ref": "HeadersFn.Version"}}
    ]
    edge = resources["HeadersFn"]["Properties"]
    assert edge["AutoPublishAlias"] == "live"
    assert "edgelambda.amazonaws.com" in edge["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]


def test_functions_in_a_vpc_get_subnets_security_groups_and_the_endpoints_they_need() -> None:
    resources = template("three-tier-vpc")["Resources"]
    config = resources["AppFn"]["Properties"]["VpcConfig"]
    assert config == {
        "SubnetIds": [{"Ref": "AppVpcPrivateSubnet1"}, {"Ref": "AppVpcPrivateSubnet2"}],
        "SecurityGroupIds": [{"Ref": "AppVpcFunctionSecurityGroup"}],
    }
    db = resources["Db"]["Properties"]
    assert db["PubliclyAccessible"] is False and db["DBSubnetGroupName"] == {"Ref": "DbSubnets"}
    ingress = resources["DbSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert ingress == [
        {
            "IpProtocol": "tcp",
            "FromPort": 5432,
            "ToPort": 5432,
            "SourceSecurityGroupId": {"Ref": "AppVpcFunctionSecurityGroup"},
        }
    ]
    assert resources["AppVpcSecretsmanagerEndpoint"]["Properties"]["VpcEndpointType"] == "Interface"
    assert resources["Cache"]["Type"] == "AWS::ElastiCache::ReplicationGroup"


def test_streams_schedules_and_s3_events_become_function_events() -> None:
    resources = template("event-processing")["Resources"]
    s3 = resources["ThumbnailFn"]["Properties"]["Events"]["UploadsTrigger"]
    assert s3["Type"] == "S3" and s3["Properties"]["Filter"] == {
        "S3Key": {"Rules": [{"Name": "suffix", "Value": ".jpg"}]}
    }
    kinesis = resources["StreamFn"]["Properties"]["Events"]["ClicksPoll"]["Properties"]
    assert kinesis["StartingPosition"] == "TRIM_HORIZON" and kinesis["BatchSize"] == 100
    assert kinesis["DestinationConfig"] == {"OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["Dlq", "Arn"]}}}
    schedule = template("scheduled-job")["Resources"]["JobFn"]["Properties"]["Events"]["ScheduleTrigger"]
    assert schedule == {"Type": "Schedule", "Properties": {"Schedule": "cron(0 2 * * ? *)", "Enabled": True}}


def test_gradual_deployment_and_caching_when_the_design_asks_for_them() -> None:
    resources = every()["Resources"]
    orders = resources["OrdersFn"]["Properties"]
    assert orders["AutoPublishAlias"] == "live"
    assert orders["DeploymentPreference"] == {"Type": "Canary10Percent5Minutes"}
    assert orders["ProvisionedConcurrencyConfig"] == {"ProvisionedConcurrentExecutions": 2}
    rest = resources["Rest"]["Properties"]
    assert rest["CacheClusterEnabled"] is True and rest["CacheClusterSize"] == "0.5"


def test_parameters_cover_stages_and_domains_and_outputs_name_the_endpoints() -> None:
    doc = template("spa-cloudfront-api")
    assert doc["Parameters"]["ApiStageName"]["Default"] == "prod"
    assert doc["Parameters"]["CdnDomainName"]["Default"] == "app.example.com"
    assert {"ApiUrl", "CdnDomainName", "TableName", "UsersId"} <= set(doc["Outputs"])
