"""Design → AWS SAM template (a dict; ``bundle`` writes it as YAML). Pure Python, no Django.

Intrinsic functions are written in their long form ({"Ref": …}, {"Fn::GetAtt": …}) so the YAML needs
no custom tags, and user text only ever appears as a YAML string value (descriptions, tags, defaults).
Everything user-written is read from ``plan.design``, which the plan has already made safe for any
CloudFormation string (see ``plan.cfn_text``); nothing here escapes on its own.
"""

from __future__ import annotations

from typing import Any

from apps.designs.document import Component, Group, Link
from apps.exporting.cfn import ref
from apps.exporting.kept import write_back
from apps.exporting.plan import Plan
from apps.exporting.services import service_for
from apps.exporting.services.network import sam_vpc


class SamTemplate:
    """Builds the template resource by resource; ``build()`` returns the whole template dict."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.design = plan.design
        self.resources: dict[str, dict[str, Any]] = {}
        self.parameters: dict[str, dict[str, Any]] = {}
        self.conditions: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.kept_conflicts: list[str] = []

    # -- helpers ----------------------------------------------------------------------------------

    def id(self, component: Component) -> str:
        return self.plan.ids[component.id]

    def add(
        self,
        logical: str,
        resource_type: str,
        properties: dict[str, Any],
        component: Component | None = None,
        **extra: Any,
    ) -> None:
        resource: dict[str, Any] = {"Type": resource_type, "Properties": properties}
        if component is not None:
            account = self.plan.account_of(component)
            if account is not None:
                resource["Condition"] = self.account_condition(account)
        resource.update(extra)
        self.resources[logical] = resource

    def account_condition(self, account: Group) -> str:
        name = f"Deploy{self.plan.group_ids[account.id]}"
        if name not in self.conditions:
            self.parameters.setdefault(
                "Account",
                {
                    "Type": "String",
                    "Default": "all",
                    "AllowedValues": ["all", *[g.id for g in self.plan.accounts()]],
                    "Description": "Which account group this deployment is for (deploy once per AWS account), or all",
                },
            )
            self.conditions[name] = {
                "Fn::Or": [{"Fn::Equals": [ref("Account"), "all"]}, {"Fn::Equals": [ref("Account"), account.id]}]
            }
        return name

    def output(self, name: str, value: Any, description: str, component: Component) -> None:
        entry: dict[str, Any] = {"Description": description, "Value": value}
        account = self.plan.account_of(component)
        if account is not None:
            entry["Condition"] = self.account_condition(account)
        self.outputs[name] = entry

    def domain_parameters(self, component: Component, default: str | None) -> tuple[str, str, str]:
        """Parameters for a custom domain and its ACM certificate, and the condition that both are set."""
        logical = self.id(component)
        domain, certificate, condition = f"{logical}DomainName", f"{logical}CertificateArn", f"{logical}HasDomain"
        self.parameters[domain] = {
            "Type": "String",
            "Default": default or "",
            "Description": f"Custom domain of {self.plan.label(component)} (empty for none)",
        }
        self.parameters[certificate] = {
            "Type": "String",
            "Default": "",
            "Description": f"ACM certificate ARN for {domain} (us-east-1 for CloudFront)",
        }
        self.conditions[condition] = {
            "Fn::And": [
                {"Fn::Not": [{"Fn::Equals": [ref(domain), ""]}]},
                {"Fn::Not": [{"Fn::Equals": [ref(certificate), ""]}]},
            ]
        }
        return domain, certificate, condition

    # -- what a function connected to a component finds in its environment and may do ---------------

    def env_value(self, target: Component) -> Any:
        return service_for(target.type).sam_env(self, target)

    def policy(self, link: Link) -> list[Any]:
        return service_for(link.target.type).sam_policies(self, link)

    # -- the template ---------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        for vpc in self.plan.vpcs():
            sam_vpc(self, vpc)
        for component in self.design.components:
            service_for(component.type).sam(self, component)
        template: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Transform": "AWS::Serverless-2016-10-31",
            "Description": f"{self.design.name} (generated by Tierplan from a tierplan.design/v1 document)",
            "Metadata": {
                "Tierplan": {
                    "schema": "tierplan.design/v1",
                    "design": self.design.name,
                    "content_hash": self.plan.content_hash(),
                }
            },
        }
        if self.parameters:
            template["Parameters"] = dict(sorted(self.parameters.items()))
        if self.conditions:
            template["Conditions"] = dict(sorted(self.conditions.items()))
        template["Resources"] = self.resources
        if self.outputs:
            template["Outputs"] = self.outputs
        # An imported design writes back what its template said that the design does not model.
        self.kept_conflicts = write_back(template, self.plan)
        return template


def sam_template(plan: Plan) -> dict[str, Any]:
    """The SAM template of a planned design."""
    return SamTemplate(plan).build()
