"""AI services a function calls from its code: Amazon Bedrock foundation models.

A model is not a resource of the stack (on-demand models are AWS's; access is granted per account), so
it is drawn, costed and reviewed but writes no resource. A function connected to it with ``call`` gets
the model ID in ``<ID>_MODEL_ID`` and may invoke that one model: ``bedrock:InvokeModel`` (which the
Converse API also needs) on the foundation-model ARN of the stack's Region, and
``bedrock:InvokeModelWithResponseStream`` (InvokeModelWithResponseStream and ConverseStream) when
the model is set to stream.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import py, sub, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import cdk_allow, not_deployed

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


def model_actions(plan: Plan, model: Component) -> list[str]:
    actions = ["bedrock:InvokeModel"]
    if plan.prop(model, "streaming"):
        actions.append("bedrock:InvokeModelWithResponseStream")
    return actions


def sam_model_id(sam: SamTemplate, model: Component) -> Any:
    return sam.plan.prop(model, "model_id")


def cdk_model_id(cdk: CdkStack, model: Component) -> str:
    return py(cdk.prop(model, "model_id"))


def sam_model_policies(sam: SamTemplate, link: Link) -> list[Any]:
    model = link.target
    # Foundation models have no account in their ARN; the model ID is a catalog enum value.
    arn = sub(f"arn:${{AWS::Partition}}:bedrock:${{AWS::Region}}::foundation-model/{sam.plan.prop(model, 'model_id')}")
    return [{"Statement": [{"Effect": "Allow", "Action": model_actions(sam.plan, model), "Resource": arn}]}]


def cdk_model_grant(cdk: CdkStack, link: Link) -> str:
    model = link.target
    arn = (
        "cdk.Stack.of(self).format_arn(service='bedrock', account='', resource='foundation-model', "
        f"resource_name={py(cdk.prop(model, 'model_id'))})"
    )
    return cdk_allow(var(link.source), model_actions(cdk.plan, model), [arn])


SERVICES = (
    replace(
        not_deployed("bedrock_model"),
        sam_env=sam_model_id,
        cdk_env=cdk_model_id,
        sam_policies=sam_model_policies,
        cdk_grant=cdk_model_grant,
    ),
)
