"""The EC2 instance types an AWS Batch compute environment on EC2 or Spot may launch, and whether a job
fits one. Pure Python, no Django.

Sizes are those of the Amazon EC2 instance type pages (general purpose m6i, compute optimized c6i,
memory optimized r6i: 2 vCPUs per "large", 4 GiB of memory per vCPU for m, 2 for c, 8 for r).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apps.core.pointers import Problem, json_pointer

GIB = 1024
MEMORY_PER_VCPU_GIB = {"c6i": 2, "m6i": 4, "r6i": 8}
VCPUS_BY_SIZE = {"large": 2, "xlarge": 4, "2xlarge": 8}
EC2_CAPACITIES = ("ec2", "spot")  # batch_job_queue capacities that run on instances rather than Fargate


def instance_size(instance_type: str) -> tuple[int, int]:
    """(vCPUs, memory in MiB) of one of the catalog's instance types, e.g. m6i.large → (2, 8192)."""
    family, size = instance_type.split(".", 1)
    vcpus = VCPUS_BY_SIZE[size]
    return vcpus, vcpus * MEMORY_PER_VCPU_GIB[family] * GIB


def batch_instance_problems(
    props: Mapping[str, Any], defaults: Mapping[str, Any], path: tuple[str | int, ...]
) -> list[Problem]:
    """Problems with a job on EC2 or Spot capacity: a whole number of vCPUs that fits its instance type,
    and memory the instance has (Batch leaves a job that fits no instance RUNNABLE for ever)."""
    values = {**defaults, **props}
    instance_type, vcpus, memory = values.get("instance_type"), values.get("vcpus"), values.get("memory_mb")
    if not isinstance(instance_type, str) or "." not in instance_type:
        return []
    try:
        cpus, mib = instance_size(instance_type)
    except KeyError:
        return []  # the catalog's enum refuses it
    problems = []
    if isinstance(vcpus, (int, float)) and not isinstance(vcpus, bool):
        if vcpus < 1 or vcpus != int(vcpus):
            problems.append(
                Problem(json_pointer((*path, "vcpus")), f"a job on EC2 takes whole vCPUs (1 or more), not {vcpus:g}")
            )
        elif vcpus > cpus:
            problems.append(
                Problem(
                    json_pointer((*path, "vcpus")),
                    f"{instance_type} has {cpus} vCPUs, fewer than the job's {vcpus:g}; choose a larger instance_type",
                )
            )
    if isinstance(memory, int) and not isinstance(memory, bool) and memory > mib:
        problems.append(
            Problem(
                json_pointer((*path, "memory_mb")),
                f"{instance_type} has {mib} MiB of memory, less than the job's {memory} MiB; choose a larger instance_type",
            )
        )
    return problems
