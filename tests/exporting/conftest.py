"""Fixtures shared by the export tests: every pattern plus a design with every type, exported once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apps.designs.document import Design, validate_design
from apps.designs.patterns import pattern_library
from apps.exporting.bundle import cdk_files
from tests.conftest import ROOT
from tests.exporting.designs import (
    cloudformation_resources_design,
    every_connection_designs,
    every_runtime_design,
    every_type_design,
)


def export_designs() -> dict[str, Design]:
    designs = {slug: pattern.design for slug, pattern in pattern_library().items()}
    designs["every-type"] = validate_design(every_type_design())
    for slug, document in every_connection_designs().items():
        designs[slug] = validate_design(document)
    designs["every-runtime"] = validate_design(every_runtime_design())
    designs["cloudformation-resources"] = validate_design(cloudformation_resources_design())
    from tests.exporting.test_safety import hostile_design

    designs["hostile-names"] = hostile_design()
    designs["accounts-in-two-regions"] = accounts_in_two_regions()
    return designs


def accounts_in_two_regions() -> Design:
    """The one-account-per-team pattern with the payments team's account in another region."""
    doc = pattern_library()["team-microservices"].design.canonical()
    next(g for g in doc["groups"] if g["id"] == "payments_account")["props"]["region"] = "eu-central-1"
    return validate_design(doc)


def write_files(files: dict[str, str], directory: Path) -> Path:
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return directory


def cdk_environment() -> dict[str, str]:
    return {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}


def synthesize_all(
    designs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """The CDK templates of each design's app, synthesized in one process (one jsii start for all)."""
    directories = {
        name: write_files(cdk_files(design), tmp_path_factory.mktemp(f"cdk-{name.replace('.', '-')}"))
        for name, design in designs.items()
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "exporting" / "synth_many.py"), *map(str, directories.values())],
        capture_output=True,
        text=True,
        env=cdk_environment(),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        name: [json.loads(path.read_text()) for path in sorted((directory / "cdk.out").glob("*.template.json"))]
        for name, directory in directories.items()
    }


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """CDK templates of every export design."""
    return synthesize_all(export_designs(), tmp_path_factory)
