"""Helpers for the tests of what review links show: engines that must not run, and a worker's turn."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from django.conf import settings

from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_run

# Every engine entry point a review page, its downloads or the gallery could call.
ENGINE_FUNCTIONS = [
    ("apps.rendering.engine", "render"),
    ("apps.exporting.engine", "export_zip"),
    ("apps.costing.engine", "estimate"),
    ("apps.costing.curve", "cost_curve"),
    ("apps.costing.curve", "cost_curve_svg"),
    ("apps.review.engine", "review"),
]


def forbid_engines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every engine raise wherever it was imported; returns the names of those that were called.

    Each function is replaced under every name a module of ours holds it by (``from … import render``
    included), so no path into an engine escapes. ``monkeypatch.undo()`` brings them back.
    """
    # Modules first imported while patched would keep the stand-in for good: import every view first.
    importlib.import_module(settings.ROOT_URLCONF)
    calls: list[str] = []
    originals = {id(getattr(importlib.import_module(module), name)): name for module, name in ENGINE_FUNCTIONS}

    def forbidden(name: str) -> Any:
        def engine(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise AssertionError(f"the {name} engine ran in a web request")

        return engine

    for module in list(sys.modules.values()):
        if module is None or not module.__name__.startswith(("apps.", "designer")):
            continue
        for attribute, value in list(vars(module).items()):
            if id(value) in originals:
                monkeypatch.setattr(module, attribute, forbidden(originals[id(value)]))
    return calls


def run_queued_jobs() -> list[str]:
    """Be the worker: run every queued job, in order; returns each job's kind and final status."""
    done = []
    for job in Job.objects.filter(status=JobStatus.QUEUED).order_by("id"):
        done.append(f"{job.kind}:{job_run(job_id=job.pk, worker='test-worker')}")
    return done


def queued_kinds() -> list[tuple[str, str]]:
    """(kind, format) of every job waiting for a worker, sorted."""
    return sorted((job.kind, job.params.get("format", "")) for job in Job.objects.filter(status=JobStatus.QUEUED))
