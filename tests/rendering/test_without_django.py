"""The render engine is a plain module: a fresh interpreter with no Django settings can import it and render."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, design_doc

# Runs in its own interpreter: this test process has Django loaded and configured already.
SCRIPT = """
import json, sys
from apps.designs.document import parse_design
from apps.rendering.engine import RenderOptions, render

design = parse_design(sys.stdin.read())
svg = render(design, RenderOptions(format="svg"))
dot = render(design, RenderOptions(format="dot"))
print(json.dumps({
    "has_svg_element": b"<svg" in svg,
    "embedded_icons": svg.count(b"data:image/png;base64,"),
    "dot_has_label": b"Orders table" in dot,
    "django_modules": sorted(name for name in sys.modules if name == "django" or name.startswith("django.")),
}))
"""


def run_without_django(script: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_renders_a_design_with_no_django_settings_and_never_loads_django() -> None:
    result = run_without_django(SCRIPT, json.dumps(design_doc()))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["has_svg_element"] is True
    assert report["embedded_icons"] == 4  # browser, API Gateway, Lambda and DynamoDB: icon files read without Django
    assert report["dot_has_label"] is True
    assert report["django_modules"] == []


def test_the_pure_icon_module_loads_no_django() -> None:
    script = (
        "import sys; from apps.designs import diagram_icons; "
        "print(diagram_icons.icon_for_resource_type('AWS::SSM::Parameter')); "
        "print(any(n == 'django' or n.startswith('django.') for n in sys.modules))"
    )
    result = run_without_django(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["diagrams.aws.management.SystemsManagerParameterStore", "False"]
