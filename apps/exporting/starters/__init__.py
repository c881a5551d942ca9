"""Starter code for exported functions, one module per runtime family. Pure Python, no Django.

Each starter runs, logs the event and answers what the trigger expects: one general handler (API, queue,
stream, S3, SNS, schedule, Cognito, state machine events), one API authorizer that denies until its
check is written, and, for the families Lambda@Edge runs (Python and Node.js), one edge function.

No user text is ever written into them (only our own fixed source), so a hostile label cannot turn into
code. The exporters ask for everything about a function's code through ``function_code``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from apps.designs.catalog import LambdaRuntime, get_catalog
from apps.exporting.starters import dotnet, go, java, nodejs, python, ruby

ROLES = ("function", "authorizer", "edge")
EDGE_FAMILIES = frozenset({"python", "nodejs"})  # the only languages Lambda@Edge runs

# Runtime constants of aws-lambda-cdk 2.275.0 (apps.exporting.cdk.CDK_VERSION) whose names do not follow
# from the id, and every id that has a constant at all; others are written as lambda_.Runtime(id, family).
CDK_NAME_EXCEPTIONS = {"java8.al2": "JAVA_8_CORRETTO"}
CDK_CONSTANTS = frozenset(
    {
        *(f"python3.{minor}" for minor in range(6, 15)),
        *(f"nodejs{major}.x" for major in (10, 12, 14, 16, 18, 20, 22, 24)),
        "java8", "java8.al2", "java11", "java17", "java21", "java25",
        "dotnet6", "dotnet8", "dotnet9", "dotnet10", "dotnetcore2.1", "dotnetcore3.1",
        "ruby2.5", "ruby2.7", "ruby3.2", "ruby3.3", "ruby3.4", "ruby4.0",
        "provided", "provided.al2", "provided.al2023", "go1.x",
    }
)  # fmt: skip
CDK_FAMILIES = {
    "python": "PYTHON", "nodejs": "NODEJS", "java": "JAVA", "dotnet": "DOTNET_CORE", "ruby": "RUBY",
    "provided": "OTHER", "go": "GO",
}  # fmt: skip

FAMILY_MODULES: Mapping[str, Any] = MappingProxyType(
    {"python": python, "nodejs": nodejs, "ruby": ruby, "java": java, "dotnet": dotnet, "provided": go, "go": go}
)


class StarterUnavailable(ValueError):
    """Raised for a runtime the catalog does not know or a role its family cannot play."""


@dataclass(frozen=True)
class FunctionCode:
    """Everything an exporter needs about one function's code.

    ``files`` is the source folder by relative path (``CodeUri``/``Code.from_asset`` point at it);
    ``handler`` the SAM/CloudFormation ``Handler``; ``sam_metadata`` the resource's ``Metadata`` that
    ``sam build`` needs, or None; ``cdk_runtime`` a Python expression for the CDK runtime;
    ``cdk_bundling`` a Python expression building ``cdk.BundlingOptions`` for compiled families, or None.
    Both CDK expressions assume ``import aws_cdk as cdk`` and ``from aws_cdk import aws_lambda as lambda_``.
    """

    files: Mapping[str, str]
    handler: str
    sam_metadata: Mapping[str, str] | None
    cdk_runtime: str
    cdk_bundling: str | None


def runtime_info(runtime: str) -> LambdaRuntime:
    """The catalog's entry for a runtime id."""
    try:
        return get_catalog().runtimes[runtime]
    except KeyError:
        raise StarterUnavailable(f"{runtime!r} is not a Lambda runtime the catalog knows") from None


def roles_for(runtime: str) -> tuple[str, ...]:
    """The roles a function on ``runtime`` can have: every family takes general and authorizer, two take edge."""
    family = runtime_info(runtime).family
    return ROLES if family in EDGE_FAMILIES else tuple(role for role in ROLES if role != "edge")


def cdk_runtime(runtime: str) -> str:
    """A Python expression for the CDK ``lambda_.Runtime`` of a runtime id."""
    info = runtime_info(runtime)
    if runtime not in CDK_CONSTANTS:
        return f"lambda_.Runtime({runtime!r}, lambda_.RuntimeFamily.{CDK_FAMILIES[info.family]})"
    prefix = re.match(r"[a-z]+", runtime).group()  # type: ignore[union-attr]  # every id starts with letters
    parts = [part.upper() for part in runtime[len(prefix) :].split(".") if part]
    name = CDK_NAME_EXCEPTIONS.get(runtime) or "_".join([prefix.upper().replace("DOTNETCORE", "DOTNET_CORE"), *parts])
    return f"lambda_.Runtime.{name}"


def function_code(runtime: str, role: str, *, architecture: str = "x86_64") -> FunctionCode:
    """The starter code of a function on ``runtime`` with ``role`` and how to build and declare it.

    ``architecture`` (``x86_64`` or ``arm64``) only matters to the CDK bundling of compiled families.
    Raises ``StarterUnavailable`` for an unknown runtime or a role the family cannot play (edge outside
    Python and Node.js).
    """
    info = runtime_info(runtime)
    if role not in roles_for(runtime):
        raise StarterUnavailable(
            f"{info.label} ({runtime}) cannot be a {role} function: Lambda@Edge runs only Python and Node.js"
        )
    module = FAMILY_MODULES[info.family]
    expression = cdk_runtime(runtime)
    bundling = getattr(module, "bundling", None)
    metadata = getattr(module, "sam_metadata", None)
    return FunctionCode(
        files=MappingProxyType(module.files(info, role)),
        handler=module.HANDLER,
        sam_metadata=metadata(info) if metadata else None,
        cdk_runtime=expression,
        cdk_bundling=bundling(expression, architecture) if bundling else None,
    )


# Where a layer's contents go so that the runtime finds them under /opt (the Lambda Developer Guide's
# "layer paths for each runtime"); compiled families ship built artefacts, so they get the folder only.
LAYER_PATHS = {
    "python": "python/{name}.py",
    "nodejs": "nodejs/node_modules/{name}/index.js",
    "ruby": "ruby/lib/{name}.rb",
    "java": "java/lib/",
    "dotnet": "lib/",
    "provided": "lib/",
    "go": "lib/",
}
LAYER_SOURCES = {
    "python": '"""Code shared by the functions that use this layer: `import {name}` finds it in /opt/python."""\n\n\n'
    'def greeting(name: str) -> str:\n    return f"hello, {{name}}"\n',
    "nodejs": "// Code shared by the functions that use this layer: require('{name}') finds it in /opt/nodejs.\n"
    "exports.greeting = (name) => `hello, ${{name}}`;\n",
    "ruby": "# Code shared by the functions that use this layer: require '{name}' finds it in /opt/ruby/lib.\n"
    'module Shared\n  def self.greeting(name)\n    "hello, #{{name}}"\n  end\nend\n',
}


def layer_files(runtime: str, name: str) -> dict[str, str]:
    """The starter contents of a layer for ``runtime``: a shared module named ``name`` (a component id,
    so a plain identifier) where the family loads source from a layer, and a README saying where things go."""
    info = runtime_info(runtime)
    path = LAYER_PATHS[info.family].format(name=name)
    files = {
        "README.md": (
            f"# Layer {name}\n\nLambda unpacks this folder in /opt of each function that uses the layer. "
            f"For {info.label}, put what the functions load under `{path.rsplit('/', 1)[0] or path}/`.\n"
        )
    }
    if info.family in LAYER_SOURCES:
        files[path] = LAYER_SOURCES[info.family].format(name=name)
    return files
