"""Nested applications: a stack inside the stack, from the Serverless Application Repository or an S3 URL.

SAM writes ``AWS::Serverless::Application`` for both; CDK a ``CfnStack`` for a template URL and SAM's own
``CfnApplication`` for a repository application (only the SAM transform can look a repository
application's template up, at deploy time). Parameter values are strings, as CloudFormation passes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component
from apps.exporting.cfn import py, tags, var
from apps.exporting.plan import ExportError
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.plan import Plan
    from apps.exporting.sam import SamTemplate


def parameter_values(plan: Plan, app: Component) -> dict[str, str]:
    return {str(name): str(value) for name, value in sorted(dict(plan.prop(app, "parameters") or {}).items())}


def location(plan: Plan, app: Component) -> tuple[str, str] | str:
    """(application id, version) of a repository application, or the template URL of a nested stack."""
    application_id, template_url = plan.prop(app, "application_id"), plan.prop(app, "template_url")
    if application_id:
        return str(application_id), str(plan.prop(app, "semantic_version"))
    if template_url:
        return str(template_url)
    raise ExportError(f"nested application {app.id} names neither an application_id nor a template_url to deploy")


def sam_nested_application(sam: SamTemplate, app: Component) -> None:
    where = location(sam.plan, app)
    properties: dict[str, Any] = {
        "Location": {"ApplicationId": where[0], "SemanticVersion": where[1]} if isinstance(where, tuple) else where,
        "Tags": tags(app),
    }
    parameters = parameter_values(sam.plan, app)
    if parameters:
        properties["Parameters"] = parameters
    sam.add(sam.id(app), "AWS::Serverless::Application", properties, app)


def cdk_nested_application(cdk: CdkStack, app: Component) -> None:
    where, logical = location(cdk.plan, app), cdk.id(app)
    parameters = parameter_values(cdk.plan, app)
    cdk.emit(f"# {logical}: nested application ({cdk.plan.label(app)})")
    if isinstance(where, tuple):
        cdk.emit(
            f"{var(app)} = sam_.CfnApplication(self, {py(logical)}, location=sam_.CfnApplication.ApplicationLocationProperty("
            f"application_id={py(where[0])}, semantic_version={py(where[1])}), parameters={py(parameters) if parameters else None}, "
            f"tags={py(tags(app))})"
        )
    else:
        cdk.emit(
            f"{var(app)} = cloudformation.CfnStack(self, {py(logical)}, template_url={py(where)}, "
            f"parameters={py(parameters) if parameters else None})"
        )
        cdk.emit(f"cdk.Tags.of({var(app)}).add('tierplan:component', {py(app.id)})")
    cdk.emit()


SERVICES = (Service("nested_application", sam=sam_nested_application, cdk=cdk_nested_application, cdk_order=27),)
