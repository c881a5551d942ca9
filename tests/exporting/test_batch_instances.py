"""AWS Batch on EC2 and Spot instances: the compute environment, its instance role and profile, and a job
definition for EC2."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import DesignInvalid, validate_design
from apps.exporting.bundle import cdk_files, sam_files


def doc(**props: Any) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Batch on EC2",
        "groups": [{"id": "net", "kind": "vpc", "props": {"nat_gateways": 1}}],
        "components": [{"id": "crunch", "type": "batch_job_queue", "group": "net", "props": props}],
        "connections": [],
    }


def resources(document: dict[str, Any]) -> dict[str, Any]:
    return yaml.safe_load(sam_files(validate_design(document))["template.yaml"])["Resources"]


def test_on_demand_instances_get_a_role_for_the_ecs_agent_and_its_instance_profile() -> None:
    found = resources(doc(capacity="ec2", instance_type="c6i.xlarge", vcpus=2, memory_mb=4096))
    role = found["CrunchInstanceRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"}
    ]
    assert "Policies" not in role  # what a job may do is its job role's
    assert found["CrunchInstanceProfile"]["Properties"] == {"Roles": [{"Ref": "CrunchInstanceRole"}]}
    compute = found["CrunchComputeEnvironment"]["Properties"]["ComputeResources"]
    assert compute["Type"] == "EC2" and compute["MinvCpus"] == 0
    assert compute["InstanceTypes"] == ["c6i.xlarge"]
    assert compute["AllocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    assert compute["InstanceRole"] == {"Fn::GetAtt": ["CrunchInstanceProfile", "Arn"]}
    job = found["CrunchJobDefinition"]["Properties"]
    assert job["PlatformCapabilities"] == ["EC2"]
    assert "NetworkConfiguration" not in job["ContainerProperties"]  # Fargate only
    assert {"Type": "VCPU", "Value": "2"} in job["ContainerProperties"]["ResourceRequirements"]


def test_spot_uses_the_price_and_capacity_optimized_strategy() -> None:
    compute = resources(doc(capacity="spot"))["CrunchComputeEnvironment"]["Properties"]["ComputeResources"]
    assert compute["Type"] == "SPOT" and compute["AllocationStrategy"] == "SPOT_PRICE_CAPACITY_OPTIMIZED"


def test_fargate_queues_are_unchanged() -> None:
    found = resources(doc(capacity="fargate_spot"))
    assert "CrunchInstanceProfile" not in found and "CrunchInstanceRole" not in found
    assert found["CrunchComputeEnvironment"]["Properties"]["ComputeResources"]["Type"] == "FARGATE_SPOT"
    assert found["CrunchJobDefinition"]["Properties"]["PlatformCapabilities"] == ["FARGATE"]


def test_cdk_launches_the_same_instance_type_with_the_same_strategy() -> None:
    code = cdk_files(validate_design(doc(capacity="spot", instance_type="r6i.large")))["tierplan_stack.py"]
    assert "batch.ManagedEc2EcsComputeEnvironment(self, 'CrunchComputeEnvironment'" in code
    assert "instance_types=[ec2.InstanceType('r6i.large')], use_optimal_instance_classes=False" in code
    assert "spot=True, minv_cpus=0" in code
    assert "allocation_strategy=batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED" in code
    assert "batch.EcsEc2ContainerDefinition(" in code and "assign_public_ip" not in code


@pytest.mark.parametrize(
    ("props", "pointer", "words"),
    [
        ({"vcpus": 0.5}, "vcpus", "whole vCPUs"),
        ({"vcpus": 4}, "vcpus", "m6i.large has 2 vCPUs"),
        ({"memory_mb": 16384}, "memory_mb", "m6i.large has 8192 MiB"),
    ],
)
def test_a_job_that_fits_no_instance_is_refused(props: dict[str, Any], pointer: str, words: str) -> None:
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc(capacity="ec2", **props))
    assert f"/components/0/props/{pointer}" in str(caught.value) and words in str(caught.value)


def test_instance_sizes_need_not_match_fargate_sizes() -> None:
    # 2 vCPU with 3 GiB is no Fargate size, but fits a c6i.large.
    validate_design(doc(capacity="ec2", instance_type="c6i.large", vcpus=2, memory_mb=3072))
    with pytest.raises(DesignInvalid, match="Fargate runs 2 vCPU"):
        validate_design(doc(capacity="fargate", vcpus=2, memory_mb=3072))
