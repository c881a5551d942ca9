"""What the export writes for an ECS service on Fargate: the service in its VPC, its task definition, and a
task role and environment that come from its connections the way a function's do."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import validate_design
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.plan import ExportError
from apps.exporting.services.policy_templates import iam_statements


def doc(*, label: str | None = None, **props: Any) -> dict[str, Any]:
    service: dict[str, Any] = {"id": "web", "type": "ecs_service", "group": "net", "props": props}
    if label is not None:
        service["label"] = label
    return {
        "schema": "tierplan.design/v1",
        "name": "Containers",
        "groups": [{"id": "net", "kind": "vpc", "props": {"nat_gateways": 1}}],
        "components": [
            service,
            {"id": "orders", "type": "dynamodb_table"},
            {"id": "db", "type": "rds_instance", "group": "net"},
            {"id": "jobs", "type": "sqs_queue"},
        ],
        "connections": [
            {"id": "c1", "source": "web", "target": "orders", "kind": "read_write", "props": {}},
            {"id": "c2", "source": "web", "target": "db", "kind": "read", "props": {}},
            {"id": "c3", "source": "web", "target": "jobs", "kind": "write", "props": {}},
        ],
    }


def resources(document: dict[str, Any]) -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(document))["template.yaml"])["Resources"]


def stack(document: dict[str, Any]) -> str:
    return cdk_files(validate_design(document))["tierplan_stack.py"]


def test_the_service_runs_its_tasks_on_fargate_in_the_private_subnets() -> None:
    service = resources(doc(desired_count=3))["Web"]
    assert service["Type"] == "AWS::ECS::Service"
    properties = service["Properties"]
    assert properties["LaunchType"] == "FARGATE" and properties["DesiredCount"] == 3
    network = properties["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED"
    assert network["Subnets"] == [{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}]
    assert properties["DeploymentConfiguration"]["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}


def test_the_task_definition_has_the_size_architecture_image_and_port_asked_for() -> None:
    task = resources(doc(cpu=1024, memory_mb=3072, architecture="arm64", port=8080))["WebTaskDefinition"]
    properties = task["Properties"]
    assert (properties["Cpu"], properties["Memory"]) == ("1024", "3072")
    assert properties["RuntimePlatform"] == {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}
    container = properties["ContainerDefinitions"][0]
    assert container["Image"] == "public.ecr.aws/nginx/nginx:stable"
    assert container["PortMappings"] == [{"ContainerPort": 8080, "Protocol": "tcp"}]
    assert container["LogConfiguration"]["Options"]["awslogs-group"] == {"Ref": "WebLogGroup"}


def test_connections_give_the_container_its_variables_and_the_task_role_least_privilege() -> None:
    found = resources(doc(environment="LOG_LEVEL=info"))
    container = found["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
    variables = {v["Name"]: v["Value"] for v in container["Environment"]}
    assert variables["LOG_LEVEL"] == "info"
    assert variables["ORDERS_TABLE_NAME"] == {"Ref": "Orders"}
    assert variables["JOBS_QUEUE_URL"] == {"Ref": "Jobs"}
    assert variables["DB_DB_SECRET_ARN"] == {"Fn::GetAtt": ["Db", "MasterUserSecret.SecretArn"]}
    statements = found["WebTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    actions = [statement["Action"] for statement in statements]
    assert "dynamodb:PutItem" in actions[0] and "dynamodb:DeleteItem" in actions[0]
    assert actions[1:] == [["secretsmanager:GetSecretValue"], ["sqs:SendMessage*"]]
    assert statements[1]["Resource"] == {"Fn::GetAtt": ["Db", "MasterUserSecret.SecretArn"]}
    # the execution role only writes the service's own logs
    execution = found["WebExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert execution == [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": ["WebLogGroup", "Arn"]},
        }
    ]


def test_the_database_admits_the_service_on_its_port() -> None:
    ingress = resources(doc())["DbFromWeb"]
    assert ingress["Type"] == "AWS::EC2::SecurityGroupIngress"
    assert ingress["Properties"]["FromPort"] == 5432
    assert ingress["Properties"]["SourceSecurityGroupId"] == {"Fn::GetAtt": ["WebSecurityGroup", "GroupId"]}


def test_the_cdk_stack_grants_the_task_role_and_sets_the_same_variables() -> None:
    source = stack(doc())
    assert "c_web = c_web_task.task_role" in source
    assert "c_orders.grant_read_write_data(c_web)" in source
    assert "c_jobs.grant_send_messages(c_web)" in source
    assert "c_web_container.add_environment('ORDERS_TABLE_NAME', c_orders.table_name)" in source
    assert "c_db_sg.add_ingress_rule(c_web_sg, ec2.Port.tcp(5432)" in source


def test_a_hostile_label_and_environment_stay_plain_text() -> None:
    hostile = "${AWS::AccountId} {{resolve:ssm:/a}}"
    document = doc(label=hostile, environment="TOKEN=a{b};NOTE=$x")
    template = sam_files(validate_design(document))["template.yaml"]
    assert "{{resolve" not in template
    description = yaml.safe_load(template)["Outputs"]["WebName"]["Description"]
    assert "${" not in description and "{{" not in description and "AWS::AccountId" in description
    container = resources(document)["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
    assert {"Name": "TOKEN", "Value": "a{b}"} in container["Environment"]
    assert "{{resolve" not in stack(document)


def test_environment_that_would_resolve_a_secret_is_refused_naming_the_prop() -> None:
    with pytest.raises(Exception) as refused:
        validate_design(doc(environment="X={{resolve:ssm:/a}}"))
    assert "/components/0/props/environment" in str(refused.value)


def test_a_policy_template_without_a_known_statement_is_refused_not_dropped() -> None:
    with pytest.raises(ExportError, match="SomeNewPolicy"):
        iam_statements([{"SomeNewPolicy": {"Name": "x"}}], role="task role of web")


# -- Application Load Balancers ----------------------------------------------------------------------------

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f"


def balanced(*, nat: int = 1, label: str | None = None, **props: Any) -> dict[str, Any]:
    balancer: dict[str, Any] = {"id": "alb", "type": "load_balancer", "group": "net", "props": props}
    if label is not None:
        balancer["label"] = label
    return {
        "schema": "tierplan.design/v1",
        "name": "Behind a load balancer",
        "groups": [{"id": "net", "kind": "vpc", "props": {"nat_gateways": nat}}],
        "components": [
            {"id": "web", "type": "browser"},
            balancer,
            {
                "id": "app",
                "type": "ecs_service",
                "group": "net",
                "props": {"port": 8080, "health_check_path": "/health"},
            },
            {"id": "api_fn", "type": "lambda_function"},
        ],
        "connections": [
            {"id": "c0", "source": "web", "target": "alb", "kind": "request", "props": {}},
            {"id": "c1", "source": "alb", "target": "app", "kind": "forward", "props": {}},
            {"id": "c2", "source": "alb", "target": "api_fn", "kind": "forward", "props": {"path_pattern": "/api/*"}},
        ],
    }


def test_an_internet_facing_balancer_sits_in_the_public_subnets_and_forwards_by_path() -> None:
    found = resources(balanced(scheme="internet-facing"))
    alb = found["Alb"]["Properties"]
    assert alb["Scheme"] == "internet-facing"
    assert alb["Subnets"] == [{"Ref": "NetPublicSubnet1"}, {"Ref": "NetPublicSubnet2"}]
    listener = found["AlbListener"]["Properties"]
    assert (listener["Port"], listener["Protocol"]) == (80, "HTTP")
    assert listener["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": "AlbToApp"}}]
    rule = found["AlbRuleApiFn"]["Properties"]
    assert rule["Priority"] == 1
    assert rule["Conditions"] == [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}]
    assert found["AlbToApp"]["Properties"]["TargetType"] == "ip"
    assert found["AlbToApp"]["Properties"]["HealthCheckPath"] == "/health"


def test_the_service_registers_its_tasks_once_the_listener_uses_its_target_group() -> None:
    found = resources(balanced())
    service = found["App"]
    assert service["Properties"]["LoadBalancers"] == [
        {"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "AlbToApp"}}
    ]
    assert service["DependsOn"] == ["AlbListener"]
    ingress = found["AppFromAlb"]["Properties"]
    assert ingress["SourceSecurityGroupId"] == {"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]}
    assert ingress["FromPort"] == 8080


def test_a_lambda_target_lets_elastic_load_balancing_invoke_it_first() -> None:
    found = resources(balanced())
    permission = found["AlbToApiFnPermission"]["Properties"]
    assert permission["Principal"] == "elasticloadbalancing.amazonaws.com"
    assert permission["FunctionName"] == {"Fn::GetAtt": ["ApiFn", "Arn"]}
    assert found["AlbToApiFn"]["DependsOn"] == "AlbToApiFnPermission"
    assert found["AlbToApiFn"]["Properties"]["TargetType"] == "lambda"


def test_a_certificate_gives_an_https_listener_and_an_http_redirect() -> None:
    found = resources(balanced(scheme="internet-facing", certificate_arn=CERTIFICATE))
    listener = found["AlbListener"]["Properties"]
    assert (listener["Port"], listener["Protocol"]) == (443, "HTTPS")
    assert listener["Certificates"] == [{"CertificateArn": CERTIFICATE}]
    redirect = found["AlbHttpRedirect"]["Properties"]["DefaultActions"][0]
    assert redirect["RedirectConfig"] == {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    source = stack(balanced(scheme="internet-facing", certificate_arn=CERTIFICATE))
    assert "protocol=elbv2.ApplicationProtocol.HTTPS" in source
    assert "c_app_service.attach_to_application_target_group(c_alb_to_app)" in source


def test_an_internal_balancer_admits_only_its_vpc() -> None:
    group = resources(balanced())["AlbSecurityGroup"]["Properties"]
    assert group["SecurityGroupIngress"][0]["CidrIp"] == {"Fn::GetAtt": ["Net", "CidrBlock"]}


def test_an_internet_facing_balancer_in_a_vpc_without_public_subnets_is_refused() -> None:
    with pytest.raises(ExportError, match="public subnets"):
        resources(balanced(nat=0, scheme="internet-facing"))


def test_two_rules_with_one_path_are_refused() -> None:
    document = balanced()
    document["connections"][1]["props"] = {"path_pattern": "/api/*"}
    with pytest.raises(ExportError, match="same path pattern"):
        resources(document)


def test_a_hostile_balancer_label_stays_plain_text() -> None:
    document = balanced(label="${AWS::AccountId} {{resolve:ssm:/a}}")
    template = sam_files(validate_design(document))["template.yaml"]
    assert "{{resolve" not in template
    description = yaml.safe_load(template)["Outputs"]["AlbUrl"]["Description"]
    assert "${" not in description and "{{" not in description


# -- AWS Batch job queues --------------------------------------------------------------------------------


def batch_doc(*, workflow_type: str = "standard", **props: Any) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Batch",
        "groups": [{"id": "net", "kind": "vpc", "props": {"nat_gateways": 1}}],
        "components": [
            {"id": "crunch", "type": "batch_job_queue", "group": "net", "props": props},
            {"id": "flow", "type": "step_functions", "props": {"workflow_type": workflow_type}},
            {"id": "submit", "type": "lambda_function"},
        ],
        "connections": [
            {"id": "c1", "source": "flow", "target": "crunch", "kind": "invoke", "props": {}},
            {"id": "c2", "source": "submit", "target": "crunch", "kind": "invoke", "props": {}},
        ],
    }


def test_the_queue_runs_jobs_on_fargate_spot_in_the_private_subnets() -> None:
    found = resources(batch_doc(capacity="fargate_spot", max_vcpus=32, vcpus=0.5, memory_mb=1024, retry_attempts=3))
    compute = found["CrunchComputeEnvironment"]["Properties"]["ComputeResources"]
    assert (compute["Type"], compute["MaxvCpus"]) == ("FARGATE_SPOT", 32)
    assert compute["Subnets"] == [{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}]
    job = found["CrunchJobDefinition"]["Properties"]
    assert job["PlatformCapabilities"] == ["FARGATE"]
    assert job["ContainerProperties"]["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "0.5"},
        {"Type": "MEMORY", "Value": "1024"},
    ]
    assert job["RetryStrategy"] == {"Attempts": 3}
    assert found["Crunch"]["Properties"]["ComputeEnvironmentOrder"][0]["ComputeEnvironment"] == {
        "Ref": "CrunchComputeEnvironment"
    }


def test_a_standard_workflow_waits_for_the_job_and_may_watch_it() -> None:
    machine = resources(batch_doc())["Flow"]["Properties"]
    state = machine["Definition"]["States"]["InvokeCrunch"]
    assert state["Resource"] == "arn:aws:states:::batch:submitJob.sync"
    assert state["Parameters"] == {
        "JobName": "crunch",
        "JobQueue": "${CrunchRef}",
        "JobDefinition": "${CrunchJobDefinitionRef}",
    }
    assert machine["DefinitionSubstitutions"]["CrunchJobDefinitionRef"] == {"Ref": "CrunchJobDefinition"}
    actions = [s["Action"] for s in machine["Policies"][0]["Statement"]]
    assert actions[0] == "batch:SubmitJob" and ["batch:DescribeJobs", "batch:TerminateJob"] in actions


def test_an_express_workflow_submits_without_waiting() -> None:
    machine = resources(batch_doc(workflow_type="express"))["Flow"]["Properties"]
    assert machine["Definition"]["States"]["InvokeCrunch"]["Resource"] == "arn:aws:states:::batch:submitJob"
    assert len(machine["Policies"][0]["Statement"]) == 1


def test_a_function_finds_the_queue_and_job_definition_and_may_submit() -> None:
    fn = resources(batch_doc())["Submit"]["Properties"]
    assert fn["Environment"]["Variables"] == {
        "CRUNCH_JOB_DEFINITION_ARN": {"Ref": "CrunchJobDefinition"},
        "CRUNCH_JOB_QUEUE_ARN": {"Ref": "Crunch"},
    }
    assert fn["Policies"] == [
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "batch:SubmitJob",
                    "Resource": [{"Ref": "Crunch"}, {"Ref": "CrunchJobDefinition"}],
                }
            ]
        }
    ]
    source = stack(batch_doc())
    assert "c_crunch_job.grant_submit_job(c_submit, c_crunch)" in source
    assert "'JobDefinition': c_crunch_job.job_definition_arn" in source


def test_an_api_cannot_submit_jobs_directly() -> None:
    document = batch_doc()
    document["components"].append({"id": "api", "type": "api_gateway_http"})
    document["connections"].append(
        {"id": "c3", "source": "api", "target": "crunch", "kind": "invoke", "props": {"route": "POST /jobs"}}
    )
    with pytest.raises(Exception, match="no integration that submits Batch jobs"):
        validate_design(document)


def test_a_job_size_fargate_does_not_run_is_refused() -> None:
    with pytest.raises(Exception, match="memory_mb"):
        validate_design(batch_doc(vcpus=16, memory_mb=8192))


def test_cloudfront_forwards_to_an_internet_facing_balancer_over_http_without_a_certificate() -> None:
    document = balanced(scheme="internet-facing")
    document["components"].append({"id": "cdn", "type": "cloudfront"})
    document["connections"].append(
        {"id": "c9", "source": "cdn", "target": "alb", "kind": "origin", "props": {"path_pattern": "*"}}
    )
    origin = resources(document)["Cdn"]["Properties"]["DistributionConfig"]["Origins"][0]
    assert origin["DomainName"] == {"Fn::GetAtt": ["Alb", "DNSName"]}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
    assert "origins.LoadBalancerV2Origin(c_alb, protocol_policy=cloudfront.OriginProtocolPolicy.HTTP_ONLY)" in stack(
        document
    )


def test_a_schedule_submits_a_job_through_a_rule_with_its_own_role() -> None:
    document = batch_doc()
    document["components"].append(
        {"id": "nightly", "type": "eventbridge_bus", "props": {"schedule_expression": "rate(1 day)"}}
    )
    document["connections"].append(
        {"id": "c4", "source": "nightly", "target": "crunch", "kind": "trigger", "props": {}}
    )
    found = resources(document)
    rule = found["NightlyToCrunch"]["Properties"]
    assert rule["ScheduleExpression"] == "rate(1 day)"
    assert rule["Targets"] == [
        {
            "Id": "job",
            "Arn": {"Ref": "Crunch"},
            "RoleArn": {"Fn::GetAtt": ["NightlyToCrunchRole", "Arn"]},
            "BatchParameters": {"JobDefinition": {"Ref": "CrunchJobDefinition"}, "JobName": "crunch"},
        }
    ]
    role = found["NightlyToCrunchRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert "targets.BatchJob(c_crunch.job_queue_arn, c_crunch, c_crunch_job.job_definition_arn, c_crunch_job" in stack(
        document
    )


def test_only_eventbridge_triggers_jobs() -> None:
    document = batch_doc()
    document["components"].append({"id": "uploads", "type": "s3_bucket"})
    document["connections"].append(
        {"id": "c4", "source": "uploads", "target": "crunch", "kind": "trigger", "props": {}}
    )
    with pytest.raises(Exception, match="only EventBridge rules and schedules submit Batch jobs"):
        validate_design(document)


def test_a_job_reads_and_writes_through_its_job_role_and_environment() -> None:
    document = batch_doc()
    document["components"] += [
        {"id": "results", "type": "s3_bucket"},
        {"id": "db", "type": "rds_instance", "group": "net"},
    ]
    document["connections"] += [
        {"id": "c5", "source": "crunch", "target": "results", "kind": "write", "props": {}},
        {"id": "c6", "source": "crunch", "target": "db", "kind": "read", "props": {}},
    ]
    found = resources(document)
    container = found["CrunchJobDefinition"]["Properties"]["ContainerProperties"]
    assert container["JobRoleArn"] == {"Fn::GetAtt": ["CrunchJobRole", "Arn"]}
    names = [variable["Name"] for variable in container["Environment"]]
    assert names == ["DB_DB_ENDPOINT", "DB_DB_SECRET_ARN", "RESULTS_BUCKET_NAME"]
    statements = found["CrunchJobRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert [statement["Action"] for statement in statements] == [
        ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
        ["secretsmanager:GetSecretValue"],
    ]
    assert found["DbFromCrunch"]["Properties"]["FromPort"] == 5432
    source = stack(document)
    assert "c_results.grant_put(c_crunch_role)" in source
    assert "job_role=c_crunch_role" in source


def test_a_template_of_another_family_expands_with_its_parameter_substituted() -> None:
    describe, read = iam_statements([{"SSMParameterReadPolicy": {"ParameterName": "app/flags"}}], role="web")
    assert describe == {"Action": ["ssm:DescribeParameters"], "Effect": "Allow", "Resource": "*"}
    assert read["Action"] == ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"]
    assert read["Resource"] == {
        "Fn::Sub": [
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${parameterName}",
            {"parameterName": "app/flags"},
        ]
    }
