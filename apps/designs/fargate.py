"""The task sizes AWS Fargate runs: which memory sizes go with each CPU size. Pure Python, no Django.

Fargate refuses any other pair when the task definition is registered ("No Fargate configuration exists
for given values"), so a design is refused up front, with the pointer of the memory prop. Source: the
Amazon ECS Developer Guide, "Task CPU and memory" (task-cpu-memory-error.html); 8 and 16 vCPU need
Linux platform version 1.4.0 or later, which is the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apps.core.pointers import Problem, json_pointer

GIB = 1024
# The component types that run on Fargate: (their CPU prop, their memory prop).
FARGATE_SIZES = {"ecs_service": ("cpu", "memory_mb"), "batch_job_queue": ("vcpus", "memory_mb")}
# CPU units → (smallest memory, largest memory, step), in MiB.
MEMORY_RANGES: dict[int, tuple[int, int, int]] = {
    256: (512, 2 * GIB, 512),  # 512 MiB, 1 GiB, 2 GiB: the 1.5 GiB step below is refused separately
    512: (1 * GIB, 4 * GIB, GIB),
    1024: (2 * GIB, 8 * GIB, GIB),
    2048: (4 * GIB, 16 * GIB, GIB),
    4096: (8 * GIB, 30 * GIB, GIB),
    8192: (16 * GIB, 60 * GIB, 4 * GIB),
    16384: (32 * GIB, 120 * GIB, 8 * GIB),
}


def memory_sizes(cpu: int) -> list[int]:
    """The memory sizes (MiB) Fargate runs with ``cpu`` CPU units."""
    low, high, step = MEMORY_RANGES[cpu]
    sizes = list(range(low, high + 1, step))
    return [size for size in sizes if size != 1536] if cpu == 256 else sizes


def describe(cpu: int) -> str:
    low, high, step = MEMORY_RANGES[cpu]
    if cpu == 256:
        return "512, 1024 or 2048 MiB"
    return f"{low} to {high} MiB in steps of {step} MiB"


def fargate_size_problems(
    props: Mapping[str, Any], defaults: Mapping[str, Any], path: tuple[str | int, ...], *, cpu: str, memory: str
) -> list[Problem]:
    """A problem on the memory prop when Fargate has no task size with this CPU and memory.

    The catalog bounds each prop, but only this table relates the two; ``cpu`` and ``memory`` name the
    props. CPU is in CPU units (256…16384) or, for a job definition, in vCPUs (0.25…16).
    """
    values = {**defaults, **props}
    units, mib = values.get(cpu), values.get(memory)
    if isinstance(units, (int, float)) and not isinstance(units, bool) and 0 < units <= 16:
        units = round(units * 1024)  # a job definition counts vCPUs (0.25…16), a task CPU units
    if not isinstance(units, int) or isinstance(units, bool) or units not in MEMORY_RANGES:
        return []
    if not isinstance(mib, int) or isinstance(mib, bool) or mib in memory_sizes(units):
        return []
    return [
        Problem(
            json_pointer((*path, memory)),
            f"Fargate runs {units / 1024:g} vCPU ({units} CPU units) with {describe(units)}, not {mib} MiB",
        )
    ]
