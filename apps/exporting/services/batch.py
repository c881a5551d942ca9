"""Batch: AWS Batch job queues on Fargate or Fargate Spot, or on EC2 On-Demand or Spot instances, with their
compute environment and job definition.

The compute environment runs in the private subnets of the queue's VPC group; on EC2 it launches the
instance type asked for (none while no job waits) with an instance role and profile. Functions submit jobs
through an 'invoke' connection (their environment names the queue and the job definition, their role may
``batch:SubmitJob`` on both); a state machine submits them as a task, and a standard workflow waits for
the job with the ``.sync`` integration (which needs to describe and stop jobs, and AWS's managed rule); an
EventBridge rule or schedule submits one per event ('trigger'). What a job reads and writes works as for an
ECS service: the targets' env values in the container's environment, their policies on the job role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.designs.instances import EC2_CAPACITIES
from apps.exporting.cfn import getatt, py, ref, sub, tags, trust_policy, var
from apps.exporting.plan import Plan
from apps.exporting.services.analytics import cdk_image, sam_image
from apps.exporting.services.base import Service, cdk_attribute
from apps.exporting.services.policy_templates import iam_statements
from apps.exporting.services.task_access import data_links, guarded_stores, sam_execution_role

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

LOG_RETENTION_DAYS = 30
SYNC_JOB_ACTIONS = ["batch:DescribeJobs", "batch:TerminateJob"]
SYNC_RULE_ACTIONS = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
SYNC_RULE = "rule/StepFunctionsGetEventsForBatchJobsRule"
INSTANCE_ROLE_POLICY = "AmazonEC2ContainerServiceforEC2Role"


def job_definition_id(plan: Plan, queue: Component) -> str:
    return f"{plan.ids[queue.id]}JobDefinition"


def job_definition_env(queue: Component) -> str:
    """The variable that names the job definition, next to the queue's (``<ID>_JOB_QUEUE_ARN``)."""
    return f"{queue.id.upper()}_JOB_DEFINITION_ARN"


def waits_for_job(plan: Plan, link: Link) -> bool:
    """A standard workflow's synchronous 'invoke' waits for the job (``submitJob.sync``); Express
    workflows run request-response tasks only."""
    return (
        link.source.type == "step_functions"
        and link.prop("invocation_type") == "sync"
        and plan.prop(link.source, "workflow_type") == "standard"
    )


def on_instances(plan: Plan, queue: Component) -> bool:
    """Whether the queue's compute environment launches EC2 instances (On-Demand or Spot), not Fargate."""
    return plan.prop(queue, "capacity") in EC2_CAPACITIES


def allocation_strategy(plan: Plan, queue: Component) -> str:
    """How Batch picks instances: the cheapest that fit (On-Demand), or Spot pools that are both cheap and
    least likely to be interrupted (what AWS recommends for Spot)."""
    return "SPOT_PRICE_CAPACITY_OPTIMIZED" if plan.prop(queue, "capacity") == "spot" else "BEST_FIT_PROGRESSIVE"


def sam_instance_resources(sam: SamTemplate, queue: Component) -> dict[str, Any]:
    """The instance role and profile of an EC2 or Spot compute environment, and its ComputeResources.

    The instances run the ECS agent, which registers them with the environment's ECS cluster: AWS's
    managed policy for that (AmazonEC2ContainerServiceforEC2Role) is all the instance role holds; what
    a job may do is its job role's.
    """
    plan, logical = sam.plan, sam.id(queue)
    sam.add(
        f"{logical}InstanceRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("ec2.amazonaws.com"),
            "ManagedPolicyArns": [sub(f"arn:${{AWS::Partition}}:iam::aws:policy/service-role/{INSTANCE_ROLE_POLICY}")],
        },
        queue,
    )
    sam.add(f"{logical}InstanceProfile", "AWS::IAM::InstanceProfile", {"Roles": [ref(f"{logical}InstanceRole")]}, queue)
    return {
        "Type": "SPOT" if plan.prop(queue, "capacity") == "spot" else "EC2",
        "MinvCpus": 0,
        "InstanceTypes": [plan.prop(queue, "instance_type")],
        "AllocationStrategy": allocation_strategy(plan, queue),
        "InstanceRole": getatt(f"{logical}InstanceProfile", "Arn"),
    }


def sam_batch_job_queue(sam: SamTemplate, queue: Component) -> None:
    plan, logical = sam.plan, sam.id(queue)
    vpc = plan.vpc_of(queue)
    assert vpc is not None  # vpc_only: the plan refuses it outside a VPC
    vpc_logical = plan.group_ids[vpc.id]
    sam.add(
        f"{logical}SecurityGroup",
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"batch_job_queue {queue.id}",
            "VpcId": ref(vpc_logical),
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
        },
        queue,
    )
    resources: dict[str, Any] = {
        "Type": "FARGATE_SPOT" if plan.prop(queue, "capacity") == "fargate_spot" else "FARGATE",
        "MaxvCpus": plan.prop(queue, "max_vcpus"),
        "Subnets": [ref(f"{vpc_logical}PrivateSubnet{i + 1}") for i in range(plan.vpc_prop(vpc, "az_count"))],
        "SecurityGroupIds": [getatt(f"{logical}SecurityGroup", "GroupId")],
    }
    if on_instances(plan, queue):
        resources.update(sam_instance_resources(sam, queue))
    sam.add(
        f"{logical}ComputeEnvironment",
        "AWS::Batch::ComputeEnvironment",
        {"Type": "MANAGED", "State": "ENABLED", "ComputeResources": resources, "Tags": tags(queue)},
        queue,
    )
    sam.add(
        logical,
        "AWS::Batch::JobQueue",
        {
            "Priority": 1,
            "State": "ENABLED",
            "ComputeEnvironmentOrder": [{"Order": 1, "ComputeEnvironment": ref(f"{logical}ComputeEnvironment")}],
            "Tags": tags(queue),
        },
        queue,
    )
    sam.add(
        f"{logical}Logs",
        "AWS::Logs::LogGroup",
        {"RetentionInDays": LOG_RETENTION_DAYS},
        queue,
        DeletionPolicy="Delete",
    )
    # The execution role starts the job's container (writes its logs); the job itself gets no role.
    sam_execution_role(sam, logical, f"{logical}Logs", queue)
    variables: dict[str, Any] = {}
    policies: list[Any] = []
    for link in data_links(plan, queue):
        variables[plan.env_name(link.target)] = sam.env_value(link.target)
        policies += [policy for policy in sam.policy(link) if policy not in policies]
        if link.target.type == "rds_instance":
            variables[f"{link.target.id.upper()}_DB_SECRET_ARN"] = getatt(
                sam.id(link.target), "MasterUserSecret.SecretArn"
            )
    job_role: dict[str, Any] = {"AssumeRolePolicyDocument": trust_policy("ecs-tasks.amazonaws.com")}
    statements = iam_statements(policies, role=f"component {queue.id!r} (batch_job_queue) job role")
    if statements:
        job_role["Policies"] = [
            {"PolicyName": "connections", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
        ]
    sam.add(f"{logical}JobRole", "AWS::IAM::Role", job_role, queue)
    for store in guarded_stores(plan, queue):
        sam.add(
            f"{sam.id(store)}From{logical}",
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": getatt(f"{sam.id(store)}SecurityGroup", "GroupId"),
                "IpProtocol": "tcp",
                "FromPort": plan.port(store),
                "ToPort": plan.port(store),
                "SourceSecurityGroupId": getatt(f"{logical}SecurityGroup", "GroupId"),
                "Description": f"batch_job_queue {queue.id}",
            },
            queue,
        )
    environment = (
        {"Environment": [{"Name": name, "Value": value} for name, value in sorted(variables.items())]}
        if variables
        else {}
    )
    # Fargate tasks get a network interface of their own (no public address); EC2 jobs use the instance's.
    network = {} if on_instances(plan, queue) else {"NetworkConfiguration": {"AssignPublicIp": "DISABLED"}}
    sam.add(
        job_definition_id(plan, queue),
        "AWS::Batch::JobDefinition",
        {
            "Type": "container",
            "PlatformCapabilities": ["EC2" if on_instances(plan, queue) else "FARGATE"],
            "ContainerProperties": {
                "Image": sam_image(sam, queue),
                "ResourceRequirements": [
                    {"Type": "VCPU", "Value": f"{plan.prop(queue, 'vcpus'):g}"},
                    {"Type": "MEMORY", "Value": str(plan.prop(queue, "memory_mb"))},
                ],
                "ExecutionRoleArn": getatt(f"{logical}ExecutionRole", "Arn"),
                "JobRoleArn": getatt(f"{logical}JobRole", "Arn"),
                **environment,
                **network,
                "LogConfiguration": {
                    "LogDriver": "awslogs",
                    "Options": {
                        "awslogs-group": ref(f"{logical}Logs"),
                        "awslogs-region": ref("AWS::Region"),
                        "awslogs-stream-prefix": queue.id,
                    },
                },
            },
            "RetryStrategy": {"Attempts": plan.prop(queue, "retry_attempts")},
            "Timeout": {"AttemptDurationSeconds": plan.prop(queue, "timeout_s")},
            "Tags": tags(queue),
        },
        queue,
    )
    sam.output(f"{logical}Arn", ref(logical), f"Job queue of {plan.label(queue)}", queue)


def cdk_batch_job_queue(cdk: CdkStack, queue: Component) -> None:
    plan, v, logical = cdk.plan, var(queue), cdk.id(queue)
    vpc = plan.vpc_of(queue)
    assert vpc is not None
    g = f"g_{vpc.id}"
    capacity = plan.prop(queue, "capacity")
    spot = capacity in ("fargate_spot", "spot")
    instances = on_instances(plan, queue)
    kind = ("EC2 Spot instances" if spot else "EC2 instances") if instances else f"Fargate{' Spot' if spot else ''}"
    cdk.emit(f"# {logical}: AWS Batch job queue on {kind}")
    cdk.emit(
        f"{v}_sg = ec2.SecurityGroup(self, {py(logical + 'SecurityGroup')}, vpc={g}, description={py('batch_job_queue ' + queue.id)}, allow_all_outbound=True)"
    )
    if instances:
        # aws-cdk-lib makes the instance role (AmazonEC2ContainerServiceforEC2Role) and its instance profile.
        cdk.emit(
            f"{v}_compute = batch.ManagedEc2EcsComputeEnvironment(self, {py(logical + 'ComputeEnvironment')}, vpc={g}, "
            f"vpc_subnets={g}_private, security_groups=[{v}_sg], spot={spot}, minv_cpus=0, maxv_cpus={plan.prop(queue, 'max_vcpus')}, "
            f"instance_types=[ec2.InstanceType({py(plan.prop(queue, 'instance_type'))})], use_optimal_instance_classes=False, "
            f"allocation_strategy=batch.AllocationStrategy.{allocation_strategy(plan, queue)})"
        )
    else:
        cdk.emit(
            f"{v}_compute = batch.FargateComputeEnvironment(self, {py(logical + 'ComputeEnvironment')}, vpc={g}, "
            f"vpc_subnets={g}_private, security_groups=[{v}_sg], spot={spot}, maxv_cpus={plan.prop(queue, 'max_vcpus')})"
        )
    cdk.emit(
        f"{v} = batch.JobQueue(self, {py(logical)}, priority=1, "
        f"compute_environments=[batch.OrderedComputeEnvironment(compute_environment={v}_compute, order=1)])"
    )
    cdk.emit(
        f"{v}_logs = logs.LogGroup(self, {py(logical + 'Logs')}, retention=logs.RetentionDays.ONE_MONTH, removal_policy=cdk.RemovalPolicy.DESTROY)"
    )
    # The job role is what connections grant (the queue's own variable names the queue).
    cdk.emit(
        f"{v}_role = iam.Role(self, {py(logical + 'JobRole')}, assumed_by=iam.ServicePrincipal('ecs-tasks.amazonaws.com'))"
    )
    for store in guarded_stores(plan, queue):
        cdk.emit(
            f"{var(store)}_sg.add_ingress_rule({v}_sg, ec2.Port.tcp({plan.port(store)}), {py('batch_job_queue ' + queue.id)})"
        )
    variables = []
    for link in data_links(plan, queue):
        variables.append(f"{py(plan.env_name(link.target))}: {cdk.env_value(link.target)}")
        if link.target.type == "rds_instance":
            variables.append(f"{py(link.target.id.upper() + '_DB_SECRET_ARN')}: {var(link.target)}.secret.secret_arn")
    environment = f"environment={{{', '.join(variables)}}}, " if variables else ""
    container = "EcsEc2ContainerDefinition" if instances else "EcsFargateContainerDefinition"
    network = "" if instances else "assign_public_ip=False, "
    cdk.emit(
        f"{v}_job = batch.EcsJobDefinition(self, {py(job_definition_id(plan, queue))}, "
        f"container=batch.{container}(self, {py(logical + 'Container')}, "
        f"image={cdk_image(cdk, queue)}, cpu={plan.prop(queue, 'vcpus')!r}, "
        f"memory=Size.mebibytes({plan.prop(queue, 'memory_mb')}), {network}job_role={v}_role, {environment}"
        f"logging=ecs.LogDrivers.aws_logs(stream_prefix={py(queue.id)}, log_group={v}_logs)), "
        f"retry_attempts={plan.prop(queue, 'retry_attempts')}, timeout=Duration.seconds({plan.prop(queue, 'timeout_s')}))"
    )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Arn')}, value={v}.job_queue_arn)")
    cdk.emit()


def cdk_batch_wiring(cdk: CdkStack, queue: Component) -> None:
    """The job role's grants: what the queue's read and write connections let its jobs do."""
    role = queue.model_copy(update={"id": f"{queue.id}_role"})  # var(role) is the job role's variable
    links = data_links(cdk.plan, queue)
    for link in links:
        grant = cdk.grant(Link(link.connection, role, link.target))
        if grant:
            cdk.emit(grant)
    if links:
        cdk.emit()


def sam_job_target(sam: SamTemplate, link: Link) -> dict[str, Any]:
    """An EventBridge rule's target that submits a job (the bus or schedule writes the rule), with the role
    EventBridge assumes to submit it."""
    plan, queue = sam.plan, link.target
    role = f"{sam.id(link.source)}To{sam.id(queue)}Role"
    sam.add(
        role,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("events.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "submit-job",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "batch:SubmitJob",
                                "Resource": [ref(sam.id(queue)), ref(job_definition_id(plan, queue))],
                            }
                        ],
                    },
                }
            ],
        },
        queue,
    )
    return {
        "Id": "job",
        "Arn": ref(sam.id(queue)),
        "RoleArn": getatt(role, "Arn"),
        "BatchParameters": {"JobDefinition": ref(job_definition_id(plan, queue)), "JobName": queue.id},
    }


def cdk_job_target(cdk: CdkStack, link: Link, dead_letter_arg: str) -> str:
    """The CDK rule target that submits a job (it makes EventBridge's role itself)."""
    q = var(link.target)
    return f"targets.BatchJob({q}.job_queue_arn, {q}, {q}_job.job_definition_arn, {q}_job, job_name={py(link.target.id)}{dead_letter_arg})"


def sam_submit_policies(sam: SamTemplate, link: Link) -> list[Any]:
    """What submitting to the queue takes: SubmitJob on the queue and the job definition; a workflow that
    waits for the job also describes and stops it and keeps AWS's managed rule for its events."""
    queue = link.target
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": "batch:SubmitJob",
            "Resource": [ref(sam.id(queue)), ref(job_definition_id(sam.plan, queue))],
        }
    ]
    if waits_for_job(sam.plan, link):
        statements += [
            {"Effect": "Allow", "Action": SYNC_JOB_ACTIONS, "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": SYNC_RULE_ACTIONS,
                "Resource": sub(f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:{SYNC_RULE}"),
            },
        ]
    return [{"Statement": statements}]


def cdk_submit_grant(cdk: CdkStack, link: Link) -> str:
    queue, source = var(link.target), var(link.source)
    grant = f"{queue}_job.grant_submit_job({source}, {queue})"
    if waits_for_job(cdk.plan, link):
        rule = (
            f"cdk.Stack.of(self).format_arn(service='events', resource={py(SYNC_RULE.split('/')[0])}, "
            f"resource_name={py(SYNC_RULE.split('/', 1)[1])})"
        )
        grant += (
            f"; {source}.add_to_role_policy(iam.PolicyStatement(actions={py(SYNC_JOB_ACTIONS)}, resources=['*']))"
            f"; {source}.add_to_role_policy(iam.PolicyStatement(actions={py(SYNC_RULE_ACTIONS)}, resources=[{rule}]))"
        )
    return grant


SERVICES = (
    Service(
        "batch_job_queue",
        sam=sam_batch_job_queue,
        cdk=cdk_batch_job_queue,
        cdk_order=38,  # before the state machines that submit to it
        cdk_env=cdk_attribute("job_queue_arn"),
        sam_policies=sam_submit_policies,
        cdk_grant=cdk_submit_grant,
        cdk_wiring=cdk_batch_wiring,
    ),
)
