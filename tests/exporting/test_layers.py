"""Lambda layers: the layer version with its starter contents in both bundles, the functions that use it,
and what Lambda refuses (more than five layers, layers on Lambda@Edge) refused up front."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.core.pointers import Invalid
from apps.designs.document import validate_design
from apps.exporting.bundle import cdk_files, sam_files


def layered(*, layers: int = 1, runtime: str = "python3.13", role: str = "function") -> dict[str, Any]:
    components = [{"id": "api_fn", "type": "lambda_function", "props": {"role": role}}]
    connections = []
    for index in range(layers):
        components.append(
            {"id": f"lib{index}", "type": "lambda_layer", "label": f"Lib {index}", "props": {"runtime": runtime}}
        )
        connections.append({"id": f"l{index}", "source": "api_fn", "target": f"lib{index}", "kind": "layer"})
    return {"schema": "tierplan.design/v1", "name": "Layers", "components": components, "connections": connections}


def test_the_sam_template_publishes_the_layer_and_the_function_lists_it() -> None:
    files = sam_files(validate_design(layered(layers=2)))
    template = yaml.safe_load(files["template.yaml"])
    layer = template["Resources"]["Lib0"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "layers/lib0/"
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["x86_64"]
    assert layer["Properties"]["RetentionPolicy"] == "Delete"
    assert template["Resources"]["ApiFn"]["Properties"]["Layers"] == [{"Ref": "Lib0"}, {"Ref": "Lib1"}]
    # Its starter module sits where the Python runtime looks for layer code (/opt/python).
    assert "def greeting" in files["layers/lib0/python/lib0.py"]


def test_the_cdk_app_builds_the_layer_from_the_same_folder_and_adds_it_to_the_function() -> None:
    files = cdk_files(validate_design(layered(runtime="nodejs22.x")))
    stack = files["tierplan_stack.py"]
    assert "lambda_.LayerVersion(self, 'Lib0'" in stack
    assert "os.path.join(HERE, 'layers', 'lib0')" in stack
    # its own runtime, then those of the functions that use it: CDK refuses a function the layer leaves out
    assert "compatible_runtimes=[lambda_.Runtime.NODEJS_22_X, lambda_.Runtime.PYTHON_3_13]" in stack
    assert "c_api_fn.add_layers(c_lib0)" in stack
    assert "exports.greeting" in files["layers/lib0/nodejs/node_modules/lib0/index.js"]


def test_a_sixth_layer_is_refused_with_lambdas_quota() -> None:
    validate_design(layered(layers=5))
    with pytest.raises(Invalid) as refused:
        validate_design(layered(layers=6))
    assert [(p.pointer, p.message) for p in refused.value.problems] == [
        ("/connections/5/source", "api_fn already uses 5 layers, the most Lambda allows one function")
    ]


def test_a_lambda_at_edge_function_cannot_use_a_layer() -> None:
    with pytest.raises(Invalid) as refused:
        validate_design(layered(role="edge", runtime="nodejs22.x"))
    assert [p.message for p in refused.value.problems] == ["a Lambda@Edge function cannot use layers"]
