"""Lambda layers: a layer version with starter contents, and the functions that use it.

A function lists its layers through its ``layer`` connections (``Layers`` in SAM, ``add_layers`` in
CDK); the layer itself holds the code under ``layers/<id>/`` of the bundle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.designs.document import Component
from apps.exporting.cfn import py, ref, var
from apps.exporting.services.base import Service
from apps.exporting.starters import cdk_runtime

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.plan import Plan
    from apps.exporting.sam import SamTemplate


def layers_of(plan: Plan, fn: Component) -> list[Component]:
    """The layers a function uses, in the order of its connections (Lambda applies them in that order)."""
    return [link.target for link in plan.out(fn, "layer")]


def compatible_runtimes(plan: Plan, layer: Component) -> list[str]:
    """The layer's own runtime and those of the functions that use it: Lambda (and CDK, at synthesis)
    refuses a layer whose compatible runtimes leave out the runtime of a function that uses it."""
    users = {str(plan.prop(link.source, "runtime")) for link in plan.into(layer, "layer")}
    own = str(plan.prop(layer, "runtime"))
    return [own, *sorted(users - {own})]


def sam_layers(sam: SamTemplate, fn: Component) -> list[object]:
    return [ref(sam.id(layer)) for layer in layers_of(sam.plan, fn)]


def sam_lambda_layer(sam: SamTemplate, layer: Component) -> None:
    plan = sam.plan
    sam.add(
        sam.id(layer),
        "AWS::Serverless::LayerVersion",
        {
            "Description": plan.label(layer),
            "ContentUri": f"layers/{layer.id}/",
            "CompatibleRuntimes": compatible_runtimes(plan, layer),
            "CompatibleArchitectures": [plan.prop(layer, "architecture")],
            "RetentionPolicy": "Retain" if plan.prop(layer, "retain_versions") else "Delete",
        },
        layer,
    )


def cdk_lambda_layer(cdk: CdkStack, layer: Component) -> None:
    architecture = "ARM_64" if cdk.prop(layer, "architecture") == "arm64" else "X86_64"
    removal = "RETAIN" if cdk.prop(layer, "retain_versions") else "DESTROY"
    runtimes = ", ".join(cdk_runtime(runtime) for runtime in compatible_runtimes(cdk.plan, layer))
    cdk.emit(
        f"{var(layer)} = lambda_.LayerVersion(self, {py(cdk.id(layer))}, "
        f"code=lambda_.Code.from_asset(os.path.join(HERE, 'layers', {py(layer.id)})), "
        f"description={py(cdk.plan.label(layer))}, compatible_runtimes=[{runtimes}], "
        f"compatible_architectures=[lambda_.Architecture.{architecture}], removal_policy=cdk.RemovalPolicy.{removal})"
    )


def cdk_layer_wiring(cdk: CdkStack, layer: Component) -> None:
    users = [link.source for link in cdk.plan.into(layer, "layer")]
    for fn in users:
        cdk.emit(f"{var(fn)}.add_layers({var(layer)})")


SERVICES = (
    # Functions take their layers in the wiring step, so the layer's place among the constructs is free.
    Service("lambda_layer", sam=sam_lambda_layer, cdk=cdk_lambda_layer, cdk_order=31, cdk_wiring=cdk_layer_wiring),
)
