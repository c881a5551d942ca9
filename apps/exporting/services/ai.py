"""AI services a function calls from its code: Bedrock foundation models, Rekognition, Comprehend,
Translate and Textract.

A model is not a resource of the stack (on-demand models are AWS's; access is granted per account), so
it is drawn, costed and reviewed but writes no resource. A function connected to it with ``call`` gets
the model ID in ``<ID>_MODEL_ID`` and may invoke that one model: ``bedrock:InvokeModel`` (which the
Converse API also needs) on the foundation-model ARN of the stack's Region, and
``bedrock:InvokeModelWithResponseStream`` (InvokeModelWithResponseStream and ConverseStream) when
the model is set to stream.

The other services are APIs with nothing to deploy either. A function connected with ``call`` gets the
setting its code needs in its environment (confidence, language, features) and the one API action it
calls. Their real-time APIs take no resource-level permissions, so the statement's resource is ``*``;
what keeps it small is the single action.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import py, sub, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import Service, cdk_allow, not_deployed

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


# What a function finds in its environment for each called service: the prop that sets it.
SETTINGS = {
    "rekognition": "min_confidence",
    "comprehend": "language_code",
    "translate": "target_language",
}
TEXTRACT_FEATURES = {
    "text": "",
    "tables": "TABLES",
    "forms": "FORMS",
    "tables_forms": "TABLES,FORMS",
    "queries": "QUERIES",
}


def service_setting(plan: Plan, service: Component) -> str:
    if service.type == "textract":
        return TEXTRACT_FEATURES[plan.prop(service, "features")] or "DetectDocumentText"
    value = plan.prop(service, SETTINGS[service.type])
    return f"{value:g}" if isinstance(value, float) else str(value)


def service_actions(plan: Plan, service: Component) -> list[str]:
    """The API actions a function calling the service needs (Resource "*": no resource-level permissions)."""
    if service.type == "textract":
        return [
            "textract:DetectDocumentText" if plan.prop(service, "features") == "text" else "textract:AnalyzeDocument"
        ]
    if service.type == "translate":
        actions = ["translate:TranslateText"]
        if plan.prop(service, "source_language") == "auto":
            actions.append("comprehend:DetectDominantLanguage")  # Translate detects the language through Comprehend
        return actions
    return [f"{service.type}:{plan.prop(service, 'operation')}"]


def sam_service_setting(sam: SamTemplate, service: Component) -> Any:
    return service_setting(sam.plan, service)


def cdk_service_setting(cdk: CdkStack, service: Component) -> str:
    return py(service_setting(cdk.plan, service))


def sam_service_policies(sam: SamTemplate, link: Link) -> list[Any]:
    return [{"Statement": [{"Effect": "Allow", "Action": service_actions(sam.plan, link.target), "Resource": "*"}]}]


def cdk_service_grant(cdk: CdkStack, link: Link) -> str:
    return cdk_allow(var(link.source), service_actions(cdk.plan, link.target), ["'*'"])


def called_service(type_id: str) -> Service:
    return replace(
        not_deployed(type_id),
        sam_env=sam_service_setting,
        cdk_env=cdk_service_setting,
        sam_policies=sam_service_policies,
        cdk_grant=cdk_service_grant,
    )


SERVICES = (
    replace(
        not_deployed("bedrock_model"),
        sam_env=sam_model_id,
        cdk_env=cdk_model_id,
        sam_policies=sam_model_policies,
        cdk_grant=cdk_model_grant,
    ),
    *(called_service(type_id) for type_id in ("rekognition", "comprehend", "translate", "textract")),
)
