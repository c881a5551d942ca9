"""Run the real AWS validators on exported templates (used by the tests and the export CLI's --check).

cfn-lint checks a template; aws-sam-translator turns a SAM template into plain CloudFormation offline
(function and layer code and repository applications are swapped for an S3-style placeholder for that step only).
"""

from __future__ import annotations

import copy
import logging
import os
from typing import Any

import yaml


def lint_errors(template: str, *, region: str = "us-east-1") -> list[str]:
    """cfn-lint errors (not warnings) of a template given as YAML or JSON text."""
    from cfnlint.api import ManualArgs, lint

    # cfn-lint logs whole transformed templates at INFO; nobody wants that in test output.
    logging.getLogger("cfnlint").setLevel(logging.WARNING)
    matches = lint(template, config=ManualArgs(regions=[region]))
    return [str(match) for match in matches if match.rule.id.startswith("E")]


def translate_sam(template: str, *, region: str = "us-east-1") -> dict[str, Any]:
    """The CloudFormation template that the SAM transform makes of ``template`` (offline)."""
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    class NoManagedPolicies(ManagedPolicyLoader):
        # Our templates name no AWS managed policy by name, so no IAM lookup is needed.
        def __init__(self) -> None:
            pass

        def load(self) -> dict[str, str]:
            return {}

    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # feature-toggle chatter
    document = copy.deepcopy(yaml.safe_load(template))
    for resource in document.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://tierplan-placeholder/code.zip"
        elif resource.get("Type") == "AWS::Serverless::LayerVersion":
            resource["Properties"]["ContentUri"] = "s3://tierplan-placeholder/layer.zip"
        elif resource.get("Type") == "AWS::Serverless::Application" and "ApplicationId" in str(
            resource["Properties"].get("Location")
        ):  # offline, the transform cannot ask the repository for the application's template
            resource["Properties"]["Location"] = "https://s3.amazonaws.com/tierplan-placeholder/application.yaml"
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    return transform(document, {}, NoManagedPolicies())
