"""Containers: ECS services on AWS Fargate.

A service lives in the private subnets of its VPC group (``network.py`` builds the VPC). Its connections
to data stores, queues and topics work like a function's: the target's own service says what the
container finds in its environment and what its task role may do (the SAM policy templates it gives a
function, written out as IAM statements for the task role), and a store in the VPC admits the service's
security group on its port. A load balancer that forwards to it (``load_balancing.py``) gets its tasks
registered in its target group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component
from apps.exporting.cfn import getatt, py, ref, tag_list, trust_policy, var
from apps.exporting.plan import Plan
from apps.exporting.services.analytics import cdk_image, sam_image
from apps.exporting.services.base import Service
from apps.exporting.services.functions import LOG_RETENTION
from apps.exporting.services.load_balancing import listener_use_id, target_group_id
from apps.exporting.services.policy_templates import iam_statements
from apps.exporting.services.task_access import data_links, guarded_stores, sam_execution_role

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

CONTAINER = "app"  # the one container of a service's task definition
ARCHITECTURES = {"x86_64": "X86_64", "arm64": "ARM64"}
HEALTH_CHECK_GRACE_S = 60  # a new task's first failing health checks are ignored while it starts


def environment(plan: Plan, service: Component) -> dict[str, str]:
    """The container's own variables (``NAME=value;…``, checked by the catalog pattern)."""
    raw = plan.prop(service, "environment") or ""
    pairs = [item.split("=", 1) for item in raw.split(";") if item]
    return {name: value for name, value in pairs}


def private_subnets(sam: SamTemplate, service: Component) -> list[Any]:
    vpc = sam.plan.vpc_of(service)
    assert vpc is not None  # the plan refuses a vpc_only type outside a VPC
    logical = sam.plan.group_ids[vpc.id]
    return [ref(f"{logical}PrivateSubnet{i + 1}") for i in range(sam.plan.vpc_prop(vpc, "az_count"))]


def sam_ecs_service(sam: SamTemplate, service: Component) -> None:
    plan, logical = sam.plan, sam.id(service)
    vpc = plan.vpc_of(service)
    assert vpc is not None
    sam.add(f"{logical}Cluster", "AWS::ECS::Cluster", {"Tags": tag_list(service)}, service)
    sam.add(
        f"{logical}LogGroup",
        "AWS::Logs::LogGroup",
        {"RetentionInDays": plan.prop(service, "log_retention_days")},
        service,
        DeletionPolicy="Delete",
    )
    # The execution role starts the task (writes its logs); the task role is what the code may do.
    sam_execution_role(sam, logical, f"{logical}LogGroup", service)
    variables: dict[str, Any] = dict(environment(plan, service))
    policies: list[Any] = []
    for link in data_links(plan, service):
        variables[plan.env_name(link.target)] = sam.env_value(link.target)
        policies += [policy for policy in sam.policy(link) if policy not in policies]
        if link.target.type == "rds_instance":
            variables[f"{link.target.id.upper()}_DB_SECRET_ARN"] = getatt(
                sam.id(link.target), "MasterUserSecret.SecretArn"
            )
    task_role: dict[str, Any] = {"AssumeRolePolicyDocument": trust_policy("ecs-tasks.amazonaws.com")}
    statements = iam_statements(policies, role=f"component {service.id!r} (ecs_service) task role")
    if statements:
        task_role["Policies"] = [
            {"PolicyName": "connections", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
        ]
    sam.add(f"{logical}TaskRole", "AWS::IAM::Role", task_role, service)
    container: dict[str, Any] = {
        "Name": CONTAINER,
        "Image": sam_image(sam, service),
        "Essential": True,
        "PortMappings": [{"ContainerPort": plan.prop(service, "port"), "Protocol": "tcp"}],
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": ref(f"{logical}LogGroup"),
                "awslogs-region": ref("AWS::Region"),
                "awslogs-stream-prefix": service.id,
            },
        },
    }
    if variables:
        container["Environment"] = [{"Name": name, "Value": value} for name, value in sorted(variables.items())]
    sam.add(
        f"{logical}TaskDefinition",
        "AWS::ECS::TaskDefinition",
        {
            "Cpu": str(plan.prop(service, "cpu")),
            "Memory": str(plan.prop(service, "memory_mb")),
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "RuntimePlatform": {
                "CpuArchitecture": ARCHITECTURES[plan.prop(service, "architecture")],
                "OperatingSystemFamily": "LINUX",
            },
            "ExecutionRoleArn": getatt(f"{logical}ExecutionRole", "Arn"),
            "TaskRoleArn": getatt(f"{logical}TaskRole", "Arn"),
            "ContainerDefinitions": [container],
            "Tags": tag_list(service),
        },
        service,
    )
    sam.add(
        f"{logical}SecurityGroup",
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"ecs_service {service.id}",
            "VpcId": ref(plan.group_ids[vpc.id]),
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
        },
        service,
    )
    for store in guarded_stores(plan, service):
        sam.add(
            f"{sam.id(store)}From{logical}",
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": getatt(f"{sam.id(store)}SecurityGroup", "GroupId"),
                "IpProtocol": "tcp",
                "FromPort": plan.port(store),
                "ToPort": plan.port(store),
                "SourceSecurityGroupId": getatt(f"{logical}SecurityGroup", "GroupId"),
                "Description": f"ecs_service {service.id}",
            },
            service,
        )
    balancers, depends = [], []
    for link in plan.into(service, "forward"):
        balancer = sam.id(link.source)
        balancers.append(
            {
                "ContainerName": CONTAINER,
                "ContainerPort": plan.prop(service, "port"),
                "TargetGroupArn": ref(target_group_id(sam.plan, link)),
            }
        )
        # ECS refuses a target group that no listener uses yet: the rule (or listener) comes first.
        depends.append(listener_use_id(plan, link))
        sam.add(
            f"{logical}From{balancer}",
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": getatt(f"{logical}SecurityGroup", "GroupId"),
                "IpProtocol": "tcp",
                "FromPort": plan.prop(service, "port"),
                "ToPort": plan.prop(service, "port"),
                "SourceSecurityGroupId": getatt(f"{balancer}SecurityGroup", "GroupId"),
                "Description": f"load_balancer {link.source.id}",
            },
            service,
        )
    properties: dict[str, Any] = {
        "Cluster": ref(f"{logical}Cluster"),
        "TaskDefinition": ref(f"{logical}TaskDefinition"),
        "LaunchType": "FARGATE",
        "DesiredCount": plan.prop(service, "desired_count"),
        "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": True, "Rollback": True}},
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "AssignPublicIp": "DISABLED",
                "Subnets": private_subnets(sam, service),
                "SecurityGroups": [getatt(f"{logical}SecurityGroup", "GroupId")],
            }
        },
        "PropagateTags": "SERVICE",
        "Tags": tag_list(service),
    }
    if balancers:
        properties["LoadBalancers"] = balancers
        properties["HealthCheckGracePeriodSeconds"] = HEALTH_CHECK_GRACE_S
    extra = {"DependsOn": sorted(set(depends))} if depends else {}
    sam.add(logical, "AWS::ECS::Service", properties, service, **extra)
    sam.output(f"{logical}Name", getatt(logical, "Name"), f"ECS service of {plan.label(service)}", service)


def cdk_ecs_service(cdk: CdkStack, service: Component) -> None:
    plan, v, logical = cdk.plan, var(service), cdk.id(service)
    vpc = plan.vpc_of(service)
    assert vpc is not None
    architecture = ARCHITECTURES[cdk.prop(service, "architecture")]
    cdk.emit(f"# {logical}: ECS service on Fargate")
    cdk.emit(f"{v}_cluster = ecs.Cluster(self, {py(logical + 'Cluster')}, vpc=g_{vpc.id})")
    cdk.emit(
        f"{v}_logs = logs.LogGroup(self, {py(logical + 'LogGroup')}, retention=logs.RetentionDays.{LOG_RETENTION[cdk.prop(service, 'log_retention_days')]}, removal_policy=cdk.RemovalPolicy.DESTROY)"
    )
    cdk.emit(
        f"{v}_task = ecs.FargateTaskDefinition(self, {py(logical + 'TaskDefinition')}, cpu={cdk.prop(service, 'cpu')}, "
        f"memory_limit_mib={cdk.prop(service, 'memory_mb')}, runtime_platform=ecs.RuntimePlatform("
        f"cpu_architecture=ecs.CpuArchitecture.{architecture}, operating_system_family=ecs.OperatingSystemFamily.LINUX))"
    )
    cdk.emit(f"{v} = {v}_task.task_role  # what connections grant: the task role")
    cdk.emit(
        f"{v}_container = {v}_task.add_container({py(CONTAINER)}, image={cdk_image(cdk, service)}, "
        f"port_mappings=[ecs.PortMapping(container_port={cdk.prop(service, 'port')})], environment={py(environment(plan, service))}, "
        f"logging=ecs.LogDrivers.aws_logs(stream_prefix={py(service.id)}, log_group={v}_logs))"
    )
    cdk.emit(
        f"{v}_sg = ec2.SecurityGroup(self, {py(logical + 'SecurityGroup')}, vpc=g_{vpc.id}, description={py('ecs_service ' + service.id)}, allow_all_outbound=True)"
    )
    grace = (
        f", health_check_grace_period=Duration.seconds({HEALTH_CHECK_GRACE_S})" if plan.into(service, "forward") else ""
    )
    for store in guarded_stores(plan, service):
        cdk.emit(
            f"{var(store)}_sg.add_ingress_rule({v}_sg, ec2.Port.tcp({plan.port(store)}), {py('ecs_service ' + service.id)})"
        )
    cdk.emit(
        f"{v}_service = ecs.FargateService(self, {py(logical)}, cluster={v}_cluster, task_definition={v}_task, "
        f"desired_count={cdk.prop(service, 'desired_count')}, vpc_subnets=g_{vpc.id}_private, security_groups=[{v}_sg], "
        "assign_public_ip=False, circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True), "
        f"propagate_tags=ecs.PropagatedTagSource.SERVICE{grace})"
    )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Name')}, value={v}_service.service_name)")
    cdk.emit()


def cdk_ecs_wiring(cdk: CdkStack, service: Component) -> None:
    """Environment variables and task-role grants: what the service's connections ask of it."""
    plan, v = cdk.plan, var(service)
    for link in data_links(plan, service):
        target = link.target
        cdk.emit(f"{v}_container.add_environment({py(plan.env_name(target))}, {cdk.env_value(target)})")
        grant = cdk.grant(link)
        if grant:
            cdk.emit(grant)
        if target.type == "rds_instance":
            cdk.emit(
                f"{v}_container.add_environment({py(target.id.upper() + '_DB_SECRET_ARN')}, {var(target)}.secret.secret_arn)"
            )
    cdk.emit()


SERVICES = (
    Service(
        "ecs_service",
        sam=sam_ecs_service,
        cdk=cdk_ecs_service,
        cdk_order=35,
        cdk_wiring=cdk_ecs_wiring,
    ),
)
